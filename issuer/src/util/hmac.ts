/**
 * @module util/hmac
 * HMAC-SHA-256 (RFC 2104) over the provider's synchronous digest. Used to derive a pre-authorized
 * code from its offer id, so that the database never stores the code itself yet the offer can be
 * served by reference.
 */
import type { CryptoProvider } from '@e2eid/shared'
import { concatBytes } from '@e2eid/shared'

const BLOCK = 64

/** HMAC-SHA-256(key, data). */
export function hmacSha256(crypto: CryptoProvider, key: Uint8Array, data: Uint8Array): Uint8Array {
  let k = key.length > BLOCK ? crypto.digest('SHA-256', key) : key
  const padded = new Uint8Array(BLOCK)
  padded.set(k)
  k = padded
  const ipad = k.map((b) => b ^ 0x36)
  const opad = k.map((b) => b ^ 0x5c)
  return crypto.digest('SHA-256', concatBytes(opad, crypto.digest('SHA-256', concatBytes(ipad, data))))
}
