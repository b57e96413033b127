/**
 * @module oid4vci/obtain-token
 * Second step of a receive: the access token (OpenID4VCI §6) by the pre-authorized code with
 * tx_code (§3.5, §6.1) or the authorization code with PKCE and PAR (§3.4, §5), bound to an
 * ephemeral DPoP key when the authorization server supports DPoP (§13.2, RFC 9449).
 */
import { E2eidError, base64urlEncode } from '@e2eid/shared'
import { clientAuthenticationAnonymous, clientAuthenticationNone, Oauth2Client } from '@openid4vc/oauth2'
import type { AuthorizationServerMetadata, RequestDpopOptions } from '@openid4vc/oauth2'
import { Openid4vciClient } from '@openid4vc/openid4vci'
import type { CredentialOfferObject, IssuerMetadataResult } from '@openid4vc/openid4vci'
import { createCallbacks } from './callbacks.js'
import type { SignerRegistry } from './callbacks.js'
import { wrapError } from './errors.js'
import { requireHttps } from './https-only.js'
import type { AuthorizationCodeOptions, ReceiveContext, ReceiveOptions } from './receive.js'
import type { ResolvedOffer } from './resolve-offer.js'

const PRE_AUTH_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

/** An access token and what the credential requests made with it need. */
export interface TokenSession {
  client: Openid4vciClient
  callbacks: ReturnType<typeof createCallbacks>
  accessToken: string
  tokenResponse: Record<string, unknown>
  /** DPoP signer and latest server nonce; undefined when the AS does not use DPoP. */
  dpop: RequestDpopOptions | undefined
}

/** Inputs of {@link obtainToken}. */
export interface ObtainTokenInput {
  ctx: ReceiveContext
  resolved: ResolvedOffer
  options: ReceiveOptions
  signers: SignerRegistry
  /** The https-policed fetch of this receive. */
  fetch: typeof fetch
}

function pickDpopAlg(as: AuthorizationServerMetadata): 'ES256' | 'EdDSA' | undefined {
  const algs = as.dpop_signing_alg_values_supported
  if (algs === undefined || algs.length === 0) return undefined
  if (algs.includes('ES256')) return 'ES256'
  if (algs.includes('EdDSA')) return 'EdDSA'
  throw new E2eidError('ERR_WALLET_DPOP_ALG', `no supported DPoP algorithm among ${algs.join(', ')}`)
}

function scopesFor(metadata: IssuerMetadataResult, ids: readonly string[]): string | undefined {
  const configurations = metadata.credentialIssuer.credential_configurations_supported
  const scopes = ids
    .map((id) => (configurations[id] as { scope?: unknown } | undefined)?.scope)
    .filter((s): s is string => typeof s === 'string')
  return scopes.length === 0 ? undefined : scopes.join(' ')
}

function usesPreAuthorizedCode(offer: CredentialOfferObject, options: ReceiveOptions): boolean {
  const grants = offer.grants
  if (grants?.[PRE_AUTH_GRANT] === undefined) return false
  return !(options.preferAuthorizationCode === true && grants.authorization_code !== undefined)
}

/** `dpop` with the server's latest DPoP nonce (RFC 9449 §8), if it sent one. */
export function withNonce(
  dpop: RequestDpopOptions | undefined,
  nonce: string | null | undefined,
): RequestDpopOptions | undefined {
  return dpop === undefined || nonce === undefined || nonce === null ? dpop : { ...dpop, nonce }
}

/** Obtains the access token of the offer's grant (pre-authorized code unless told otherwise). */
export async function obtainToken(input: ObtainTokenInput): Promise<TokenSession> {
  const { ctx, options, signers } = input
  const { offer, metadata } = input.resolved
  const preAuth = usesPreAuthorizedCode(offer, options)
  const callbacks = createCallbacks({
    provider: ctx.provider,
    fetch: input.fetch,
    signers,
    clientAuthentication: preAuth || options.authorization === undefined
      ? clientAuthenticationAnonymous()
      : clientAuthenticationNone({ clientId: options.authorization.clientId }),
  })
  const client = new Openid4vciClient({ callbacks })
  const as = metadata.authorizationServers[0]
  if (as === undefined) throw new E2eidError('ERR_WALLET_METADATA_INVALID', 'no authorization server metadata')
  const dpopAlg = pickDpopAlg(as)
  let dpop: RequestDpopOptions | undefined
  if (dpopAlg !== undefined) {
    // The DPoP key is ephemeral and distinct from the holder key (OpenID4VCI §13.2: a DPoP key
    // that were a holder key would link the token to the credential).
    const kp = await ctx.provider.generateKeyPair(dpopAlg)
    signers.addPrivate(kp.publicJwk, kp.privateJwk, ctx.provider)
    dpop = { signer: { method: 'jwk', alg: dpopAlg, publicJwk: { ...kp.publicJwk } } }
  }
  const step = { ctx, client, callbacks, as, offer, metadata, options, dpop }
  const r = preAuth ? await preAuthorizedToken(step) : await authorizationCodeToken(step, input.resolved)
  return {
    client,
    callbacks,
    accessToken: r.accessTokenResponse.access_token,
    tokenResponse: r.accessTokenResponse,
    dpop: r.dpop === undefined ? r.dpopSent : withNonce(r.dpopSent, r.dpop.nonce),
  }
}

interface TokenStep {
  ctx: ReceiveContext
  client: Openid4vciClient
  callbacks: ReturnType<typeof createCallbacks>
  as: AuthorizationServerMetadata
  offer: CredentialOfferObject
  metadata: IssuerMetadataResult
  options: ReceiveOptions
  dpop: RequestDpopOptions | undefined
}

interface TokenResult {
  accessTokenResponse: { access_token: string } & Record<string, unknown>
  dpop?: { nonce?: string | undefined } | undefined
  /** The DPoP options the token request was sent with (with any nonce learnt before it). */
  dpopSent: RequestDpopOptions | undefined
}

async function preAuthorizedToken(step: TokenStep): Promise<TokenResult> {
  const { offer, options, dpop } = step
  const grant = offer.grants?.[PRE_AUTH_GRANT]
  if (grant?.tx_code !== undefined && (options.txCode === undefined || options.txCode === '')) {
    const desc = grant.tx_code.description === undefined ? '' : ` (${grant.tx_code.description})`
    throw new E2eidError('ERR_WALLET_TX_CODE_REQUIRED', `this offer needs a transaction code${desc}: pass --tx-code`)
  }
  try {
    const r = await step.client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer,
      issuerMetadata: step.metadata,
      ...(grant?.tx_code !== undefined && options.txCode !== undefined ? { txCode: options.txCode } : {}),
      ...(dpop === undefined ? {} : { dpop }),
    })
    return { accessTokenResponse: r.accessTokenResponse, dpop: r.dpop, dpopSent: dpop }
  } catch (e) {
    throw wrapError('ERR_WALLET_TOKEN_FAILED', 'token request failed', e)
  }
}

async function authorizationCodeToken(step: TokenStep, resolved: ResolvedOffer): Promise<TokenResult> {
  const { ctx, client, as, offer, metadata, options } = step
  let dpop = step.dpop
  const grants = offer.grants
  if (grants?.authorization_code === undefined && grants !== undefined && Object.keys(grants).length > 0) {
    throw new E2eidError('ERR_WALLET_GRANT_UNSUPPORTED', 'the offer has no grant this wallet supports')
  }
  const auth: AuthorizationCodeOptions | undefined = options.authorization
  if (auth === undefined) {
    throw new E2eidError(
      'ERR_WALLET_GRANT_UNSUPPORTED',
      'this offer needs the authorization code flow: no authorization handler given',
    )
  }
  const scope = auth.scope ?? scopesFor(metadata, resolved.configurationIds)
  let code: string
  let pkceVerifier: string | undefined
  // RFC 6749 §10.12 / RFC 9700 §4.7: a fresh state ties the redirect to this request (PKCE also does).
  const state = base64urlEncode(ctx.provider.randomBytes(16))
  try {
    // Oauth2Client directly: 0.4.6 Openid4vciClient.initiateAuthorization does not forward `state`.
    const issuerState = grants?.authorization_code?.issuer_state
    const init = await new Oauth2Client({ callbacks: step.callbacks }).initiateAuthorization({
      authorizationServerMetadata: as,
      clientId: auth.clientId,
      redirectUri: auth.redirectUri,
      state,
      resource: metadata.credentialIssuer.credential_issuer,
      ...(scope === undefined ? {} : { scope }),
      ...(issuerState === undefined ? {} : { additionalRequestPayload: { issuer_state: issuerState } }),
      ...(dpop === undefined ? {} : { dpop }),
    })
    dpop = withNonce(dpop, init.dpop?.nonce)
    pkceVerifier = init.pkce?.codeVerifier
    requireHttps(init.authorizationRequestUrl, options.allowInsecureUrls === true, 'ERR_WALLET_AUTHORIZATION_FAILED',
      'authorization failed: the authorization endpoint')
    const redirected = await auth.authorize(init.authorizationRequestUrl)
    const response = client.parseAndVerifyAuthorizationResponseRedirectUrl({
      url: redirected,
      authorizationServerMetadata: as,
    })
    if (response.state !== state) {
      throw new E2eidError(
        'ERR_WALLET_AUTHORIZATION_FAILED',
        'the authorization response state does not match the request',
      )
    }
    if (response.error !== undefined) {
      throw new E2eidError('ERR_WALLET_AUTHORIZATION_FAILED', `authorization failed: ${response.error}`)
    }
    code = response.code
  } catch (e) {
    throw wrapError('ERR_WALLET_AUTHORIZATION_FAILED', 'authorization failed', e)
  }
  try {
    const r = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
      credentialOffer: offer,
      issuerMetadata: metadata,
      authorizationCode: code,
      redirectUri: auth.redirectUri,
      ...(pkceVerifier === undefined ? {} : { pkceCodeVerifier: pkceVerifier }),
      ...(dpop === undefined ? {} : { dpop }),
    })
    return { accessTokenResponse: r.accessTokenResponse, dpop: r.dpop, dpopSent: dpop }
  } catch (e) {
    throw wrapError('ERR_WALLET_TOKEN_FAILED', 'token request failed', e)
  }
}
