/**
 * @module status-list/bitstring
 * W3C Bitstring Status List v1.0 (Recommendation, 15 May 2025): the bitstring is read
 * most-significant bit first (index 0 = left-most bit, `0x80` of byte 0), GZIP-compressed
 * (RFC 1952), encoded as multibase base64url without padding (prefix `u`), at least 16 KB
 * (131,072 entries). This is NOT the IETF Token Status List layout (LSB first, zlib). The credential
 * format around it is out of scope here.
 */
import { E2eidError } from '../errors.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import type { StatusListCompression } from './compression.js'
import { DEFAULT_MAX_DECOMPRESSED_BYTES, webCompression } from './compression.js'

/** §2.1: the minimum number of entries (16 KB at one bit each). */
export const BITSTRING_MIN_ENTRIES = 131_072

function assertStatusSize(size: unknown): asserts size is number {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 16) {
    throw new E2eidError('ERR_BITSTRING_STATUS_SIZE_INVALID', `statusSize must be an integer from 1 to 16, not ${String(size)}`)
  }
}

/** A W3C bitstring of `statusSize`-bit entries, MSB first, entry `i` at bit position `i * statusSize`. */
export class BitstringStatusList {
  readonly bytes: Uint8Array
  readonly statusSize: number
  /** Number of entries: floor(bytes * 8 / statusSize). */
  readonly size: number

  constructor(bytes: Uint8Array, statusSize = 1) {
    assertStatusSize(statusSize)
    this.bytes = bytes
    this.statusSize = statusSize
    this.size = Math.floor((bytes.length * 8) / statusSize)
  }

  /** A zeroed bitstring with at least `entries` entries (whole bytes), by default at least the 16 KB minimum. */
  static create(entries: number = BITSTRING_MIN_ENTRIES, statusSize = 1): BitstringStatusList {
    assertStatusSize(statusSize)
    if (!Number.isSafeInteger(entries) || entries < 0) throw new E2eidError('ERR_BITSTRING_LENGTH', `invalid entry count ${String(entries)}`)
    return new BitstringStatusList(new Uint8Array(Math.ceil((entries * statusSize) / 8)), statusSize)
  }

  /** Status at `index` (§3.2 step 8: an index past the end is a RANGE_ERROR → ERR_BITSTRING_RANGE). */
  get(index: number): number {
    this.check(index)
    if (this.statusSize === 1) return (this.bytes[index >>> 3]! >> (7 - (index & 7))) & 1
    let v = 0
    const start = index * this.statusSize
    for (let p = start; p < start + this.statusSize; p++) v = (v << 1) | ((this.bytes[Math.floor(p / 8)]! >> (7 - (p % 8))) & 1)
    return v
  }

  /** Sets the status at `index`; ERR_BITSTRING_VALUE_TOO_WIDE when it needs more than `statusSize` bits. */
  set(index: number, value: number): void {
    this.check(index)
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** this.statusSize) {
      throw new E2eidError('ERR_BITSTRING_VALUE_TOO_WIDE', `status ${String(value)} does not fit in ${this.statusSize} bit(s)`)
    }
    const start = index * this.statusSize
    for (let k = 0; k < this.statusSize; k++) {
      const p = start + k
      const bit = (value >> (this.statusSize - 1 - k)) & 1
      const mask = 0x80 >> (p % 8)
      const b = Math.floor(p / 8)
      this.bytes[b] = bit === 1 ? this.bytes[b]! | mask : this.bytes[b]! & ~mask
    }
  }

  private check(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new E2eidError('ERR_BITSTRING_RANGE', `index ${String(index)} is outside the bitstring (size ${this.size})`)
    }
  }
}

/** Options for {@link decodeBitstringStatusList} and {@link encodeBitstringStatusList}. */
export interface BitstringOptions {
  compression?: StatusListCompression
  /** Minimum number of entries (default 131,072; §2.1 lets an ecosystem set another). */
  minimumEntries?: number
  /** Cap on the decompressed bitstring (default 16 MiB). */
  maxDecompressedBytes?: number
}

function assertLength(list: BitstringStatusList, min: number): void {
  // §3.2 step 6 STATUS_LIST_LENGTH_ERROR when bits / statusSize < minimum.
  if (list.size < min) throw new E2eidError('ERR_BITSTRING_LENGTH', `bitstring has ${list.size} entries, fewer than the minimum ${min}`)
}

/** Encodes `encodedList`: 'u' + base64url(GZIP(bitstring)) (§2.2). */
export async function encodeBitstringStatusList(list: BitstringStatusList, options: BitstringOptions = {}): Promise<string> {
  assertLength(list, options.minimumEntries ?? BITSTRING_MIN_ENTRIES)
  const gz = await (options.compression ?? webCompression).compress('gzip', list.bytes)
  return `u${base64urlEncode(gz)}`
}

/** Decodes `encodedList` (multibase 'u' base64url, GZIP) into a bitstring of `statusSize`-bit entries. */
export async function decodeBitstringStatusList(encodedList: unknown, statusSize = 1, options: BitstringOptions = {}): Promise<BitstringStatusList> {
  assertStatusSize(statusSize)
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
    throw new E2eidError('ERR_BITSTRING_ENCODING_INVALID', 'encodedList must be a multibase base64url string (prefix "u")')
  }
  let gz: Uint8Array
  try {
    gz = base64urlDecode(encodedList.slice(1))
  } catch (e) {
    throw new E2eidError('ERR_BITSTRING_ENCODING_INVALID', 'encodedList is not base64url without padding', { cause: e })
  }
  const bytes = await (options.compression ?? webCompression).decompress('gzip', gz, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES)
  const list = new BitstringStatusList(bytes, statusSize)
  assertLength(list, options.minimumEntries ?? BITSTRING_MIN_ENTRIES)
  return list
}

/** A `BitstringStatusListEntry` (§2.1), the credential's `credentialStatus`. */
export interface BitstringStatusListEntry {
  type: 'BitstringStatusListEntry'
  statusPurpose: string
  /** A base-10 integer as a string. */
  statusListIndex: string
  statusListCredential: string
  statusSize?: number
  statusMessage?: { status: string; message: string }[]
  id?: string
  statusReference?: string | string[]
}

/** The `credentialSubject` of a verified BitstringStatusListCredential (§2.2). */
export interface BitstringStatusListSubject {
  type: 'BitstringStatusList'
  statusPurpose: string | string[]
  encodedList: string
  /** Milliseconds (W3C), not seconds (IETF). */
  ttl?: number
}

/** The result of §3.2 validation. */
export interface BitstringStatusResult {
  status: number
  purpose: string
  /** True when the status is 0. */
  valid: boolean
  message?: string
}

/** Validates an untrusted `credentialStatus` entry (§2.1). Throws ERR_BITSTRING_ENTRY_INVALID. */
export function parseBitstringStatusListEntry(value: unknown): BitstringStatusListEntry {
  const bad = (m: string): never => {
    throw new E2eidError('ERR_BITSTRING_ENTRY_INVALID', m)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('credentialStatus entry must be an object')
  const v = value as Record<string, unknown>
  if (v.type !== 'BitstringStatusListEntry') bad('entry type must be BitstringStatusListEntry')
  if (typeof v.statusPurpose !== 'string' || v.statusPurpose.length === 0) bad('statusPurpose must be a string')
  if (typeof v.statusListIndex !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(v.statusListIndex)) bad('statusListIndex must be a base-10 integer string')
  if (typeof v.statusListCredential !== 'string' || !URL.canParse(v.statusListCredential)) bad('statusListCredential must be a URL')
  if (v.id !== undefined && v.id === v.statusListCredential) bad('entry id must not be the status list credential URL')
  const size = v.statusSize ?? 1
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 16) bad('statusSize must be a positive integer (at most 16 here)')
  if (v.statusMessage !== undefined) {
    if (!Array.isArray(v.statusMessage) || v.statusMessage.length !== 2 ** (size as number)) bad('statusMessage must have 2^statusSize elements')
    for (const m of v.statusMessage as unknown[]) {
      const mm = m as Record<string, unknown> | null
      if (typeof mm !== 'object' || mm === null || typeof mm.status !== 'string' || !/^0x[0-9a-fA-F]+$/.test(mm.status) || typeof mm.message !== 'string') {
        bad('statusMessage entries must be {status: "0x..", message}')
      }
    }
  } else if ((size as number) > 1) {
    bad('statusMessage is required when statusSize > 1')
  }
  return v as unknown as BitstringStatusListEntry
}

/**
 * §3.2 validation after the list credential was retrieved and its proof verified by the caller:
 * the entry's purpose must be one of the list's (ERR_BITSTRING_PURPOSE_MISMATCH), the list is expanded
 * and length-checked (ERR_BITSTRING_LENGTH), the index range-checked (ERR_BITSTRING_RANGE).
 */
export async function checkBitstringStatus(entryValue: unknown, subject: BitstringStatusListSubject, options: BitstringOptions = {}): Promise<BitstringStatusResult> {
  const entry = parseBitstringStatusListEntry(entryValue)
  const purposes = Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose]
  if (!purposes.includes(entry.statusPurpose)) {
    throw new E2eidError('ERR_BITSTRING_PURPOSE_MISMATCH', `statusPurpose ${entry.statusPurpose} is not a purpose of the status list`)
  }
  const statusSize = entry.statusSize ?? 1
  const list = await decodeBitstringStatusList(subject.encodedList, statusSize, options)
  const status = list.get(Number(entry.statusListIndex))
  const out: BitstringStatusResult = { status, purpose: entry.statusPurpose, valid: status === 0 }
  const msg = entry.statusMessage?.find((m) => parseInt(m.status.slice(2), 16) === status)
  if (msg !== undefined) out.message = msg.message
  return out
}
