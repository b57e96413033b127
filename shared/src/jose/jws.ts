/**
 * @module jose/jws
 * The JWS signing and signature-checking primitives (RFC 7515 §5.1, §5.2) every JWT in the project goes
 * through: jose's signJwt/verifyJwt, the SD-JWT issuer-signed JWT and KB-JWT, and the header-key JWTs of
 * the issuer (DPoP, OpenID4VCI proofs). Header checks (alg allow-list, typ, crit, keys) stay with each
 * caller, which has its own error codes.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { isE2eidError } from '../errors.js'

/** Serializes a header or payload; JSON.stringify unless the caller needs another byte form (e.g. test vectors). */
export type JwsJsonEncoder = (value: Record<string, unknown>) => string

/** Signs `BASE64URL(header) '.' BASE64URL(payload)` with `alg` and returns the compact JWS. The caller checked alg and key. */
export async function signJws(
  provider: CryptoProvider,
  alg: SignatureAlgorithm,
  key: PrivateJwk,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  encode: JwsJsonEncoder = JSON.stringify,
): Promise<string> {
  const signingInput = `${base64urlEncode(utf8Encode(encode(header)))}.${base64urlEncode(utf8Encode(encode(payload)))}`
  const sig = await provider.sign(alg, key, utf8Encode(signingInput))
  return `${signingInput}.${base64urlEncode(sig)}`
}

/**
 * Checks a JWS signature over its (ASCII) signing input. False for a wrong signature and for a key the
 * provider refuses for `alg` (an E2eidError: a key of another curve can never have made it); any other
 * error is a bug and propagates.
 */
export async function verifyJwsSignature(
  provider: CryptoProvider,
  alg: SignatureAlgorithm,
  key: PublicJwk,
  signingInput: string,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    return await provider.verify(alg, key, utf8Encode(signingInput), signature)
  } catch (e) {
    if (isE2eidError(e)) return false
    throw e
  }
}
