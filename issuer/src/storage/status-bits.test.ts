import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hexEncode } from '@e2eid/shared'
import { readVectorText, vectorDir } from '@e2eid/shared/testing'
import type { StatusBits } from './status-bits.js'
import { countAllocated, getStatusValue, isAllocated, markAllocated, nthUnusedIndex, setStatusValue, statusByteLength } from './status-bits.js'

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

describe('rank selection of an unused index (nthUnusedIndex)', () => {
  it('returns the r-th unused index, skipping allocated ones', () => {
    const alloc = new Uint8Array(2)
    for (const i of [0, 1, 3, 9]) markAllocated(alloc, i)
    expect([0, 1, 5, 6, 11].map((r) => nthUnusedIndex(alloc, 16, r))).toEqual([2, 4, 8, 10, 15])
    expect(countAllocated(alloc)).toBe(4)
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
        for (let r = 0; r < zeros.length; r++) expect(nthUnusedIndex(alloc, size, r)).toBe(zeros[r])
      }
    }
  })
  it('detects a bitmap with fewer unused entries than asked for (ERR_STORAGE_CORRUPT)', () => {
    expect(() => nthUnusedIndex(new Uint8Array([0xff]), 8, 0)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_CORRUPT' }))
    expect(() => nthUnusedIndex(new Uint8Array([0x0f]), 6, 2)).toThrow(expect.objectContaining({ code: 'ERR_STORAGE_CORRUPT' }))
  })
})
