/**
 * @module sd-jwt/jwt
 * The SD-JWT header checks of the JWS parts (issuer-signed JWT, KB-JWT) with SD-JWT error codes: the
 * algorithm allow-list (RFC 9901 §7.1 step 2a, RFC 8725 §3.1; `none` and anything not in the table are
 * rejected before any key is touched) and `typ` comparison. Signing and signature checks are jose/jws.ts.
 */
import type { AlgorithmDescriptor, SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmFromJose } from '../crypto/algorithms.js'
import type { SdJwtErrorCode } from './errors.js'
import { sdJwtError } from './errors.js'

/** Algorithms accepted when the caller gives no allow-list. */
export const DEFAULT_SD_JWT_ALGORITHMS: readonly SignatureAlgorithm[] = ['ES256', 'ES384', 'EdDSA']

/** Resolves the header `alg` against the allow-list; `code` for `none`, unknown or disallowed algorithms. */
export function allowedAlgorithm(alg: unknown, allowed: readonly SignatureAlgorithm[], code: SdJwtErrorCode): AlgorithmDescriptor {
  let d: AlgorithmDescriptor
  try {
    d = algorithmFromJose(alg)
  } catch (e) {
    throw sdJwtError(code, `alg ${JSON.stringify(alg)} is not allowed`, e)
  }
  if (!allowed.includes(d.alg)) throw sdJwtError(code, `alg ${d.alg} is not in the allow-list`)
  return d
}

/**
 * Normalizes a `typ` for comparison: media types are case-insensitive and `dc+sd-jwt` means
 * `application/dc+sd-jwt` (RFC 7515 §4.1.9). Non-strings give undefined.
 */
export function normalizeTypValue(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined
  const t = typ.toLowerCase()
  return t.startsWith('application/') ? t.slice('application/'.length) : t
}
