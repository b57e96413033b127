/**
 * @module oauth/token
 * The Token Endpoint (RFC 6749 §3.2, OpenID4VCI 1.0 §6): the pre-authorized code grant (with
 * tx_code, limited wrong tries) and the authorization code grant (PKCE S256, RFC 7636 §4.6).
 * Access tokens are DPoP-bound (RFC 9449 §5) when the request carries a DPoP proof, which
 * `config.requireDpop` makes mandatory.
 */
import { z } from 'zod'
import { base64urlEncode, bytesEqual, parseWith, utf8Encode } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'
import { asOAuthError, oauthError } from '../http/oauth-error.js'
import { hashSecret } from '../util/secrets.js'
import { verifyDpopProof } from './dpop.js'
import { issueAccessToken } from './access-token.js'
import { PRE_AUTHORIZED_GRANT } from './metadata.js'
import { parseAuthorizationDetails } from './authorization-details.js'

export const zPreAuthorizedRequest = z.object({
  grant_type: z.literal(PRE_AUTHORIZED_GRANT),
  'pre-authorized_code': z.string().min(1).max(512),
  tx_code: z.string().min(1).max(64).optional(),
  authorization_details: z.string().max(8192).optional(),
  client_id: z.string().max(256).optional(),
})

export const zAuthorizationCodeRequest = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1).max(512),
  code_verifier: z.string().regex(/^[A-Za-z0-9\-._~]{43,128}$/, 'code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)'),
  redirect_uri: z.string().min(1).max(2048),
  client_id: z.string().min(1).max(256),
})

/** The token response (RFC 6749 §5.1, OpenID4VCI §6.2). */
export interface TokenResponse {
  access_token: string
  token_type: 'DPoP' | 'Bearer'
  expires_in: number
  authorization_details?: Array<{ type: 'openid_credential'; credential_configuration_id: string; credential_identifiers: string[] }>
}

/** Handles a token request; `dpop` is the DPoP header if any. */
export async function handleTokenRequest(ctx: IssuerContext, form: Record<string, string>, dpop: string | undefined): Promise<TokenResponse> {
  const grantType = form.grant_type
  if (grantType === undefined) throw oauthError('invalid_request', 'grant_type is required')
  if (grantType === PRE_AUTHORIZED_GRANT) return preAuthorizedGrant(ctx, form, dpop)
  if (grantType === 'authorization_code') return authorizationCodeGrant(ctx, form, dpop)
  throw oauthError('unsupported_grant_type', `grant_type ${grantType.slice(0, 64)} is not supported`)
}

async function dpopFor(ctx: IssuerContext, dpop: string | undefined, expectedJkt: string | null): Promise<string | null> {
  if (dpop === undefined) {
    if (ctx.config.requireDpop || expectedJkt !== null) throw oauthError('invalid_dpop_proof', 'a DPoP proof is required (RFC 9449)', 'ERR_ISSUER_DPOP_MISSING')
    return null
  }
  const v = await verifyDpopProof(ctx, { proof: dpop, method: 'POST', url: issuerEndpoint(ctx, '/token'), expectedJkt })
  return v.jkt
}

function response(ctx: IssuerContext, token: string, jkt: string | null, details: TokenResponse['authorization_details']): TokenResponse {
  const r: TokenResponse = { access_token: token, token_type: jkt === null ? 'Bearer' : 'DPoP', expires_in: ctx.config.accessTokenTtl }
  if (details !== undefined) r.authorization_details = details
  return r
}

function detailsResponse(ids: string[]): NonNullable<TokenResponse['authorization_details']> {
  // One credential dataset per configuration: its identifier is the configuration id.
  return ids.map((id) => ({ type: 'openid_credential' as const, credential_configuration_id: id, credential_identifiers: [id] }))
}

async function preAuthorizedGrant(ctx: IssuerContext, form: Record<string, string>, dpop: string | undefined): Promise<TokenResponse> {
  const req = parseWith(zPreAuthorizedRequest, form, 'ERR_ISSUER_INVALID_REQUEST', (issue) => `invalid pre-authorized code token request: ${issue?.message ?? ''}`, asOAuthError('invalid_request'))
  // DPoP first: a request with a bad proof must not burn the code or a tx_code try.
  const jkt = await dpopFor(ctx, dpop, null)
  const requested = req.authorization_details === undefined ? undefined : parseAuthorizationDetails(ctx, req.authorization_details)
  const result = await ctx.repo.consumePreAuthorizedCode(
    hashSecret(ctx.crypto, req['pre-authorized_code']),
    req.tx_code === undefined ? null : hashSecret(ctx.crypto, req.tx_code),
    ctx.now(),
    ctx.config.maxTxCodeFailures,
  )
  if (!result.ok) {
    switch (result.reason) {
      case 'tx_code_required':
        throw oauthError('invalid_request', 'tx_code is required for this pre-authorized code', 'ERR_ISSUER_TX_CODE_REQUIRED')
      case 'tx_code_unexpected':
        // §6.1: tx_code is sent only when the offer asked for one; §6.3: invalid_request.
        throw oauthError('invalid_request', 'this pre-authorized code takes no tx_code', 'ERR_ISSUER_TX_CODE_UNEXPECTED')
      case 'tx_code_invalid':
        // Say how many tries are left before the code is invalidated (the wallet shows it).
        throw oauthError('invalid_grant', `wrong tx_code: ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left`, 'ERR_ISSUER_TX_CODE_INVALID')
      case 'locked':
        throw oauthError('invalid_grant', 'too many wrong tx_code tries: the pre-authorized code is invalidated', 'ERR_ISSUER_TX_CODE_LOCKED')
      case 'used':
        throw oauthError('invalid_grant', 'pre-authorized code was already used', 'ERR_ISSUER_CODE_USED')
      case 'expired':
        throw oauthError('invalid_grant', 'pre-authorized code expired', 'ERR_ISSUER_CODE_EXPIRED')
      default:
        throw oauthError('invalid_grant', 'unknown pre-authorized code', 'ERR_ISSUER_CODE_UNKNOWN')
    }
  }
  const offered = result.offer.credentialConfigurationIds
  let ids = offered
  if (requested !== undefined) {
    for (const id of requested) {
      if (!offered.includes(id)) throw oauthError('invalid_grant', `credential configuration ${id} was not offered`, 'ERR_ISSUER_NOT_OFFERED')
    }
    ids = requested
  }
  const { token } = await issueAccessToken(ctx, { userId: result.offer.userId, clientId: req.client_id ?? null, credentialConfigurationIds: ids, dpopJkt: jkt })
  return response(ctx, token, jkt, requested === undefined ? undefined : detailsResponse(ids))
}

async function authorizationCodeGrant(ctx: IssuerContext, form: Record<string, string>, dpop: string | undefined): Promise<TokenResponse> {
  const req = parseWith(zAuthorizationCodeRequest, form, 'ERR_ISSUER_INVALID_REQUEST', (issue) => `invalid authorization code token request: ${issue?.message ?? ''}`, asOAuthError('invalid_request'))
  const code = await ctx.repo.consumeAuthorizationCode(hashSecret(ctx.crypto, req.code), ctx.now())
  if (code === null) throw oauthError('invalid_grant', 'authorization code unknown, used or expired', 'ERR_ISSUER_CODE_UNKNOWN')
  if (code.clientId !== req.client_id) throw oauthError('invalid_grant', 'client_id does not match the authorization code', 'ERR_ISSUER_CLIENT_MISMATCH')
  if (code.redirectUri !== req.redirect_uri) throw oauthError('invalid_grant', 'redirect_uri does not match the authorization request', 'ERR_ISSUER_REDIRECT_MISMATCH')
  // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge.
  const challenge = base64urlEncode(ctx.crypto.digest('SHA-256', utf8Encode(req.code_verifier)))
  if (!bytesEqual(utf8Encode(challenge), utf8Encode(code.codeChallenge))) {
    throw oauthError('invalid_grant', 'PKCE code_verifier does not match the code_challenge', 'ERR_ISSUER_PKCE_MISMATCH')
  }
  const jkt = await dpopFor(ctx, dpop, code.dpopJkt)
  const { token } = await issueAccessToken(ctx, {
    userId: code.userId,
    clientId: code.clientId,
    credentialConfigurationIds: code.credentialConfigurationIds,
    dpopJkt: jkt,
  })
  // §6.2: authorization_details is REQUIRED when the request used it and OPTIONAL for scope; we always
  // return it. The credential endpoint accepts the identifier or the configuration id.
  return response(ctx, token, jkt, detailsResponse(code.credentialConfigurationIds))
}
