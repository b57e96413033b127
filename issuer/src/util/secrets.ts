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

/** A uniform integer in [0, n) from the provider's randomness (rejection sampling over 32 bits). */
export function randomInt(crypto: CryptoProvider, n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError('randomInt: n out of range')
  const limit = Math.floor(2 ** 32 / n) * n
  for (;;) {
    const b = crypto.randomBytes(4)
    const v = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!
    if (v < limit) return v % n
  }
}
