/**
 * @module oauth/dpop
 * DPoP proof verification (RFC 9449 §4.3) with a jti replay cache in the repository (§11.1).
 * The DPoP key is independent of the holder key that ends up in the credential.
 */
import type { PublicJwk } from '@e2eid/shared'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { oauthError, wwwAuthenticate } from '../http/oauth-error.js'
import { SelfSignedJwtError, jwkThumbprint, verifySelfSignedJwt } from '@e2eid/shared'

/** Input of {@link verifyDpopProof}. */
export interface DpopCheck {
  /** The `DPoP` request header. */
  proof: string
  /** HTTP method of the request. */
  method: string
  /** The endpoint's public URL (htu is compared without query and fragment, §4.3 step 9). */
  url: string
  /** For resource requests: the access token the proof must hash into `ath` (§4.3 step 11). */
  accessToken?: string
  /**
   * base64url(SHA-256(accessToken)) when the caller has it already: the `ath` value (RFC 9449 §4.2) is
   * the very hash under which the repository finds the token (util/secrets hashSecret), so it is not computed twice.
   */
  accessTokenHash?: string
  /** The jkt the access token (or authorization code) is bound to. */
  expectedJkt?: string | null
}

/** A verified DPoP proof. */
export interface VerifiedDpop {
  jkt: string
  jwk: PublicJwk
}

/** Which error a DPoP failure becomes: invalid_dpop_proof at the token endpoint, invalid_token at resources. */
function fail(resource: boolean, message: string, code: string): never {
  if (resource) {
    throw oauthError('invalid_dpop_proof', message, code, {
      status: 401,
      // The message can quote the proof's header (alg, jwk): wwwAuthenticate keeps it to the RFC 6750 §3 charset.
      headers: { 'WWW-Authenticate': wwwAuthenticate('DPoP', 'invalid_dpop_proof', message, ', algs="ES256 EdDSA"') },
    })
  }
  throw oauthError('invalid_dpop_proof', message, code)
}

/** Verifies a DPoP proof; throws invalid_dpop_proof with a specific ERR_ISSUER_DPOP_* code. */
export async function verifyDpopProof(ctx: IssuerContext, check: DpopCheck): Promise<VerifiedDpop> {
  const resource = check.accessToken !== undefined
  let verified
  try {
    verified = await verifySelfSignedJwt(check.proof, { typ: 'dpop+jwt', algs: ['ES256', 'EdDSA'], crypto: ctx.crypto })
  } catch (e) {
    if (e instanceof SelfSignedJwtError) fail(resource, `DPoP proof: ${e.message}`, e.code ?? `ERR_ISSUER_DPOP_${e.reason.toUpperCase()}`)
    throw e
  }
  const p = verified.payload
  if (typeof p.jti !== 'string' || p.jti.length < 8 || p.jti.length > 256) fail(resource, 'DPoP proof jti missing or invalid', 'ERR_ISSUER_DPOP_JTI')
  if (p.htm !== check.method) fail(resource, 'DPoP proof htm does not match the request method', 'ERR_ISSUER_DPOP_HTM')
  if (typeof p.htu !== 'string' || !sameHtu(p.htu, check.url)) fail(resource, 'DPoP proof htu does not match the endpoint', 'ERR_ISSUER_DPOP_HTU')
  const now = ctx.now()
  const window = ctx.config.proofMaxAge
  if (typeof p.iat !== 'number' || !Number.isFinite(p.iat) || p.iat > now + 60 || p.iat < now - window) {
    fail(resource, 'DPoP proof iat is outside the accepted window', 'ERR_ISSUER_DPOP_IAT')
  }
  if (check.accessToken !== undefined) {
    const ath = check.accessTokenHash ?? base64urlEncode(ctx.crypto.digest('SHA-256', utf8Encode(check.accessToken)))
    if (p.ath !== ath) fail(resource, 'DPoP proof ath does not match the access token', 'ERR_ISSUER_DPOP_ATH')
  }
  const jkt = jwkThumbprint(ctx.crypto, verified.jwk)
  if (check.expectedJkt !== undefined && check.expectedJkt !== null && check.expectedJkt !== jkt) {
    fail(resource, 'DPoP key does not match the key the token is bound to', 'ERR_ISSUER_DPOP_KEY_MISMATCH')
  }
  // §11.1: remember jti (scoped to the key) until the proof could no longer be accepted anyway.
  const fresh = await ctx.repo.recordDpopJti(`${jkt}:${p.jti as string}`, (p.iat as number) + window + 60)
  if (!fresh) fail(resource, 'DPoP proof jti was already used (replay)', 'ERR_ISSUER_DPOP_REPLAY')
  return { jkt, jwk: verified.jwk }
}

function sameHtu(htu: string, url: string): boolean {
  if (htu === url) return true // the common case, without parsing two URLs per request
  try {
    const a = new URL(htu)
    const b = new URL(url)
    return a.origin === b.origin && a.pathname === b.pathname
  } catch {
    return false
  }
}
