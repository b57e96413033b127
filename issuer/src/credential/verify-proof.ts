/**
 * @module credential/verify-proof
 * The `jwt` proof type (OpenID4VCI 1.0 Appendix F.1, checks of F.4): typ openid4vci-proof+jwt, alg
 * from the configuration's allow-list, key in `jwk` only (public), signature by that key, `aud` =
 * the Credential Issuer Identifier, `iat` in a window, `nonce` present. The nonce is checked against
 * the access token by the caller, after every proof of the request verified.
 */
import type { PublicJwk, SignatureAlgorithm } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import { SelfSignedJwtError, jwkThumbprint, verifySelfSignedJwt } from '@e2eid/shared'

/** A verified proof: the holder key and the c_nonce it signs. */
export interface VerifiedProof {
  jwk: PublicJwk
  alg: SignatureAlgorithm
  thumbprint: string
  nonce: string
}

/** Verifies one jwt proof; throws invalid_proof with a specific ERR_ISSUER_PROOF_* code. */
export async function verifyJwtProof(
  ctx: IssuerContext,
  proof: string,
  opts: { algs: readonly SignatureAlgorithm[]; clientId: string | null },
): Promise<VerifiedProof> {
  let v
  try {
    v = await verifySelfSignedJwt(proof, { typ: 'openid4vci-proof+jwt', algs: opts.algs, crypto: ctx.crypto })
  } catch (e) {
    if (e instanceof SelfSignedJwtError) throw oauthError('invalid_proof', `proof: ${e.message}`, e.code ?? `ERR_ISSUER_PROOF_${e.reason.toUpperCase()}`)
    throw e
  }
  const p = v.payload
  const aud = p.aud
  if (!(aud === ctx.issuerUrl || (Array.isArray(aud) && aud.length === 1 && aud[0] === ctx.issuerUrl))) {
    throw oauthError('invalid_proof', 'proof aud must be the credential issuer identifier', 'ERR_ISSUER_PROOF_AUD')
  }
  const now = ctx.now()
  if (typeof p.iat !== 'number' || !Number.isFinite(p.iat) || p.iat > now + 60 || p.iat < now - ctx.config.proofMaxAge) {
    throw oauthError('invalid_proof', 'proof iat missing or outside the accepted window', 'ERR_ISSUER_PROOF_IAT')
  }
  if (p.exp !== undefined && (typeof p.exp !== 'number' || p.exp <= now)) {
    throw oauthError('invalid_proof', 'proof is expired', 'ERR_ISSUER_PROOF_EXPIRED')
  }
  // F.1: iss is the client_id; it must be omitted in anonymous pre-authorized access.
  if (p.iss !== undefined && (opts.clientId === null || p.iss !== opts.clientId)) {
    throw oauthError('invalid_proof', 'proof iss does not match the client the token was issued to', 'ERR_ISSUER_PROOF_ISS')
  }
  if (typeof p.nonce !== 'string' || p.nonce.length === 0 || p.nonce.length > 256) {
    throw oauthError('invalid_proof', 'proof has no c_nonce (nonce claim)', 'ERR_ISSUER_PROOF_NONCE_MISSING')
  }
  return { jwk: v.jwk, alg: v.alg, thumbprint: jwkThumbprint(ctx.crypto, v.jwk), nonce: p.nonce }
}
