/**
 * @module mls/tls
 * The slice of the TLS presentation language that MLS credentials use (RFC 9420 §2.1):
 * uint8/uint16 and `opaque x<V>` with the MLS variable-length header. Strict on input:
 * a truncated, non-minimal or `11`-prefixed length header is refused with an E2eidError.
 * Internal to shared/src/mls (not part of the package API).
 */
import { E2eidError } from '../errors.js'

/** RFC 9420 §2.1.2: lengths go up to 2^30 - 1. */
const MAX_V = 0x3fffffff

/** Bytes of the varint header for a length. */
function varintSize(len: number): number {
  if (len < 0x40) return 1
  if (len < 0x4000) return 2
  if (len <= MAX_V) return 4
  throw new E2eidError('ERR_MLS_CREDENTIAL_TOO_LARGE', `length ${len} does not fit an MLS varint`)
}

/** Growable output buffer with the few writers the credential needs. */
export class TlsWriter {
  private parts: Uint8Array[] = []
  private size = 0

  uint8(v: number): this {
    return this.push(Uint8Array.of(v & 0xff))
  }

  uint16(v: number): this {
    return this.push(Uint8Array.of((v >> 8) & 0xff, v & 0xff))
  }

  /** RFC 9420 §2.1.2 variable-length header, always in its minimal form. */
  varint(len: number): this {
    const n = varintSize(len)
    if (n === 1) return this.push(Uint8Array.of(len))
    if (n === 2) return this.push(Uint8Array.of(0x40 | (len >> 8), len & 0xff))
    return this.push(Uint8Array.of(0x80 | (len >>> 24), (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff))
  }

  /** `opaque x<V>`. */
  opaque(bytes: Uint8Array): this {
    return this.varint(bytes.length).push(bytes)
  }

  push(bytes: Uint8Array): this {
    this.parts.push(bytes)
    this.size += bytes.length
    return this
  }

  get length(): number {
    return this.size
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let o = 0
    for (const p of this.parts) {
      out.set(p, o)
      o += p.length
    }
    return out
  }
}

/** Cursor over untrusted bytes; every read is bounds-checked. */
export class TlsReader {
  private offset = 0
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) throw new E2eidError('ERR_MLS_CREDENTIAL_TRUNCATED', `${what}: needs ${n} bytes, ${this.remaining} left`)
  }

  uint8(what: string): number {
    this.need(1, what)
    return this.bytes[this.offset++]!
  }

  uint16(what: string): number {
    this.need(2, what)
    const v = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!
    this.offset += 2
    return v
  }

  /** RFC 9420 §2.1.2 length header: prefix `11` is invalid and lengths must use the minimal form. */
  varint(what: string): number {
    const first = this.uint8(what)
    const prefix = first >> 6
    if (prefix === 0) return first & 0x3f
    if (prefix === 1) {
      const v = ((first & 0x3f) << 8) | this.uint8(what)
      if (v < 0x40) throw new E2eidError('ERR_MLS_VARINT_INVALID', `${what}: length ${v} is not minimally encoded`)
      return v
    }
    if (prefix === 2) {
      this.need(3, what)
      const v = ((first & 0x3f) * 0x1000000) + (this.bytes[this.offset]! << 16) + (this.bytes[this.offset + 1]! << 8) + this.bytes[this.offset + 2]!
      this.offset += 3
      if (v < 0x4000) throw new E2eidError('ERR_MLS_VARINT_INVALID', `${what}: length ${v} is not minimally encoded`)
      return v
    }
    throw new E2eidError('ERR_MLS_VARINT_INVALID', `${what}: length prefix 0b11 is invalid (RFC 9420 §2.1.2)`)
  }

  /** `opaque x<V>`: returns a copy, so callers never alias the input buffer. */
  opaque(what: string): Uint8Array {
    const len = this.varint(what)
    this.need(len, what)
    const out = this.bytes.slice(this.offset, this.offset + len)
    this.offset += len
    return out
  }

  /** The reader over the bytes of one `<V>`-framed vector (for vectors of structs). */
  vector(what: string): TlsReader {
    return new TlsReader(this.opaque(what))
  }

  /** Refuses trailing bytes after a complete structure. */
  end(what: string): void {
    if (this.remaining !== 0) throw new E2eidError('ERR_MLS_CREDENTIAL_TRAILING_BYTES', `${what}: ${this.remaining} bytes after the end`)
  }
}
