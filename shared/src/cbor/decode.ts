/**
 * @module cbor/decode
 * Strict decoder of the e2eid CBOR profile. One pass over the bytes checks well-formedness and builds the value;
 * it rejects, each with its own code:
 *
 * | code                        | input                                                                 |
 * |-----------------------------|-----------------------------------------------------------------------|
 * | ERR_CBOR_TOO_LARGE          | more than `maxBytes` bytes                                            |
 * | ERR_CBOR_EMPTY              | zero bytes                                                            |
 * | ERR_CBOR_TRUNCATED          | an item runs past the end (also lengths larger than what is left)     |
 * | ERR_CBOR_TRAILING_BYTES     | bytes after the single top-level item                                 |
 * | ERR_CBOR_INDEFINITE_LENGTH  | indefinite-length strings, arrays, maps (SD-CWT §5; RFC 9052 §3)      |
 * | ERR_CBOR_NOT_PREFERRED      | an integer, length, tag number or simple value not in its shortest form |
 * | ERR_CBOR_DUPLICATE_KEY      | two map keys with the same encoding                                   |
 * | ERR_CBOR_TOO_DEEP           | arrays/maps/tags nested deeper than `maxDepth`                        |
 * | ERR_CBOR_INVALID_UTF8       | a text string that is not valid UTF-8                                 |
 * | ERR_CBOR_MALFORMED          | reserved additional information 28-30, a stray break, simple(<32) in two bytes |
 * | ERR_CBOR_UNSUPPORTED        | a floating-point map key (it would collide with an integer key), a tag number above 2^53 |
 *
 * Byte strings come back as views into the input (no copy): the exact received bytes of COSE protected headers,
 * payloads and SD-CWT disclosures, so verifiers hash and verify what was sent and never re-encode.
 * Because lengths must be preferred, the head of a byte string can be rebuilt exactly from its length
 * ({@link encodeBstrHeader}). Floats may use any width (only integers and lengths must be shortest).
 *
 * Why not cbor-x's decoder: it throws a plain Error on simple(59) ("No packed values available"), interprets
 * tags (dates, typed arrays, shared references), lets the last duplicate key win, and accepts indefinite lengths.
 */
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import { CborSimple, CborTag } from './types.js'

/** Limits for {@link decodeCbor}. */
export interface DecodeCborOptions {
  /** Maximum nesting of arrays, maps and tags (a tag counts as one level). Default 32. */
  maxDepth?: number
  /** Maximum input size in bytes. Default 1 MiB. */
  maxBytes?: number
}

/** Default {@link DecodeCborOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 32
/** Default {@link DecodeCborOptions.maxBytes}. */
export const DEFAULT_MAX_BYTES = 1 << 20

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function fail(code: ErrorCode, message: string): never {
  throw new E2eidError(code, message)
}

class Reader {
  pos = 0
  private dataView: DataView | undefined
  constructor(
    readonly buf: Uint8Array,
    readonly maxDepth: number,
  ) {}

  /** Made on the first 8-byte or floating-point read only: most inputs never need one. */
  get view(): DataView {
    return (this.dataView ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength))
  }

  need(n: number): void {
    if (n > this.buf.length - this.pos) fail('ERR_CBOR_TRUNCATED', `CBOR item runs past the end of the input at offset ${this.pos}`)
  }

  /** Reads the argument of a head; returns number when safe, bigint otherwise. Enforces shortest form. */
  arg(ai: number, start: number): number | bigint {
    if (ai < 24) return ai
    switch (ai) {
      case 24: {
        this.need(1)
        const v = this.buf[this.pos++]!
        if (v < 24) fail('ERR_CBOR_NOT_PREFERRED', `non-preferred argument encoding at offset ${start}`)
        return v
      }
      // 2- and 4-byte arguments (lengths of 256+ bytes, times) read byte by byte: no DataView for most inputs.
      case 25: {
        this.need(2)
        const b = this.buf
        const p = this.pos
        const v = (b[p]! << 8) | b[p + 1]!
        this.pos = p + 2
        if (v < 0x100) fail('ERR_CBOR_NOT_PREFERRED', `non-preferred argument encoding at offset ${start}`)
        return v
      }
      case 26: {
        this.need(4)
        const b = this.buf
        const p = this.pos
        const v = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
        this.pos = p + 4
        if (v < 0x10000) fail('ERR_CBOR_NOT_PREFERRED', `non-preferred argument encoding at offset ${start}`)
        return v
      }
      case 27: {
        this.need(8)
        const v = this.view.getBigUint64(this.pos)
        this.pos += 8
        if (v < 0x100000000n) fail('ERR_CBOR_NOT_PREFERRED', `non-preferred argument encoding at offset ${start}`)
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
      }
      case 31:
        return fail('ERR_CBOR_INDEFINITE_LENGTH', `indefinite-length item at offset ${start}`)
      default:
        return fail('ERR_CBOR_MALFORMED', `reserved additional information ${ai} at offset ${start}`)
    }
  }

  /** A length: must fit in what is left of the input (each element takes at least `unit` bytes). */
  length(ai: number, start: number, unit: number): number {
    const n = this.arg(ai, start)
    if (typeof n === 'bigint' || n * unit > this.buf.length - this.pos) {
      fail('ERR_CBOR_TRUNCATED', `declared length at offset ${start} exceeds the input`)
    }
    return n
  }

  item(depth: number): unknown {
    const start = this.pos
    this.need(1)
    const ib = this.buf[this.pos++]!
    const major = ib >> 5
    const ai = ib & 0x1f
    switch (major) {
      case 0:
        return this.arg(ai, start)
      case 1: {
        const n = this.arg(ai, start)
        if (typeof n === 'number') return n < Number.MAX_SAFE_INTEGER ? -1 - n : -1n - BigInt(n)
        return -1n - n
      }
      case 2: {
        const len = this.length(ai, start, 1)
        const b = this.buf.subarray(this.pos, this.pos + len)
        this.pos += len
        return b
      }
      case 3: {
        const len = this.length(ai, start, 1)
        const from = this.pos
        this.pos += len
        if (len <= 64) {
          // Short ASCII strings (labels, ids, URLs) without a TextDecoder call; ASCII is always valid UTF-8. The
          // codes go through a plain array: fromCharCode.apply on a typed array (and the subarray) costs ~2x more.
          const buf = this.buf
          const codes = new Array<number>(len)
          let i = 0
          for (; i < len; i++) {
            const c = buf[from + i]!
            if (c >= 0x80) break
            codes[i] = c
          }
          if (i === len) return String.fromCharCode.apply(null, codes)
        }
        try {
          return utf8.decode(this.buf.subarray(from, from + len))
        } catch (e) {
          throw new E2eidError('ERR_CBOR_INVALID_UTF8', `invalid UTF-8 in text string at offset ${start}`, { cause: e })
        }
      }
      case 4: {
        const len = this.length(ai, start, 1)
        if (depth >= this.maxDepth) fail('ERR_CBOR_TOO_DEEP', `nesting deeper than ${this.maxDepth} at offset ${start}`)
        const out = new Array<unknown>(len)
        for (let i = 0; i < len; i++) out[i] = this.item(depth + 1)
        return out
      }
      case 5: {
        const len = this.length(ai, start, 2)
        if (depth >= this.maxDepth) fail('ERR_CBOR_TOO_DEEP', `nesting deeper than ${this.maxDepth} at offset ${start}`)
        const out = new Map<unknown, unknown>()
        // Duplicate keys are found by their encoded bytes (preferred form is enforced, so equal keys encode equally).
        if (len <= 16) {
          // Small maps (nearly all of COSE/CWT): compare the key byte ranges directly, no strings or Set.
          const bounds: number[] = []
          for (let i = 0; i < len; i++) {
            const keyStart = this.pos
            const kb = this.buf[keyStart]
            if (kb === 0xf9 || kb === 0xfa || kb === 0xfb) fail('ERR_CBOR_UNSUPPORTED', `floating-point map key at offset ${keyStart}`)
            const key = this.item(depth + 1)
            const keyEnd = this.pos
            if (out.has(key)) fail('ERR_CBOR_DUPLICATE_KEY', `duplicate map key at offset ${keyStart}`)
            for (let j = 0; j < bounds.length; j += 2) {
              if (sameRange(this.buf, bounds[j]!, bounds[j + 1]!, keyStart, keyEnd)) fail('ERR_CBOR_DUPLICATE_KEY', `duplicate map key at offset ${keyStart}`)
            }
            bounds.push(keyStart, keyEnd)
            out.set(key, this.item(depth + 1))
          }
          return out
        }
        const seen = new Set<string>()
        for (let i = 0; i < len; i++) {
          const keyStart = this.pos
          const kb = this.buf[keyStart]
          // Float keys would collide with integer keys in a JS Map (1.0 and 1 are the same number): refused.
          if (kb === 0xf9 || kb === 0xfa || kb === 0xfb) fail('ERR_CBOR_UNSUPPORTED', `floating-point map key at offset ${keyStart}`)
          const key = this.item(depth + 1)
          const enc = latin1(this.buf, keyStart, this.pos)
          if (seen.has(enc) || out.has(key)) fail('ERR_CBOR_DUPLICATE_KEY', `duplicate map key at offset ${keyStart}`)
          seen.add(enc)
          out.set(key, this.item(depth + 1))
        }
        return out
      }
      case 6: {
        const tag = this.arg(ai, start)
        if (typeof tag === 'bigint') fail('ERR_CBOR_UNSUPPORTED', `tag number ${tag} is too large`)
        if (depth >= this.maxDepth) fail('ERR_CBOR_TOO_DEEP', `nesting deeper than ${this.maxDepth} at offset ${start}`)
        return new CborTag(tag, this.item(depth + 1))
      }
      default:
        return this.simpleOrFloat(ai, start)
    }
  }

  simpleOrFloat(ai: number, start: number): unknown {
    switch (ai) {
      case 20:
        return false
      case 21:
        return true
      case 22:
        return null
      case 23:
        return undefined
      case 24: {
        this.need(1)
        const v = this.buf[this.pos++]!
        if (v < 32) fail('ERR_CBOR_MALFORMED', `simple value ${v} in two-byte form at offset ${start}`)
        return new CborSimple(v)
      }
      case 25: {
        this.need(2)
        const v = halfToNumber(this.view.getUint16(this.pos))
        this.pos += 2
        return v
      }
      case 26: {
        this.need(4)
        const v = this.view.getFloat32(this.pos)
        this.pos += 4
        return v
      }
      case 27: {
        this.need(8)
        const v = this.view.getFloat64(this.pos)
        this.pos += 8
        return v
      }
      case 31:
        return fail('ERR_CBOR_MALFORMED', `unexpected break at offset ${start}`)
      default:
        if (ai < 20) return new CborSimple(ai)
        return fail('ERR_CBOR_MALFORMED', `reserved additional information ${ai} at offset ${start}`)
    }
  }
}

function sameRange(buf: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false
  for (let i = 0; a + i < aEnd; i++) if (buf[a + i] !== buf[b + i]) return false
  return true
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  let s = ''
  for (let i = from; i < to; i++) s += String.fromCharCode(buf[i]!)
  return s
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const mant = h & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}

/**
 * Decodes exactly one CBOR data item from `bytes` under the strict profile (see the module comment for each
 * rejection and its code). Returned byte strings are views into `bytes`: do not mutate the input afterwards.
 */
export function decodeCbor(bytes: Uint8Array, options: DecodeCborOptions = {}): unknown {
  if (!(bytes instanceof Uint8Array)) fail('ERR_CBOR_UNSUPPORTED', 'input must be a Uint8Array')
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  if (bytes.length > maxBytes) fail('ERR_CBOR_TOO_LARGE', `input of ${bytes.length} bytes exceeds the limit of ${maxBytes}`)
  if (bytes.length === 0) fail('ERR_CBOR_EMPTY', 'input is empty')
  // A plain Uint8Array view, so byte strings handed out are never Node Buffers.
  const buf = Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const r = new Reader(buf, options.maxDepth ?? DEFAULT_MAX_DEPTH)
  const value = r.item(0)
  if (r.pos !== buf.length) fail('ERR_CBOR_TRAILING_BYTES', `${buf.length - r.pos} bytes after the CBOR item`)
  return value
}
