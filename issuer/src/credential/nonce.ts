/**
 * @module credential/nonce
 * The Nonce Endpoint (OpenID4VCI 1.0 §7). §7 does not make it a protected resource: a request without
 * an access token gets a fresh c_nonce that is random, short-lived and single use, but not bound to any
 * token. A request that carries the access token (+ its DPoP proof) gets a c_nonce bound to that token,
 * which only that token can consume (the joint check of specs/issuance-joint-pop.md); a token that does
 * not authenticate is refused rather than silently ignored. `requireBoundNonce` (hardening, default off)
 * refuses requests without a token.
 */
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import { authenticateRequest } from '../oauth/access-token.js'
import { hashSecret, randomSecret } from '../util/secrets.js'

/** Handles POST /nonce; returns `{ c_nonce }`. */
export async function handleNonceRequest(
  ctx: IssuerContext,
  req: { authorization: string | undefined; dpop: string | undefined },
): Promise<{ c_nonce: string }> {
  let tokenHash: string | null = null
  if (req.authorization !== undefined) {
    const auth = await authenticateRequest(ctx, { ...req, method: 'POST', url: issuerEndpoint(ctx, '/nonce') })
    tokenHash = auth.record.tokenHash
  } else if (ctx.config.requireBoundNonce) {
    throw oauthError('invalid_token', 'the nonce endpoint requires the access token (c_nonce is bound to it)', 'ERR_ISSUER_TOKEN_MISSING', {
      status: 401,
      headers: { 'WWW-Authenticate': 'DPoP algs="ES256 EdDSA", Bearer' },
    })
  }
  const nonce = randomSecret(ctx.crypto)
  await ctx.repo.saveNonce(hashSecret(ctx.crypto, nonce), tokenHash, ctx.now() + ctx.config.cNonceTtl)
  return { c_nonce: nonce }
}
