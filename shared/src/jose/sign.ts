/**
 * @module jose/sign
 * Signs a JWT as a JWS Compact Serialization (RFC 7515 §7.1, RFC 7519 §7.1) through a {@link CryptoProvider}.
 */
import { E2eidError } from '../errors.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { algorithmForCurve, algorithmFromJose } from '../crypto/algorithms.js'
import { assertKeyFitsAlgorithm, parsePrivateJwk } from '../crypto/jwk.js'
import type { PrivateJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { JwtPayload } from './decode.js'

/** Input of {@link signJwt}. */
export interface SignJwtInput {
  /** Protected header. `alg` defaults to the key's algorithm; `typ` should be set by the caller (RFC 8725 §3.11). */
  header: Record<string, unknown> & { alg?: string; typ?: string; kid?: string }
  payload: JwtPayload
  key: PrivateJwk
  provider: CryptoProvider
}

/**
 * Signs `payload` with `key` and returns the compact JWT.
 * Throws ERR_ALG_NOT_ALLOWED for an algorithm outside ES256/ES384/EdDSA, ERR_ALG_KEY_MISMATCH when the key
 * does not fit it.
 *
 * @example
 * const jwt = await signJwt({ header: { typ: 'statuslist+jwt', kid: '12' }, payload, key, provider })
 */
export async function signJwt(input: SignJwtInput): Promise<string> {
  const key = parsePrivateJwk(input.key)
  const desc = input.header.alg === undefined ? algorithmForCurve(key.crv) : algorithmFromJose(input.header.alg)
  assertKeyFitsAlgorithm(key, desc)
  if (typeof input.payload !== 'object' || input.payload === null || Array.isArray(input.payload)) {
    throw new E2eidError('ERR_JWT_PAYLOAD_INVALID', 'JWT payload must be a JSON object')
  }
  const header = { ...input.header, alg: input.header.alg ?? desc.alg }
  const signingInput = `${base64urlEncode(utf8Encode(JSON.stringify(header)))}.${base64urlEncode(utf8Encode(JSON.stringify(input.payload)))}`
  const sig = await input.provider.sign(desc.alg, key, utf8Encode(signingInput))
  return `${signingInput}.${base64urlEncode(sig)}`
}
