import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StatusList } from './list.js'
import type { StatusListBits } from './list.js'
import { statusTypeName, StatusType } from './status-types.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const WIDTHS: StatusListBits[] = [1, 2, 4, 8]

describe('draft-20 §4.1 bit packing (LSB first)', () => {
  it('1-bit example: 1,0,0,1,1,1,0,1 | 1,1,0,0,0,1,0,1 is b9 a3', () => {
    const l = StatusList.create(16, 1)
    ;[1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1].forEach((v, i) => l.set(i, v))
    expect([...l.bytes]).toEqual([0xb9, 0xa3])
  })
  it('2-bit example: 1,2,0,3,0,1,0,1,1,2,3,3 is c9 44 f9', () => {
    const l = StatusList.create(12, 2)
    ;[1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].forEach((v, i) => l.set(i, v))
    expect([...l.bytes]).toEqual([0xc9, 0x44, 0xf9])
  })
  it('4-bit and 8-bit: index 0 is the low nibble / the whole byte', () => {
    const l4 = StatusList.create(3, 4)
    l4.set(0, 0xa)
    l4.set(1, 0x5)
    l4.set(2, 0xf)
    expect([...l4.bytes]).toEqual([0x5a, 0x0f])
    const l8 = StatusList.create(2, 8)
    l8.set(1, 200)
    expect([...l8.bytes]).toEqual([0, 200])
  })
  it('a 10M-entry 1-bit list is one 1.25 MB array', () => {
    expect(StatusList.create(10_000_000, 1).bytes.byteLength).toBe(1_250_000)
  })
})

describe('draft-20 §8.3 step 6 range and §4.1 width checks', () => {
  it('an index past the end is ERR_STATUS_LIST_INDEX_OUT_OF_RANGE', () => {
    const l = new StatusList(new Uint8Array(2), 2) // 8 entries
    expect(l.size).toBe(8)
    expect(() => l.get(7)).not.toThrow()
    for (const bad of [8, -1, 1.5, NaN, 2 ** 32]) {
      expect(() => l.get(bad)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INDEX_OUT_OF_RANGE' }))
      expect(() => l.set(bad, 0)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INDEX_OUT_OF_RANGE' }))
    }
  })
  it('a value wider than bits is ERR_STATUS_LIST_VALUE_TOO_WIDE (sd-jwt-js off-by-one: 2 in a 1-bit list)', () => {
    for (const bits of WIDTHS) {
      const l = StatusList.create(4, bits)
      expect(() => l.set(1, 2 ** bits)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_VALUE_TOO_WIDE' }))
      expect(() => l.set(1, -1)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_VALUE_TOO_WIDE' }))
      l.set(1, 2 ** bits - 1)
      expect(l.get(0)).toBe(0)
      expect(l.get(2)).toBe(0)
    }
  })
  it('bits other than 1, 2, 4, 8 are ERR_STATUS_LIST_BITS_INVALID', () => {
    for (const b of [0, 3, 16, '1']) {
      expect(() => StatusList.create(8, b as StatusListBits)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_BITS_INVALID' }))
    }
  })
  it('a size that does not fit the bytes is ERR_STATUS_LIST_SIZE_INVALID', () => {
    expect(() => new StatusList(new Uint8Array(1), 1, 9)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_SIZE_INVALID' }))
    expect(() => StatusList.create(-1, 1)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_SIZE_INVALID' }))
  })
})

describe('§7 status types', () => {
  it('names registered and application-specific values', () => {
    expect(StatusType).toMatchObject({ VALID: 0, INVALID: 1, SUSPENDED: 2 })
    expect([0, 1, 2, 3, 4, 0x0b, 0x0c, 0x0f, 0x10].map(statusTypeName)).toEqual([
      'VALID', 'INVALID', 'SUSPENDED', 'APPLICATION_SPECIFIC', 'RESERVED', 'RESERVED', 'APPLICATION_SPECIFIC', 'APPLICATION_SPECIFIC', 'RESERVED',
    ])
  })
})

describe('fuzz: set/get agree with a naive model for every bit width', () => {
  for (const bits of WIDTHS) {
    it(`fuzz ${bits}-bit`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 300 }).chain((size) =>
            fc.tuple(fc.constant(size), fc.array(fc.tuple(fc.nat(size - 1), fc.nat(2 ** bits - 1)), { maxLength: 60 })),
          ),
          ([size, ops]) => {
            const l = StatusList.create(size, bits)
            const model = new Array<number>(size).fill(0)
            for (const [i, v] of ops) {
              l.set(i, v)
              model[i] = v
            }
            const perByte = 8 / bits
            for (let i = 0; i < size; i++) {
              if (l.get(i) !== model[i]) return false
              // the draft's own formula (reference/status-list.md §2.1)
              if (((l.bytes[Math.floor(i / perByte)]! >> ((i % perByte) * bits)) & ((1 << bits) - 1)) !== model[i]) return false
            }
            return true
          },
        ),
        { numRuns: RUNS },
      )
    })
  }
})
