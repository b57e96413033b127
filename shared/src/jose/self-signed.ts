/**
 * @module jose/self-signed
 * Verification of holder-signed JWTs whose key is in the header (`jwk`): the OpenID4VCI `jwt` proof
 * (Appendix F.1) and the DPoP proof (RFC 9449 §4.2). Deny by default: algorithm allow-list, `typ`
 * required, only a public `jwk` (a private key in the header is rejected), no `crit`.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmFromJose } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { assertKeyFitsAlgorithm, parsePublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlDecode } from '../encoding/base64url.js'
import { isE2eidError } from '../errors.js'
import { decodeJsonObject } from './decode.js'
import { verifyJwsSignature } from './jws.js'

/** A JWT whose signature was checked against the `jwk` of its own header. */
export interface SelfSignedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  alg: SignatureAlgorithm
  jwk: PublicJwk
}

/** Why {@link verifySelfSignedJwt} refused; the caller maps it to its protocol error. */
export type SelfSignedJwtRefusal = 'malformed' | 'typ' | 'alg' | 'key' | 'signature'

/**
 * A refusal of {@link verifySelfSignedJwt}. The caller maps `reason` to its protocol error code
 * (ERR_ISSUER_DPOP_*, ERR_ISSUER_PROOF_*); `code` is set when a shared code must win (ERR_KEY_ED25519_WEAK).
 */
export class SelfSignedJwtError extends Error {
  constructor(
    readonly reason: SelfSignedJwtRefusal,
    message: string,
    /** A shared error code to report instead of the caller's own (ERR_KEY_ED25519_WEAK: one code wherever a key is parsed). */
    readonly code?: string,
  ) {
    super(message)
  }
}

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    return decodeJsonObject(part, what, 'ERR_JWS_MALFORMED')
  } catch (e) {
    // decodeJsonObject gives a cause only when base64url or JSON parsing failed.
    const unparsable = e instanceof Error && e.cause !== undefined
    throw new SelfSignedJwtError('malformed', unparsable ? `JWT ${what} is not base64url JSON` : `JWT ${what} is not an object`)
  }
}

/**
 * Verifies `compact` with the public JWK in its header. Checks, in this order: at most 16 KiB, three
 * non-empty parts, JSON object header and payload, `typ` equals `typ` exactly, no `crit`, `alg` in `algs`,
 * no `kid`/`x5c` beside the `jwk`, `jwk` present and public (no `d`), the key fits `alg`, and the signature.
 */
export async function verifySelfSignedJwt(
  compact: string,
  opts: { typ: string; algs: readonly SignatureAlgorithm[]; crypto: CryptoProvider },
): Promise<SelfSignedJwt> {
  if (typeof compact !== 'string' || compact.length > 16_384) throw new SelfSignedJwtError('malformed', 'JWT is not a string of sane length')
  const parts = compact.split('.')
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) throw new SelfSignedJwtError('malformed', 'JWT must have three non-empty parts')
  const [h, p, s] = parts as [string, string, string]
  const header = decodePart(h, 'header')
  const payload = decodePart(p, 'payload')
  if (header.typ !== opts.typ) throw new SelfSignedJwtError('typ', `JWT typ must be ${opts.typ}`)
  if ('crit' in header) throw new SelfSignedJwtError('malformed', 'JWT crit is not supported')
  let alg: SignatureAlgorithm
  try {
    alg = algorithmFromJose(header.alg).alg
  } catch {
    throw new SelfSignedJwtError('alg', `JWT alg ${JSON.stringify(header.alg)} is not allowed`)
  }
  if (!opts.algs.includes(alg)) throw new SelfSignedJwtError('alg', `JWT alg ${alg} is not allowed here`)
  if ('kid' in header || 'x5c' in header) throw new SelfSignedJwtError('key', 'JWT must carry its key in jwk only (no kid or x5c)')
  const rawJwk = header.jwk
  if (typeof rawJwk !== 'object' || rawJwk === null) throw new SelfSignedJwtError('key', 'JWT header has no jwk')
  if ('d' in rawJwk) throw new SelfSignedJwtError('key', 'JWT header jwk is a private key')
  let jwk: PublicJwk
  let signature: Uint8Array
  try {
    jwk = parsePublicJwk(rawJwk)
    assertKeyFitsAlgorithm(jwk, algorithmFromJose(alg))
    signature = base64urlDecode(s)
  } catch (e) {
    throw new SelfSignedJwtError('key', `JWT header jwk is not usable: ${isE2eidError(e) ? e.message : 'invalid'}`, isE2eidError(e, 'ERR_KEY_ED25519_WEAK') ? e.code : undefined)
  }
  let ok: boolean
  try {
    ok = await verifyJwsSignature(opts.crypto, alg, jwk, compact.slice(0, h.length + 1 + p.length), signature)
  } catch {
    ok = false
  }
  if (!ok) throw new SelfSignedJwtError('signature', 'JWT signature does not verify with its jwk')
  return { header, payload, alg, jwk }
}
