/**
 * @module sd-jwt/hash
 * `_sd_alg` (RFC 9901 §4.1.1): names from the IANA "Named Information Hash Algorithm"
 * registry. Only full-length SHA-2 is accepted (truncated `sha-256-32` etc. are not).
 */
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { sdJwtError } from './errors.js'

/** `_sd_alg` values we issue and accept. */
export type SdAlg = 'sha-256' | 'sha-384' | 'sha-512'

const SD_ALGS: Record<SdAlg, HashAlgorithm> = { 'sha-256': 'SHA-256', 'sha-384': 'SHA-384', 'sha-512': 'SHA-512' }

/** Maps `_sd_alg` (absent = sha-256, §4.1.1) to the provider's hash; ERR_SDJWT_HASH_ALG_UNSUPPORTED otherwise. */
export function hashForSdAlg(sdAlg: unknown): HashAlgorithm {
  if (sdAlg === undefined) return 'SHA-256'
  const h = typeof sdAlg === 'string' && Object.hasOwn(SD_ALGS, sdAlg) ? SD_ALGS[sdAlg as SdAlg] : undefined
  if (h === undefined) throw sdJwtError('ERR_SDJWT_HASH_ALG_UNSUPPORTED', `_sd_alg ${JSON.stringify(sdAlg)} is not supported`)
  return h
}

/**
 * base64url(hash(ASCII(text))): the digest of a disclosure (§4.2.3) and the `sd_hash` (§4.3.1),
 * always over the string as transmitted, never re-serialized.
 */
export function digestText(provider: CryptoProvider, hash: HashAlgorithm, text: string): string {
  return base64urlEncode(provider.digest(hash, utf8Encode(text)))
}
