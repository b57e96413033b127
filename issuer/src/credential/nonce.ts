/**
 * @module credential/nonce
 * The Nonce Endpoint (OpenID4VCI 1.0 §7). Each c_nonce is random, short-lived, single use and bound
 * to the access token that fetched it (specs/issuance-joint-pop.md); anonymous requests get an
 * unbound nonce only when `requireBoundNonce` is off.
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
