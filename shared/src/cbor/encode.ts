/**
 * @module cbor/encode
 * Encoder of the e2eid CBOR profile: definite lengths only and Preferred Serialization (RFC 8949 §4.1):
 * integers and lengths in their shortest form, floats in the shortest of float16/32/64 that keeps the value.
 * Maps keep insertion order (as the SD-CWT draft's examples, which the generator emits sorted); call
 * {@link sortMapKeys} first, or pass `{ canonical: true }`, for RFC 8949 §4.2.1 bytewise key order.
 *
 * Why not cbor-x's encoder: with every option set it still writes 2^40 and 1.5 as float64, -0 as integer 0,
 * and has no way to write simple(59). cbor-x is used in the tests as an
 * independent cross-check instead.
 */
import { E2eidError } from '../errors.js'
import { CborSimple, CborTag } from './types.js'

/** Options for {@link encodeCbor}. */
export interface EncodeCborOptions {
  /** Sort every map's keys bytewise by their encoding (RFC 8949 §4.2.1 Core Deterministic Encoding). Default false. */
  canonical?: boolean
}

class Writer {
  buf = new Uint8Array(256)
  view = new DataView(this.buf.buffer)
  pos = 0

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let len = this.buf.length * 2
    while (len < this.pos + n) len *= 2
    const next = new Uint8Array(len)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  byte(b: number): void {
    this.ensure(1)
    this.buf[this.pos++] = b
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.pos)
    this.pos += b.length
  }

  /** Writes a head (major type + argument) in its shortest form. */
  head(major: number, n: number): void {
    const m = major << 5
    this.ensure(9)
    if (n < 24) {
      this.buf[this.pos++] = m | n
    } else if (n < 0x100) {
      this.buf[this.pos++] = m | 24
      this.buf[this.pos++] = n
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25
      this.view.setUint16(this.pos, n)
      this.pos += 2
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26
      this.view.setUint32(this.pos, n)
      this.pos += 4
    } else {
      this.buf[this.pos++] = m | 27
      this.view.setBigUint64(this.pos, BigInt(n))
      this.pos += 8
    }
  }

  headBig(major: number, n: bigint): void {
    if (n <= 0xffffffffn) return this.head(major, Number(n))
    this.ensure(9)
    this.buf[this.pos++] = (major << 5) | 27
    this.view.setBigUint64(this.pos, n)
    this.pos += 8
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.pos)
  }
}

const MAX_U64 = 0xffffffffffffffffn
const utf8 = new TextEncoder()

/** float32 → float16 bits when exact, else undefined (RFC 8949 §4.1 Preferred Serialization of floats). */
function toHalf(value: number): number | undefined {
  const f32 = new Float32Array([value])
  if (f32[0] !== value) return undefined
  const bits = new Uint32Array(f32.buffer)[0]!
  const sign = (bits >>> 16) & 0x8000
  const exp = (bits >>> 23) & 0xff
  const mant = bits & 0x7fffff
  if (exp === 0xff) return mant === 0 ? sign | 0x7c00 : undefined // Infinity (NaN handled by the caller)
  if (exp === 0 && mant === 0) return sign // ±0
  const e = exp - 127
  if (e >= -14 && e <= 15) {
    if ((mant & 0x1fff) !== 0) return undefined
    return sign | ((e + 15) << 10) | (mant >>> 13)
  }
  if (e >= -24 && e < -14) {
    // float16 subnormal: value = m * 2^-24
    const full = mant | 0x800000
    const shift = -14 - e + 13
    if ((full & ((1 << shift) - 1)) !== 0) return undefined
    return sign | (full >>> shift)
  }
  return undefined
}

function writeFloat(w: Writer, value: number): void {
  if (Number.isNaN(value)) {
    w.bytes(new Uint8Array([0xf9, 0x7e, 0x00]))
    return
  }
  const half = toHalf(value)
  w.ensure(9)
  if (half !== undefined) {
    w.buf[w.pos++] = 0xf9
    w.view.setUint16(w.pos, half)
    w.pos += 2
  } else if (Math.fround(value) === value) {
    w.buf[w.pos++] = 0xfa
    w.view.setFloat32(w.pos, value)
    w.pos += 4
  } else {
    w.buf[w.pos++] = 0xfb
    w.view.setFloat64(w.pos, value)
    w.pos += 8
  }
}

function writeInteger(w: Writer, n: bigint): void {
  if (n >= 0n) {
    if (n > MAX_U64) throw new E2eidError('ERR_CBOR_UNSUPPORTED', 'integer above 2^64-1 (bignums are not part of the profile)')
    w.headBig(0, n)
  } else {
    const m = -1n - n
    if (m > MAX_U64) throw new E2eidError('ERR_CBOR_UNSUPPORTED', 'integer below -2^64 (bignums are not part of the profile)')
    w.headBig(1, m)
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/**
 * Writes an ASCII-only text string (head + bytes) straight into the buffer, without a TextEncoder allocation
 * (claim names, URLs, ids: the common case). Returns false, having written nothing, at the first non-ASCII unit.
 */
function writeAscii(w: Writer, v: string): boolean {
  const n = v.length
  const h = n < 24 ? 1 : n < 0x100 ? 2 : 3
  w.ensure(Math.max(h + n, 9)) // head() below then never reallocates
  const buf = w.buf
  let p = w.pos + h
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i)
    if (c >= 0x80) return false
    buf[p++] = c
  }
  w.head(3, n)
  w.pos += n
  return true
}

function write(w: Writer, v: unknown, canonical: boolean, depth: number): void {
  if (depth > 1000) throw new E2eidError('ERR_CBOR_TOO_DEEP', 'value nests too deeply to encode')
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v) && !Object.is(v, -0)) {
        if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) w.head(0, v)
        else if (v < 0 && v >= -Number.MAX_SAFE_INTEGER) w.head(1, -1 - v)
        else if (Math.abs(v) <= 2 ** 64) writeInteger(w, BigInt(v))
        else writeFloat(w, v)
      } else {
        writeFloat(w, v)
      }
      return
    case 'bigint':
      writeInteger(w, v)
      return
    case 'string': {
      if (v.length < 0x10000 && writeAscii(w, v)) return
      const b = utf8.encode(v)
      w.head(3, b.length)
      w.bytes(b)
      return
    }
    case 'boolean':
      w.byte(v ? 0xf5 : 0xf4)
      return
    case 'undefined':
      w.byte(0xf7)
      return
    case 'object':
      break
    default:
      throw new E2eidError('ERR_CBOR_UNSUPPORTED', `cannot encode a ${typeof v}`)
  }
  if (v === null) {
    w.byte(0xf6)
  } else if (v instanceof Uint8Array) {
    w.head(2, v.length)
    w.bytes(v)
  } else if (Array.isArray(v)) {
    w.head(4, v.length)
    for (const item of v) write(w, item, canonical, depth + 1)
  } else if (v instanceof Map) {
    w.head(5, v.size)
    if (canonical) {
      // Each key is encoded in place, copied out, and the writer rewound: no Writer per key.
      const entries: (readonly [Uint8Array, unknown])[] = []
      for (const [k, val] of v) {
        const start = w.pos
        write(w, k, true, depth + 1)
        entries.push([w.buf.slice(start, w.pos), val])
        w.pos = start
      }
      entries.sort((a, b) => compareBytes(a[0], b[0]))
      for (let i = 1; i < entries.length; i++) {
        if (compareBytes(entries[i - 1]![0], entries[i]![0]) === 0) throw new E2eidError('ERR_CBOR_DUPLICATE_KEY', 'map has two keys with the same encoding')
      }
      for (const [k, val] of entries) {
        w.bytes(k)
        write(w, val, canonical, depth + 1)
      }
    } else {
      // Distinct JS keys can encode alike (1 and 1n, two equal byte strings or tags): check those maps by encoding.
      let seen: Set<string> | undefined
      for (const k of v.keys()) {
        if (typeof k === 'object' || typeof k === 'bigint') {
          seen = new Set()
          break
        }
      }
      for (const [k, val] of v) {
        const start = w.pos
        write(w, k, canonical, depth + 1)
        if (seen !== undefined) {
          let id = ''
          for (let i = start; i < w.pos; i++) id += String.fromCharCode(w.buf[i]!)
          if (seen.has(id)) throw new E2eidError('ERR_CBOR_DUPLICATE_KEY', 'map has two keys with the same encoding')
          seen.add(id)
        }
        write(w, val, canonical, depth + 1)
      }
    }
  } else if (v instanceof CborTag) {
    w.head(6, v.tag)
    write(w, v.value, canonical, depth + 1)
  } else if (v instanceof CborSimple) {
    if (v.value < 24) w.byte(0xe0 | v.value)
    else {
      w.byte(0xf8)
      w.byte(v.value)
    }
  } else {
    // Plain objects are refused on purpose: `{2: x}` would silently become the text key "2" (cbor-and-crypto.md §1).
    throw new E2eidError('ERR_CBOR_UNSUPPORTED', 'only Map, Array, Uint8Array, CborTag and CborSimple objects can be encoded (use a Map, not a plain object)')
  }
}

let spareWriter: Writer | null = null

/**
 * Encodes `value` with Preferred Serialization and definite lengths. Throws ERR_CBOR_UNSUPPORTED for values
 * outside the profile (plain objects, functions, symbols, integers beyond 64 bits).
 */
export function encodeCbor(value: unknown, options: EncodeCborOptions = {}): Uint8Array {
  // One spare Writer is reused across calls (allocating its buffer and DataView dominated small encodes); a
  // nested call (canonical key sorting) or a throw simply leaves it to a fresh Writer. Returns a copy.
  const w = spareWriter ?? new Writer()
  spareWriter = null
  w.pos = 0
  write(w, value, options.canonical === true, 0)
  const out = w.result()
  if (w.buf.length <= 1 << 16) spareWriter = w
  return out
}

/** The head of a byte string of `length` bytes in its shortest form (e.g. 33 → `58 21`). */
export function encodeBstrHeader(length: number): Uint8Array {
  const out = new Uint8Array(bstrHeadLength(length))
  writeBstrHead(out, 0, length)
  return out
}

/** Length of the shortest head of a byte string of `n` bytes (1, 2, 3, 5 or 9). */
export function bstrHeadLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9
}

/** Writes the shortest head of a byte string of `n` bytes into `out` at `at`; returns the offset after it. */
export function writeBstrHead(out: Uint8Array, at: number, n: number): number {
  const h = bstrHeadLength(n)
  if (h === 1) out[at] = 0x40 | n
  else if (h === 2) {
    out[at] = 0x58
    out[at + 1] = n
  } else if (h === 3) {
    out[at] = 0x59
    out[at + 1] = n >>> 8
    out[at + 2] = n & 0xff
  } else if (h === 5) {
    out[at] = 0x5a
    new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at + 1, n)
  } else {
    out[at] = 0x5b
    new DataView(out.buffer, out.byteOffset, out.byteLength).setBigUint64(at + 1, BigInt(n))
  }
  return at + h
}

/** `bytes` as an encoded CBOR byte string (shortest head followed by the bytes). Hot path of SD-CWT hashing. */
export function wrapBstr(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bstrHeadLength(bytes.length) + bytes.length)
  out.set(bytes, writeBstrHead(out, 0, bytes.length))
  return out
}

/**
 * A deep copy of `value` in which every map's keys are in RFC 8949 §4.2.1 bytewise order of their encodings
 * (what the SD-CWT draft's generator emits). Arrays, tags and other values are copied structurally.
 */
export function sortMapKeys<T>(value: T): T {
  if (value instanceof Map) {
    const entries = [...value.entries()].map(([k, v]) => [encodeCbor(k, { canonical: true }), k, sortMapKeys(v)] as const)
    entries.sort((a, b) => compareBytes(a[0], b[0]))
    return new Map(entries.map(([, k, v]) => [k, v])) as T
  }
  if (Array.isArray(value)) return value.map((x) => sortMapKeys(x)) as T
  if (value instanceof CborTag) return new CborTag(value.tag, sortMapKeys(value.value)) as T
  return value
}

/** Bytewise comparison of two encodings (RFC 8949 §4.2.1 order). */
export function compareCborBytes(a: Uint8Array, b: Uint8Array): number {
  return compareBytes(a, b)
}
