/**
 * @module encoding/base64url
 * RFC 4648 §5 base64url without padding, strict on decode.
 */
import { E2eidError } from '../errors.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const LOOKUP = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))

/** Encodes bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  // Character codes into one buffer, then one string per 8 KiB: no intermediate string per character (issue 7).
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3))
  let o = 0
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out[o++] = CODES[n >> 18]!
    out[o++] = CODES[(n >> 12) & 63]!
    out[o++] = CODES[(n >> 6) & 63]!
    out[o++] = CODES[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out[o++] = CODES[n >> 18]!
    out[o++] = CODES[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out[o++] = CODES[n >> 18]!
    out[o++] = CODES[(n >> 12) & 63]!
    out[o++] = CODES[(n >> 6) & 63]!
  }
  if (o <= 8192) return String.fromCharCode.apply(null, out.subarray(0, o) as unknown as number[])
  let text = ''
  for (let k = 0; k < o; k += 8192) text += String.fromCharCode.apply(null, out.subarray(k, Math.min(o, k + 8192)) as unknown as number[])
  return text
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
