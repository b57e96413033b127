/**
 * @module did/base58
 * Base58btc decoding (the Bitcoin alphabet) for multibase `z` strings in did:key (W3C did:key §3.1.1).
 */
import { E2eidError } from '../errors.js'

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]))

/** Decodes base58btc; throws ERR_DID_INVALID on a character outside the alphabet or an over-long input. */
export function base58btcDecode(s: string): Uint8Array {
  if (s.length > 256) throw new E2eidError('ERR_DID_INVALID', 'base58 string is too long')
  const bytes: number[] = []
  for (const ch of s) {
    let carry = INDEX.get(ch)
    if (carry === undefined) throw new E2eidError('ERR_DID_INVALID', `invalid base58 character ${JSON.stringify(ch)}`)
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i]! * 58
      bytes[i] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  // Leading '1's are leading zero bytes.
  for (const ch of s) {
    if (ch !== '1') break
    bytes.push(0)
  }
  return Uint8Array.from(bytes.reverse())
}

/** Encodes bytes as base58btc (used by tests and by tools that print a did:key). */
export function base58btcEncode(bytes: Uint8Array): string {
  const digits: number[] = []
  for (const b of bytes) {
    let carry = b
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i]! << 8
      digits[i] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  let out = ''
  for (const b of bytes) {
    if (b !== 0) break
    out += '1'
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]!]
  return out
}
