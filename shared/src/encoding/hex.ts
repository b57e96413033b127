/**
 * @module encoding/hex
 * Lower-case hex; the decoder ignores ASCII whitespace (vector files wrap lines).
 */
import { E2eidError } from '../errors.js'

/** Encodes bytes as lower-case hex. */
export function hexEncode(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** Decodes hex, ignoring whitespace; rejects odd lengths and non-hex characters. */
export function hexDecode(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '')
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new E2eidError('ERR_HEX_INVALID', 'input is not an even-length hex string')
  }
  const out = new Uint8Array(clean.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16)
  return out
}
