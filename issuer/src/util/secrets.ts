/**
 * @module util/secrets
 * Random bearer secrets (codes, tokens, nonces) and the hash under which the repository stores them:
 * the database never holds a usable secret.
 */
import type { CryptoProvider } from '@e2eid/shared'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'

/** A fresh random secret: `bytes` random bytes, base64url (default 32 bytes = 256 bits). */
export function randomSecret(crypto: CryptoProvider, bytes = 32): string {
  return base64urlEncode(crypto.randomBytes(bytes))
}

/** base64url(SHA-256(utf8(secret))): the repository key for a secret. */
export function hashSecret(crypto: CryptoProvider, secret: string): string {
  return base64urlEncode(crypto.digest('SHA-256', utf8Encode(secret)))
}

/** A uniformly random numeric code of `length` digits (tx_code), by rejection sampling. */
export function randomDigits(crypto: CryptoProvider, length: number): string {
  let out = ''
  while (out.length < length) {
    for (const b of crypto.randomBytes(length * 2)) {
      if (b < 250 && out.length < length) out += String(b % 10)
    }
  }
  return out
}
