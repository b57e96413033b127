/**
 * @module util/jws
 * Verification of holder-signed JWTs whose key is in the header (`jwk`): the OpenID4VCI `jwt` proof
 * (Appendix F.1) and the DPoP proof (RFC 9449 §4.2). Deny by default: algorithm allow-list, `typ`
 * required, only a public `jwk` (a private key in the header is rejected), no `crit`.
 */
import type { CryptoProvider, PublicJwk, SignatureAlgorithm } from '@e2eid/shared'
import { algorithmFromJose, assertKeyFitsAlgorithm, base64urlDecode, isE2eidError, parsePublicJwk, utf8Decode } from '@e2eid/shared'

/** A JWT whose signature was checked against the `jwk` of its own header. */
export interface SelfSignedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  alg: SignatureAlgorithm
  jwk: PublicJwk
}

/** Why {@link verifySelfSignedJwt} refused (the caller maps this to its protocol error). */
export class SelfSignedJwtError extends Error {
  constructor(
    readonly reason: 'malformed' | 'typ' | 'alg' | 'key' | 'signature',
    message: string,
    /** A shared error code to report instead of the caller's own (ERR_KEY_ED25519_WEAK: one code wherever a key is parsed). */
    readonly code?: string,
  ) {
    super(message)
  }
}

function decodePart(part: string, what: string): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(utf8Decode(base64urlDecode(part)))
  } catch {
    throw new SelfSignedJwtError('malformed', `JWT ${what} is not base64url JSON`)
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SelfSignedJwtError('malformed', `JWT ${what} is not an object`)
  return v as Record<string, unknown>
}

/**
 * Verifies `compact` with the public JWK in its header. Checks: three parts, `typ` equals `typ`
 * exactly, `alg` in `algs`, `jwk` present and public (no `d`), no `kid`/`x5c` alongside it, no `crit`,
 * the key fits `alg`, and the signature.
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
    // The signing input is ASCII (both parts decoded as base64url above): its bytes are its latin1 encoding.
    ok = await opts.crypto.verify(alg, jwk, Buffer.from(compact.slice(0, h.length + 1 + p.length), 'latin1'), signature)
  } catch {
    ok = false
  }
  if (!ok) throw new SelfSignedJwtError('signature', 'JWT signature does not verify with its jwk')
  return { header, payload, alg, jwk }
}
