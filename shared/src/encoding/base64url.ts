/**
 * @module encoding/base64url
 * RFC 4648 §5 base64url without padding, strict on decode.
 */
import { E2eidError } from '../errors.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const LOOKUP = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

interface NativeBuffer {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64url'): string }
}

/**
 * Node's Buffer when it has a native base64url encoder (checked once; a browser or a bundler's polyfill without
 * 'base64url' gets the portable loop): 0.5-1.7 µs for 32 B-2 KB against 1-40 µs for the loop (JWT parts).
 * The API stays Uint8Array in, string out; decoding stays our strict decoder.
 */
const nativeBuffer: NativeBuffer | undefined = (() => {
  const B = (globalThis as { Buffer?: NativeBuffer }).Buffer
  try {
    const probe = new Uint8Array([0xfb, 0xff])
    return B !== undefined && B.from(probe.buffer, 0, 2).toString('base64url') === '-_8' ? B : undefined
  } catch {
    return undefined
  }
})()

/** Encodes bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  if (nativeBuffer !== undefined && bytes.length > 24) return nativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!
  }
  return out
}

/**
 * Decodes unpadded base64url. Rejects padding, other alphabets, impossible lengths and
 * non-zero trailing bits (so each byte string has exactly one encoding).
 */
export function base64urlDecode(text: string): Uint8Array {
  if (text.length % 4 === 1) throw new E2eidError('ERR_BASE64URL_INVALID', 'base64url input has an impossible length')
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let bits = 0
  let acc = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const v = c < 128 ? LOOKUP[c]! : -1
    if (v < 0) throw new E2eidError('ERR_BASE64URL_INVALID', `invalid base64url character at ${i}`)
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new E2eidError('ERR_BASE64URL_INVALID', 'base64url input has non-zero trailing bits')
  return out
}
