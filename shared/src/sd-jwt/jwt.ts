/**
 * @module sd-jwt/jwt
 * Signing and verifying the JWS parts (issuer-signed JWT, KB-JWT) through the CryptoProvider,
 * with the algorithm allow-list (RFC 9901 §7.1 step 2a, RFC 8725 §3.1): `none` and anything
 * not in the table are rejected before any key is touched.
 */
import type { AlgorithmDescriptor, SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmFromJose } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { isE2eidError } from '../errors.js'
import type { DecodedJwt } from './compact.js'
import type { SdJwtErrorCode } from './errors.js'
import { sdJwtError } from './errors.js'
import type { JsonStyle } from './json.js'
import { encodeJson } from './json.js'

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

/** Signs a JWT (compact JWS) with the provider. */
export async function signJwt(
  provider: CryptoProvider,
  alg: SignatureAlgorithm,
  key: PrivateJwk,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  style: JsonStyle = 'compact',
): Promise<string> {
  const signingInput = base64urlEncode(utf8Encode(encodeJson(header, style))) + '.' + base64urlEncode(utf8Encode(encodeJson(payload, style)))
  const sig = await provider.sign(alg, key, utf8Encode(signingInput))
  return signingInput + '.' + base64urlEncode(sig)
}

/**
 * Verifies `jwt`'s signature with `key`. Resolves false for a wrong signature or a key that does
 * not fit the algorithm (a key of another curve can never have made it).
 */
export async function verifyJwtSignature(provider: CryptoProvider, alg: AlgorithmDescriptor, key: PublicJwk, jwt: DecodedJwt): Promise<boolean> {
  try {
    return await provider.verify(alg.alg, key, utf8Encode(jwt.signingInput), jwt.signature)
  } catch (e) {
    if (isE2eidError(e)) return false
    throw e
  }
}
