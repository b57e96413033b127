/**
 * @module status-list/random-index
 * Uniform random index choice for herd privacy (draft-20 §12.5/§13.x: non-sequential, random indices).
 * Pure: the caller keeps track of used indices (the issuer's database does, never reusing one).
 */
import { E2eidError } from '../errors.js'
import type { CryptoProvider } from '../crypto/provider.js'

/**
 * A uniformly random index in [0, size) from the provider's CSPRNG (rejection sampling, no modulo bias).
 * `size` must be an integer from 1 to 2^32.
 */
export function randomStatusIndex(size: number, provider: Pick<CryptoProvider, 'randomBytes'>): number {
  if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 32) {
    throw new E2eidError('ERR_STATUS_LIST_SIZE_INVALID', `status list size ${String(size)} is invalid`)
  }
  const limit = 2 ** 32 - (2 ** 32 % size) // largest multiple of size that fits in 32 bits
  for (;;) {
    const b = provider.randomBytes(4)
    const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0
    if (n < limit) return n % size
  }
}
