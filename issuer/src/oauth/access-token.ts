/**
 * @module oauth/access-token
 * Opaque access tokens (stored by hash) and their checking at protected endpoints: RFC 6750
 * Bearer or RFC 9449 DPoP (`Authorization: DPoP <token>` + a DPoP proof with `ath`). A DPoP-bound
 * token presented as Bearer is refused (RFC 9449 §7.1).
 */
import type { IssuerContext } from '../context.js'
import { oauthError, wwwAuthenticate } from '../http/oauth-error.js'
import type { AccessTokenRecord } from '../storage/repository.js'
import { hashSecret, randomSecret } from '../util/secrets.js'
import { verifyDpopProof } from './dpop.js'

/** A new token for a user and the configurations it may obtain. */
export async function issueAccessToken(
  ctx: IssuerContext,
  grant: { userId: string; clientId: string | null; credentialConfigurationIds: string[]; dpopJkt: string | null },
): Promise<{ token: string; record: AccessTokenRecord }> {
  const token = randomSecret(ctx.crypto)
  const now = ctx.now()
  const record: AccessTokenRecord = {
    tokenHash: hashSecret(ctx.crypto, token),
    userId: grant.userId,
    clientId: grant.clientId,
    credentialConfigurationIds: grant.credentialConfigurationIds,
    dpopJkt: grant.dpopJkt,
    createdAt: now,
    expiresAt: now + ctx.config.accessTokenTtl,
  }
  await ctx.repo.saveAccessToken(record)
  return { token, record }
}

function invalidToken(message: string, code: string, scheme = 'DPoP'): never {
  throw oauthError('invalid_token', message, code, {
    status: 401,
    headers: { 'WWW-Authenticate': wwwAuthenticate(scheme === 'DPoP' ? 'DPoP' : 'Bearer', 'invalid_token', message, scheme === 'DPoP' ? ', algs="ES256 EdDSA"' : '') },
  })
}

/** An authenticated resource request. */
export interface AuthenticatedRequest {
  token: string
  record: AccessTokenRecord
}

/**
 * Authenticates a protected request. `url` is the endpoint's public URL (for the DPoP htu).
 * Throws invalid_token (401 + WWW-Authenticate) or invalid_dpop_proof.
 */
export async function authenticateRequest(
  ctx: IssuerContext,
  req: { authorization: string | undefined; dpop: string | undefined; method: string; url: string },
): Promise<AuthenticatedRequest> {
  const auth = req.authorization
  if (auth === undefined || auth.length === 0) {
    throw oauthError('invalid_token', 'access token required', 'ERR_ISSUER_TOKEN_MISSING', {
      status: 401,
      headers: { 'WWW-Authenticate': 'DPoP algs="ES256 EdDSA", Bearer' },
    })
  }
  const m = /^(DPoP|Bearer) ([A-Za-z0-9\-._~+/]+=*)$/i.exec(auth)
  if (m === null) invalidToken('malformed Authorization header', 'ERR_ISSUER_TOKEN_MALFORMED')
  const scheme = m[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer'
  const token = m[2]!
  const tokenHash = hashSecret(ctx.crypto, token)
  const record = await ctx.repo.getAccessToken(tokenHash, ctx.now())
  if (record === null || record.expiresAt <= ctx.now()) invalidToken('access token unknown or expired', 'ERR_ISSUER_TOKEN_INVALID', scheme)
  if (record.dpopJkt !== null) {
    if (scheme !== 'DPoP') invalidToken('DPoP-bound access token presented as Bearer', 'ERR_ISSUER_TOKEN_SCHEME', 'DPoP')
    if (req.dpop === undefined) invalidToken('DPoP proof required', 'ERR_ISSUER_DPOP_MISSING')
    await verifyDpopProof(ctx, { proof: req.dpop, method: req.method, url: req.url, accessToken: token, accessTokenHash: tokenHash, expectedJkt: record.dpopJkt })
  } else if (scheme !== 'Bearer') {
    invalidToken('a bearer access token must use the Bearer scheme', 'ERR_ISSUER_TOKEN_SCHEME', 'Bearer')
  }
  return { token, record }
}
