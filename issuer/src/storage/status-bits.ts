/**
 * @module storage/status-bits
 * Bit helpers for the raw (uncompressed) status list and the allocation bitmap.
 * Packing is LSB-first within each byte, bytes in natural order
 * (draft-ietf-oauth-status-list-20 §4.1); encoding and compression live in shared/.
 */
import { E2eidError } from '@e2eid/shared'

/** Bits per status entry the Token Status List allows (§4.1). */
export type StatusBits = 1 | 2 | 4 | 8

/** Bytes of a list of `size` entries of `bits` bits. */
export function statusByteLength(size: number, bits: StatusBits): number {
  return Math.ceil((size * bits) / 8)
}

function position(bits: StatusBits, idx: number): { byteIndex: number; shift: number; mask: number } {
  const perByte = 8 / bits
  return { byteIndex: Math.floor(idx / perByte), shift: (idx % perByte) * bits, mask: (1 << bits) - 1 }
}

function checkIndex(data: Uint8Array, bits: StatusBits, idx: number): void {
  if (!Number.isSafeInteger(idx) || idx < 0 || position(bits, idx).byteIndex >= data.length) {
    throw new E2eidError('ERR_STORAGE_STATUS_INDEX', `status index ${idx} is outside the list`)
  }
}

/** Reads entry `idx` of an LSB-first packed status list. */
export function getStatusValue(data: Uint8Array, bits: StatusBits, idx: number): number {
  checkIndex(data, bits, idx)
  const { byteIndex, shift, mask } = position(bits, idx)
  return ((data[byteIndex] ?? 0) >> shift) & mask
}

/** Writes entry `idx` in place; `value` must fit in `bits` bits. */
export function setStatusValue(data: Uint8Array, bits: StatusBits, idx: number, value: number): void {
  checkIndex(data, bits, idx)
  assertStatusFits(bits, value)
  const { byteIndex, shift, mask } = position(bits, idx)
  data[byteIndex] = ((data[byteIndex] ?? 0) & ~(mask << shift)) | (value << shift)
}

/** Byte offset and the new byte value for setting `idx` to `value`, for backends that update one byte in SQL. */
export function statusBytePatch(bits: StatusBits, idx: number, value: number): { byteIndex: number; clearMask: number; setBits: number } {
  assertStatusFits(bits, value)
  const { byteIndex, shift, mask } = position(bits, idx)
  return { byteIndex, clearMask: ~(mask << shift) & 0xff, setBits: value << shift }
}

/** Rejects a status value that does not fit the list's `bits` (SUSPENDED = 2 needs bits >= 2, §7). */
export function assertStatusFits(bits: StatusBits, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > (1 << bits) - 1) {
    throw new E2eidError('ERR_STORAGE_STATUS_OUT_OF_RANGE', `status ${value} does not fit in ${bits} bits`, { status: 400 })
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0
  for (let v = b; v !== 0; v >>= 1) n += v & 1
  return n
})

/** Number of set bits in an allocation bitmap (1 bit per entry, LSB-first). */
export function countAllocated(alloc: Uint8Array): number {
  let n = 0
  for (const b of alloc) n += POPCOUNT[b] ?? 0
  return n
}

/** True when entry `idx` is marked allocated. */
export function isAllocated(alloc: Uint8Array, idx: number): boolean {
  return (((alloc[idx >> 3] ?? 0) >> (idx & 7)) & 1) === 1
}

/** Marks entry `idx` allocated in place. */
export function markAllocated(alloc: Uint8Array, idx: number): void {
  alloc[idx >> 3] = (alloc[idx >> 3] ?? 0) | (1 << (idx & 7))
}

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

/**
 * The `r`-th (from 0) zero bit among the first `size` entries of `alloc`; ERR_STORAGE_CORRUPT when there is none.
 * With r drawn uniformly from [0, unused) this picks uniformly among the unused entries (herd privacy: §12.5 of the
 * draft; the index reveals nothing about issuance order); storage/alloc-pages.ts does so page by page.
 */
export function nthUnusedIndex(alloc: Uint8Array, size: number, r: number): number {
  let remaining = r
  const bytes = Math.ceil(size / 8)
  let i = 0
  // Whole 32-bit words first (a 2^17-entry bitmap is 16 KiB: 4x fewer steps); the byte loop below then finds the
  // bit within the word holding it. Skipping a word is skipping its 4 bytes: the same zero count in either order.
  if (alloc.byteOffset % 4 === 0) {
    const words = new Uint32Array(alloc.buffer, alloc.byteOffset, Math.floor(Math.min(bytes, alloc.length) / 4))
    let w = 0
    for (; w < words.length; w++) {
      const zeros = 32 - popcount32(words[w] ?? 0)
      if (remaining < zeros) break
      remaining -= zeros
    }
    i = w * 4
  }
  for (; i < bytes; i++) {
    const b = alloc[i] ?? 0
    const zeros = 8 - (POPCOUNT[b] ?? 0)
    if (remaining >= zeros) {
      remaining -= zeros
      continue
    }
    for (let bit = 0; bit < 8; bit++) {
      if (((b >> bit) & 1) === 0) {
        if (remaining === 0) {
          const idx = i * 8 + bit
          if (idx >= size) break
          return idx
        }
        remaining--
      }
    }
    break
  }
  throw new E2eidError('ERR_STORAGE_CORRUPT', 'allocation bitmap disagrees with the allocated count')
}
