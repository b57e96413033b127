/**
 * @module oauth/par
 * Pushed Authorization Requests (RFC 9126) for the authorization code flow, the only way to start
 * it here (`require_pushed_authorization_requests`). Checks the client's redirect URI, PKCE S256
 * (RFC 7636; `plain` refused) and what is requested (scope or authorization_details).
 */
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import { hashSecret, randomSecret } from '../util/secrets.js'
import { configurationIdsForScope, parseAuthorizationDetails } from './authorization-details.js'
import { verifyDpopProof } from './dpop.js'
import { checkClientRedirect } from './clients.js'

export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:'

export const zPar = z.object({
  response_type: z.literal('code'),
  client_id: z.string().min(1).max(256),
  redirect_uri: z.string().min(1).max(2048),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'code_challenge must be a base64url SHA-256'),
  code_challenge_method: z.literal('S256'),
  scope: z.string().max(1024).optional(),
  authorization_details: z.string().max(8192).optional(),
  state: z.string().max(512).optional(),
  issuer_state: z.string().max(512).optional(),
  resource: z.string().max(2048).optional(),
  dpop_jkt: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
})

/** Handles a PAR request; returns the RFC 9126 §2.2 response (HTTP 201). */
export async function handlePushedAuthorizationRequest(
  ctx: IssuerContext,
  form: Record<string, string>,
  dpop: string | undefined,
): Promise<{ request_uri: string; expires_in: number }> {
  if ('request_uri' in form) throw oauthError('invalid_request', 'request_uri is not allowed in a pushed request (RFC 9126 §2.1)')
  const parsed = zPar.safeParse(form)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw oauthError('invalid_request', `invalid pushed authorization request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`)
  }
  const req = parsed.data
  checkClientRedirect(ctx, req.client_id, req.redirect_uri)
  if (req.resource !== undefined && req.resource !== ctx.issuerUrl) throw oauthError('invalid_request', 'unknown resource (RFC 8707)', 'ERR_ISSUER_RESOURCE')
  let ids: string[] = []
  if (req.authorization_details !== undefined) ids = parseAuthorizationDetails(ctx, req.authorization_details)
  if (req.scope !== undefined) for (const id of configurationIdsForScope(ctx, req.scope)) if (!ids.includes(id)) ids.push(id)
  // §5.1.3 issuer_state from an issuer-initiated offer: it names the user and the offered configurations.
  let offerUser: string | null = null
  if (req.issuer_state !== undefined) {
    const offer = await ctx.repo.getOfferByIssuerState(req.issuer_state)
    if (offer === null || offer.usedAt !== null || offer.expiresAt <= ctx.now()) {
      throw oauthError('invalid_request', 'issuer_state is unknown or expired', 'ERR_ISSUER_ISSUER_STATE')
    }
    if (ids.length === 0) ids = [...offer.credentialConfigurationIds]
    if (ids.some((id) => !offer.credentialConfigurationIds.includes(id))) {
      throw oauthError('invalid_request', 'the request asks for configurations the offer did not include', 'ERR_ISSUER_NOT_OFFERED')
    }
    offerUser = offer.userId
  }
  if (ids.length === 0) throw oauthError('invalid_scope', 'request names no known credential configuration (scope or authorization_details)')
  // RFC 9449 §10: a DPoP proof at PAR binds the future code to that key.
  let jkt = req.dpop_jkt ?? null
  if (dpop !== undefined) {
    const v = await verifyDpopProof(ctx, { proof: dpop, method: 'POST', url: issuerEndpoint(ctx, '/par'), expectedJkt: jkt })
    jkt = v.jkt
  }
  const ref = randomSecret(ctx.crypto)
  const now = ctx.now()
  const params: Record<string, string> = {
    redirect_uri: req.redirect_uri,
    code_challenge: req.code_challenge,
    credential_configuration_ids: ids.join(' '),
  }
  if (req.state !== undefined) params.state = req.state
  if (req.issuer_state !== undefined) params.issuer_state = req.issuer_state
  if (offerUser !== null) params.offer_user = offerUser
  if (jkt !== null) params.dpop_jkt = jkt
  await ctx.repo.savePushedAuthorizationRequest({
    requestUriHash: hashSecret(ctx.crypto, ref),
    clientId: req.client_id,
    params,
    createdAt: now,
    expiresAt: now + ctx.config.parTtl,
  })
  return { request_uri: REQUEST_URI_PREFIX + ref, expires_in: ctx.config.parTtl }
}
