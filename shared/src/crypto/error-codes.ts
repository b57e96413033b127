/**
 * @module error-codes
 * Every code the crypto area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const CRYPTO_ERRORS = {
  ERR_KEY_ED25519_WEAK: { meaning: 'an Ed25519 public key is malformed or weak (wrong length, not on the curve, small order)' },
  ERR_HASH_UNSUPPORTED: { meaning: 'hash … is not supported' },
  ERR_CRYPTO_UNAVAILABLE: { meaning: 'WebCrypto is not available in this runtime' },
} as const satisfies Record<string, ErrorInfo>

