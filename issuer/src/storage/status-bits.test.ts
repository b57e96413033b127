import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hexEncode } from '@e2eid/shared'
import { readVectorText, vectorDir } from '../../../shared/src/test-helpers/vectors.js'
import type { StatusBits } from './status-bits.js'
import { countAllocated, getStatusValue, isAllocated, markAllocated, pickUnusedIndex, setStatusValue, statusByteLength } from './status-bits.js'

const dir = vectorDir('status-list')

interface EncodingExample { name: string; bits: StatusBits; num_entries: number; statuses: number[]; uncompressed_hex: string }
interface AppendixC { bits: StatusBits; num_entries: number; statuses_set: [number, number][]; uncompressed_sha256_hex: string }

describe.skipIf(dir === undefined)('draft-ietf-oauth-status-list-20 §4.1 LSB-first packing (vectors)', () => {
  const examples = dir === undefined ? [] : (JSON.parse(readVectorText('status-list/encoding-examples.json')) as { examples: EncodingExample[] }).examples
  it.each(examples.map((e) => [e.name, e] as const))('§4.1 example %s packs to the draft bytes and reads back', (_name, e) => {
    const data = new Uint8Array(statusByteLength(e.num_entries, e.bits))
    e.statuses.forEach((v, i) => setStatusValue(data, e.bits, i, v))
    expect(hexEncode(data)).toBe(e.uncompressed_hex)
    e.statuses.forEach((v, i) => expect(getStatusValue(data, e.bits, i)).toBe(v))
  })
  it.each([1, 2, 4, 8])('Appendix C %i-bit 2^20-entry list has the draft SHA-256', (bits) => {
    const v = JSON.parse(readVectorText(`status-list/test-vector-${bits}bit.json`)) as AppendixC
    const data = new Uint8Array(statusByteLength(v.num_entries, v.bits))
    for (const [i, s] of v.statuses_set) setStatusValue(data, v.bits, i, s)
    expect(createHash('sha256').update(data).digest('hex')).toBe(v.uncompressed_sha256_hex)
  })
})

describe('status bits', () => {
  it('§7 SUSPENDED (2) does not fit a 1-bit list and 4 does not fit 2 bits', () => {
    const data = new Uint8Array(2)
    expect(() => setStatusValue(data, 1, 0, 2)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_STATUS_OUT_OF_RANGE' }))
    expect(() => setStatusValue(data, 2, 0, 4)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_STATUS_OUT_OF_RANGE' }))
    expect(() => setStatusValue(data, 2, 8, 1)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_STATUS_INDEX' }))
  })
  it('setting one entry leaves its byte neighbours alone', () => {
    const data = new Uint8Array([0xff])
    setStatusValue(data, 2, 1, 0)
    expect(data[0]).toBe(0xf3)
    expect(getStatusValue(data, 2, 0)).toBe(3)
  })
})

describe('herd-privacy index allocation (pickUnusedIndex)', () => {
  it('returns the r-th unused index, skipping allocated ones', () => {
    const alloc = new Uint8Array(2)
    for (const i of [0, 1, 3, 9]) markAllocated(alloc, i)
    expect(pickUnusedIndex(alloc, 16, 4, () => 0)).toBe(2)
    expect(pickUnusedIndex(alloc, 16, 4, () => 1)).toBe(4)
    expect(pickUnusedIndex(alloc, 16, 4, () => 5)).toBe(8)
    expect(pickUnusedIndex(alloc, 16, 4, () => 6)).toBe(10)
    expect(pickUnusedIndex(alloc, 16, 4, () => 11)).toBe(15)
  })
  it('allocating a whole list with real randomness gives every index once', () => {
    const alloc = new Uint8Array(8)
    const seen = new Set<number>()
    for (let n = 0; n < 64; n++) {
      const i = pickUnusedIndex(alloc, 64, n, (k) => Math.floor(Math.random() * k))
      expect(isAllocated(alloc, i)).toBe(false)
      markAllocated(alloc, i)
      seen.add(i)
    }
    expect(seen.size).toBe(64)
    expect(countAllocated(alloc)).toBe(64)
    expect(() => pickUnusedIndex(alloc, 64, 64, () => 0)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_STATUS_LIST_FULL' }))
  })
  it('rejects a random source that answers out of range', () => {
    expect(() => pickUnusedIndex(new Uint8Array(1), 8, 0, () => 8)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_BAD_RANDOM' }))
    expect(() => pickUnusedIndex(new Uint8Array(1), 8, 0, () => 0.5)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_BAD_RANDOM' }))
  })
  it('the word-at-a-time scan returns exactly the r-th zero bit, at any alignment and fill (naive reference)', () => {
    let seed = 42
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    for (const size of [8, 24, 64, 136, 1024]) {
      for (const offset of [0, 1, 4]) {
        const buf = new Uint8Array(size / 8 + offset)
        const alloc = buf.subarray(offset)
        for (let k = 0; k < size / 3; k++) markAllocated(alloc, rnd(size))
        const zeros: number[] = []
        for (let idx = 0; idx < size; idx++) if (!isAllocated(alloc, idx)) zeros.push(idx)
        const allocated = size - zeros.length
        for (let r = 0; r < zeros.length; r++) expect(pickUnusedIndex(alloc, size, allocated, () => r)).toBe(zeros[r])
      }
    }
  })
  it('detects a bitmap that disagrees with the allocated count', () => {
    expect(() => pickUnusedIndex(new Uint8Array([0xff]), 8, 0, () => 0)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_CORRUPT' }))
  })
})
