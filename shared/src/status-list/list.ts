/**
 * @module status-list/list
 * The Token Status List byte array (draft-ietf-oauth-status-list-20 §4.1): one Uint8Array,
 * `bits` ∈ {1, 2, 4, 8} per entry, packed from the least significant bit of each byte.
 * No per-entry objects: 10M entries at 1 bit are 1.25 MB, a lookup is a shift and a mask.
 */
import { E2eidError } from '../errors.js'

/** Bits per status (§4.1 step 1). */
export type StatusListBits = 1 | 2 | 4 | 8

const LOG2: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 }

/** Throws ERR_STATUS_LIST_BITS_INVALID unless `bits` is 1, 2, 4 or 8. */
export function assertStatusListBits(bits: unknown): asserts bits is StatusListBits {
  if (typeof bits !== 'number' || LOG2[bits] === undefined) {
    throw new E2eidError('ERR_STATUS_LIST_BITS_INVALID', `status list "bits" must be 1, 2, 4 or 8, not ${String(bits)}`)
  }
}

/**
 * A mutable Token Status List over one byte array.
 * `size` is the number of addressable entries: for a decoded list it is `bytes.length * 8 / bits`
 * (§8.3 step 6), for a created one the size asked for (trailing bits of the last byte stay 0).
 */
export class StatusList {
  readonly bits: StatusListBits
  readonly size: number
  readonly bytes: Uint8Array
  private readonly log2: number
  private readonly indexShift: number
  private readonly mask: number

  /** Wraps `bytes` (not copied). `size` defaults to every entry the bytes hold; it may not exceed that. */
  constructor(bytes: Uint8Array, bits: StatusListBits, size?: number) {
    assertStatusListBits(bits)
    const capacity = (bytes.length * 8) / bits
    const n = size ?? capacity
    if (!Number.isSafeInteger(n) || n < 0 || n > capacity || n > 0xffffffff) {
      throw new E2eidError('ERR_STATUS_LIST_SIZE_INVALID', `status list size ${String(n)} does not fit ${bytes.length} bytes at ${bits} bits`)
    }
    this.bits = bits
    this.bytes = bytes
    this.size = n
    this.log2 = LOG2[bits]!
    this.indexShift = 3 - this.log2
    this.mask = (1 << bits) - 1
  }

  /** A list of `size` entries, all 0 (VALID), the most common value (§12.5/13.x: initialise to it). */
  static create(size: number, bits: StatusListBits): StatusList {
    assertStatusListBits(bits)
    if (!Number.isSafeInteger(size) || size < 0 || size > 0xffffffff) {
      throw new E2eidError('ERR_STATUS_LIST_SIZE_INVALID', `status list size ${String(size)} is invalid`)
    }
    return new StatusList(new Uint8Array(Math.ceil((size * bits) / 8)), bits, size)
  }

  /** Status at `index`; ERR_STATUS_LIST_INDEX_OUT_OF_RANGE past the end (§8.3 step 6: MUST reject). */
  get(index: number): number {
    if (index >>> 0 !== index || index >= this.size) this.outOfRange(index)
    const shift = (index & ((1 << this.indexShift) - 1)) << this.log2
    return (this.bytes[index >>> this.indexShift]! >> shift) & this.mask
  }

  /** Sets the status at `index`; ERR_STATUS_LIST_VALUE_TOO_WIDE when `value` needs more than `bits` bits. */
  set(index: number, value: number): void {
    if (index >>> 0 !== index || index >= this.size) this.outOfRange(index)
    if (value >>> 0 !== value || value > this.mask) {
      throw new E2eidError('ERR_STATUS_LIST_VALUE_TOO_WIDE', `status ${String(value)} does not fit in ${this.bits} bit(s)`)
    }
    const shift = (index & ((1 << this.indexShift) - 1)) << this.log2
    const byte = index >>> this.indexShift
    this.bytes[byte] = (this.bytes[byte]! & ~(this.mask << shift)) | (value << shift)
  }

  private outOfRange(index: number): never {
    throw new E2eidError('ERR_STATUS_LIST_INDEX_OUT_OF_RANGE', `index ${String(index)} is outside the status list (size ${this.size})`)
  }
}
