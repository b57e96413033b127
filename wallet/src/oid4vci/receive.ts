/**
 * @module oid4vci/receive
 * OpenID4VCI 1.0 wallet side with `@openid4vc/openid4vci` (Openid4vciClient): offer by value or
 * by reference (§4.1), issuer and AS metadata (§12), pre-authorized code with tx_code (§3.5,
 * §6.1) or authorization code with PKCE and PAR (§3.4, §5), DPoP (§13.2, RFC 9449), Nonce
 * Endpoint (§7), `jwt` proofs signed by fresh holder keys (App. F.1), batch requests (§8.2).
 * Every credential passes the format's holder checks BEFORE it is stored; a refused credential
 * leaves nothing behind (neither the credential nor its key).
 */
import { E2eidError, base64urlEncode, parsePublicJwk } from '@e2eid/shared'
import type { CryptoProvider, PublicJwk } from '@e2eid/shared'
import { clientAuthenticationAnonymous, clientAuthenticationNone, Oauth2Client, Oauth2ClientErrorResponseError, resourceRequest } from '@openid4vc/oauth2'
import type { AuthorizationServerMetadata, CallbackContext, RequestDpopOptions } from '@openid4vc/oauth2'
import { Openid4vciClient, Openid4vciRetrieveCredentialsError } from '@openid4vc/openid4vci'
import type { CredentialOfferObject, IssuerMetadataResult } from '@openid4vc/openid4vci'
import { getGlobalConfig, setGlobalConfig } from '@openid4vc/utils'
import type { CheckedCredential, CredentialFormatHandler } from '../formats/types.js'
import type { HolderKeyAlgorithm, KeyStore } from '../keys/keystore.js'
import type { StoredCredential, StoredKey, WalletDb } from '../storage/schema.js'
import { SignerRegistry, createCallbacks } from './callbacks.js'
import type { ConfirmIssuer } from './issuer-trust.js'
import { ensureIssuerTrusted } from './issuer-trust.js'

const PRE_AUTH_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

/** How the user gets through the authorization endpoint in the authorization code flow. */
export interface AuthorizationCodeOptions {
  clientId: string
  redirectUri: string
  /**
   * Takes the user to `authorizationRequestUrl` and resolves with the URL the AS redirected
   * back to (carrying `code` and `state`, or an error).
   */
  authorize: (authorizationRequestUrl: string) => Promise<string>
  /** OAuth scope; default: the `scope` of each offered configuration. */
  scope?: string
}

/** Options of {@link receiveCredentialOffer}. */
export interface ReceiveOptions {
  /** Transaction code for a pre-authorized offer that asks for one. */
  txCode?: string
  /** Holder key algorithm (default EdDSA, the MLS ciphersuite 1 key). */
  keyAlg?: HolderKeyAlgorithm
  /** Credentials per configuration (batch issuance, one key each), capped by `batch_size`. Default 1. */
  batch?: number
  /** Only these of the offered configurations (default: all). */
  credentialConfigurationIds?: readonly string[]
  /** Needed when the offer has only the authorization code grant, or when preferred. */
  authorization?: AuthorizationCodeOptions
  /** Use the authorization code grant even when a pre-authorized code is offered. */
  preferAuthorizationCode?: boolean
  /** Allow http:// issuer URLs (loopback development only). */
  allowInsecureUrls?: boolean
  /**
   * Asked before any secret (pre-authorized code, tx_code, authorization request) goes to an issuer that
   * is not trusted yet; show the user `origin`. Resolving true trusts the issuer from now on. Without it an
   * unknown issuer is refused (ERR_WALLET_ISSUER_UNTRUSTED). See oid4vci/issuer-trust.ts.
   */
  confirmIssuer?: ConfirmIssuer
}

/** What {@link receiveCredentialOffer} needs from the wallet. */
export interface ReceiveContext {
  db: WalletDb
  keys: KeyStore
  provider: CryptoProvider
  fetch: typeof fetch
  /** Unix milliseconds. */
  now: () => number
  handlers: readonly CredentialFormatHandler[]
  /** Configured trusted Credential Issuer Identifiers (in addition to the list persisted in `db`). */
  trustedIssuers?: readonly string[]
}

function describe(e: unknown): string {
  if (e instanceof Oauth2ClientErrorResponseError) {
    const r = e.errorResponse
    return `${r.error}${typeof r.error_description === 'string' ? `: ${r.error_description}` : ''}`
  }
  if (e instanceof Openid4vciRetrieveCredentialsError) {
    const body = e.response.credentialErrorResponseResult
    if (body?.success) return `${body.data.error}${body.data.error_description ? `: ${body.data.error_description}` : ''}`
    return `HTTP ${e.response.response.status}`
  }
  return e instanceof Error ? e.message : String(e)
}

function wrapError(code: string, what: string, e: unknown): E2eidError {
  if (e instanceof E2eidError) return e
  return new E2eidError(code, `${what}: ${describe(e)}`, { cause: e })
}

function oauthErrorCode(e: unknown): string | undefined {
  if (e instanceof Openid4vciRetrieveCredentialsError) {
    const body = e.response.credentialErrorResponseResult
    return body?.success ? body.data.error : undefined
  }
  if (e instanceof CredentialErrorResponse) return e.error
  return e instanceof Oauth2ClientErrorResponseError ? e.errorResponse.error : undefined
}

function pickDpopAlg(as: AuthorizationServerMetadata): 'ES256' | 'EdDSA' | undefined {
  const algs = as.dpop_signing_alg_values_supported
  if (algs === undefined || algs.length === 0) return undefined
  if (algs.includes('ES256')) return 'ES256'
  if (algs.includes('EdDSA')) return 'EdDSA'
  throw new E2eidError('ERR_WALLET_DPOP_ALG', `no supported DPoP algorithm among ${algs.join(', ')}`)
}

/**
 * Receives the credentials of an offer (`openid-credential-offer://?credential_offer=…` or
 * `…?credential_offer_uri=…`). Returns the stored credentials. Throws E2eidError:
 * ERR_WALLET_OFFER_INVALID, ERR_WALLET_ISSUER_UNTRUSTED, ERR_WALLET_ISSUER_INVALID, ERR_WALLET_METADATA_INVALID, ERR_WALLET_TX_CODE_REQUIRED,
 * ERR_WALLET_GRANT_UNSUPPORTED, ERR_WALLET_AUTHORIZATION_FAILED, ERR_WALLET_TOKEN_FAILED,
 * ERR_WALLET_NONCE_FAILED, ERR_WALLET_CREDENTIAL_FAILED, ERR_WALLET_FORMAT_UNSUPPORTED, or the
 * holder-check code of the format when a credential is refused.
 */
export async function receiveCredentialOffer(ctx: ReceiveContext, offerUri: string, options: ReceiveOptions = {}): Promise<StoredCredential[]> {
  const previousConfig = getGlobalConfig()
  if (options.allowInsecureUrls === true) setGlobalConfig({ ...previousConfig, allowInsecureUrls: true })
  try {
    return await receive(ctx, offerUri, options)
  } finally {
    if (options.allowInsecureUrls === true) setGlobalConfig(previousConfig)
  }
}

async function receive(ctx: ReceiveContext, offerUri: string, options: ReceiveOptions): Promise<StoredCredential[]> {
  const signers = new SignerRegistry()
  const usePreAuth = (offer: CredentialOfferObject) =>
    offer.grants?.[PRE_AUTH_GRANT] !== undefined && !(options.preferAuthorizationCode === true && offer.grants?.authorization_code !== undefined)
  const base = { provider: ctx.provider, fetch: ctx.fetch, signers }
  const probe = new Openid4vciClient({ callbacks: createCallbacks({ ...base, clientAuthentication: clientAuthenticationAnonymous() }) })

  let offer: CredentialOfferObject
  try {
    offer = await probe.resolveCredentialOffer(offerUri)
  } catch (e) {
    throw wrapError('ERR_WALLET_OFFER_INVALID', 'credential offer could not be resolved', e)
  }
  // Issue 14 item 2: the offer is provider-controlled data; no request to an issuer the user did not trust.
  await ensureIssuerTrusted(ctx.db, offer.credential_issuer, ctx.trustedIssuers, options.confirmIssuer)
  let metadata: IssuerMetadataResult
  try {
    metadata = await probe.resolveIssuerMetadata(offer.credential_issuer)
  } catch (e) {
    throw wrapError('ERR_WALLET_METADATA_INVALID', 'issuer metadata could not be fetched', e)
  }
  const issuer = metadata.credentialIssuer.credential_issuer
  await ctx.db.issuerMetadata.put({
    issuer,
    credentialIssuer: metadata.credentialIssuer,
    authorizationServers: metadata.authorizationServers,
    fetchedAt: ctx.now(),
  })

  const configurationIds = offer.credential_configuration_ids.filter(
    (id) => options.credentialConfigurationIds === undefined || options.credentialConfigurationIds.includes(id),
  )
  if (configurationIds.length === 0) throw new E2eidError('ERR_WALLET_OFFER_INVALID', 'none of the offered credential configurations was selected')
  for (const id of configurationIds) handlerFor(ctx, metadata, id)

  // --- Token (§6) -------------------------------------------------------------------------
  const preAuth = usePreAuth(offer)
  const callbacks = createCallbacks({
    ...base,
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
    // The DPoP key is ephemeral and distinct from the holder key (openid4vci.md §15).
    const kp = await ctx.provider.generateKeyPair(dpopAlg)
    signers.addPrivate(kp.publicJwk, kp.privateJwk, ctx.provider)
    dpop = { signer: { method: 'jwk', alg: dpopAlg, publicJwk: { ...kp.publicJwk } } }
  }

  let accessToken: string
  let tokenResponse: Record<string, unknown>
  if (preAuth) {
    const grant = offer.grants?.[PRE_AUTH_GRANT]
    if (grant?.tx_code !== undefined && (options.txCode === undefined || options.txCode === '')) {
      const desc = grant.tx_code.description === undefined ? '' : ` (${grant.tx_code.description})`
      throw new E2eidError('ERR_WALLET_TX_CODE_REQUIRED', `this offer needs a transaction code${desc}: pass --tx-code`)
    }
    try {
      const r = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
        credentialOffer: offer,
        issuerMetadata: metadata,
        ...(grant?.tx_code !== undefined && options.txCode !== undefined ? { txCode: options.txCode } : {}),
        ...(dpop === undefined ? {} : { dpop }),
      })
      accessToken = r.accessTokenResponse.access_token
      tokenResponse = r.accessTokenResponse
      if (r.dpop !== undefined && dpop !== undefined) dpop = { ...dpop, ...(r.dpop.nonce === undefined ? {} : { nonce: r.dpop.nonce }) }
    } catch (e) {
      throw wrapError('ERR_WALLET_TOKEN_FAILED', 'token request failed', e)
    }
  } else {
    if (offer.grants?.authorization_code === undefined && offer.grants !== undefined && Object.keys(offer.grants).length > 0) {
      throw new E2eidError('ERR_WALLET_GRANT_UNSUPPORTED', 'the offer has no grant this wallet supports')
    }
    const auth = options.authorization
    if (auth === undefined) throw new E2eidError('ERR_WALLET_GRANT_UNSUPPORTED', 'this offer needs the authorization code flow: no authorization handler given')
    const scope = auth.scope ?? scopesFor(metadata, configurationIds)
    let code: string
    let pkceVerifier: string | undefined
    // RFC 6749 §10.12 / RFC 9700 §4.7: a fresh state ties the redirect to this request (PKCE also does).
    const state = base64urlEncode(ctx.provider.randomBytes(16))
    try {
      // Oauth2Client directly: 0.4.6 Openid4vciClient.initiateAuthorization does not forward `state`.
      const issuerState = offer.grants?.authorization_code?.issuer_state
      const init = await new Oauth2Client({ callbacks }).initiateAuthorization({
        authorizationServerMetadata: as,
        clientId: auth.clientId,
        redirectUri: auth.redirectUri,
        state,
        resource: issuer,
        ...(scope === undefined ? {} : { scope }),
        ...(issuerState === undefined ? {} : { additionalRequestPayload: { issuer_state: issuerState } }),
        ...(dpop === undefined ? {} : { dpop }),
      })
      if (init.dpop?.nonce !== undefined && init.dpop.nonce !== null && dpop !== undefined) dpop = { ...dpop, nonce: init.dpop.nonce }
      pkceVerifier = init.pkce?.codeVerifier
      const redirected = await auth.authorize(init.authorizationRequestUrl)
      const response = client.parseAndVerifyAuthorizationResponseRedirectUrl({ url: redirected, authorizationServerMetadata: as })
      if (response.state !== state) throw new E2eidError('ERR_WALLET_AUTHORIZATION_FAILED', 'the authorization response state does not match the request')
      if (response.error !== undefined) throw new E2eidError('ERR_WALLET_AUTHORIZATION_FAILED', `authorization failed: ${response.error}`)
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
      accessToken = r.accessTokenResponse.access_token
      tokenResponse = r.accessTokenResponse
      if (r.dpop !== undefined && dpop !== undefined) dpop = { ...dpop, ...(r.dpop.nonce === undefined ? {} : { nonce: r.dpop.nonce }) }
    } catch (e) {
      throw wrapError('ERR_WALLET_TOKEN_FAILED', 'token request failed', e)
    }
  }

  // --- Credentials (§8) -------------------------------------------------------------------
  const stored: StoredCredential[] = []
  for (const configurationId of configurationIds) {
    const result = await requestAndStore(ctx, client, callbacks, signers, metadata, configurationId, accessToken, tokenResponse, dpop, options)
    dpop = result.dpop
    stored.push(...result.stored)
  }
  return stored
}

function scopesFor(metadata: IssuerMetadataResult, ids: readonly string[]): string | undefined {
  const scopes = ids
    .map((id) => (metadata.credentialIssuer.credential_configurations_supported[id] as { scope?: unknown } | undefined)?.scope)
    .filter((s): s is string => typeof s === 'string')
  return scopes.length === 0 ? undefined : scopes.join(' ')
}

function configurationOf(metadata: IssuerMetadataResult, id: string): Record<string, unknown> {
  const c = metadata.credentialIssuer.credential_configurations_supported[id] as Record<string, unknown> | undefined
  if (c === undefined) throw new E2eidError('ERR_WALLET_OFFER_INVALID', `offered configuration ${id} is not in the issuer metadata`)
  return c
}

function handlerFor(ctx: ReceiveContext, metadata: IssuerMetadataResult, id: string): CredentialFormatHandler {
  const format = configurationOf(metadata, id).format
  const h = ctx.handlers.find((x) => typeof format === 'string' && x.formats.includes(format))
  if (h === undefined) throw new E2eidError('ERR_WALLET_FORMAT_UNSUPPORTED', `credential format ${String(format)} is not supported`)
  return h
}

function pickProofAlg(configuration: Record<string, unknown>, wanted: HolderKeyAlgorithm): HolderKeyAlgorithm {
  const jwt = (configuration.proof_types_supported as Record<string, { proof_signing_alg_values_supported?: unknown }> | undefined)?.jwt
  const algs = jwt?.proof_signing_alg_values_supported
  if (!Array.isArray(algs)) return wanted
  if (algs.includes(wanted)) return wanted
  throw new E2eidError('ERR_WALLET_KEY_ALG', `issuer does not accept ${wanted} proofs (accepts ${algs.join(', ')})`)
}

async function requestAndStore(
  ctx: ReceiveContext,
  client: Openid4vciClient,
  callbacks: ReturnType<typeof createCallbacks>,
  signers: SignerRegistry,
  metadata: IssuerMetadataResult,
  configurationId: string,
  accessToken: string,
  tokenResponse: Record<string, unknown>,
  dpopIn: RequestDpopOptions | undefined,
  options: ReceiveOptions,
): Promise<{ stored: StoredCredential[]; dpop: RequestDpopOptions | undefined }> {
  let dpop = dpopIn
  const configuration = configurationOf(metadata, configurationId)
  const handler = handlerFor(ctx, metadata, configurationId)
  const alg = pickProofAlg(configuration, options.keyAlg ?? 'EdDSA')
  const batchSize = metadata.credentialIssuer.batch_credential_issuance?.batch_size ?? 1
  const count = Math.max(1, Math.min(options.batch ?? 1, batchSize))

  // One fresh key per requested credential (§8.2: each proof key is bound to at most one credential).
  const keys: StoredKey[] = []
  for (let i = 0; i < count; i++) keys.push(await ctx.keys.generate(alg))
  const publicJwks: PublicJwk[] = keys.map((k) => parsePublicJwk(k.publicJwk))
  keys.forEach((k, i) => signers.add(publicJwks[i]!, (header, payload) => ctx.keys.signJwtWith(k, header, payload)))

  const usedKeys = new Set<string>()
  try {
    const identifiers = credentialIdentifiersFor(tokenResponse, configurationId)
    type Body = { credentials?: Array<{ credential: unknown }>; notification_id?: string }
    let response: Body | undefined
    for (let attempt = 0; attempt < 2 && response === undefined; attempt++) {
      let nonce: string | undefined
      if (metadata.credentialIssuer.nonce_endpoint !== undefined) {
        try {
          const r = await requestNonce(client, callbacks, metadata, accessToken, dpop)
          nonce = r.nonce
          if (r.dpopNonce !== undefined && dpop !== undefined) dpop = { ...dpop, nonce: r.dpopNonce }
        } catch (e) {
          throw wrapError('ERR_WALLET_NONCE_FAILED', 'nonce request failed', e)
        }
      }
      const proofs: string[] = []
      for (let i = 0; i < keys.length; i++) {
        const { jwt } = await client.createCredentialRequestJwtProof({
          issuerMetadata: metadata,
          credentialConfigurationId: configurationId,
          signer: { method: 'jwk', alg, publicJwk: { ...publicJwks[i]! } },
          ...(nonce === undefined ? {} : { nonce }),
          issuedAt: new Date(ctx.now()),
        })
        proofs.push(jwt)
      }
      try {
        if (identifiers === undefined) {
          const r = await client.retrieveCredentials({
            issuerMetadata: metadata,
            credentialConfigurationId: configurationId,
            accessToken,
            proofs: { jwt: proofs },
            ...(dpop === undefined ? {} : { dpop }),
          })
          if (r.dpop?.nonce !== undefined && dpop !== undefined) dpop = { ...dpop, nonce: r.dpop.nonce }
          response = r.credentialResponse as unknown as Body
        } else {
          // §8.2: after authorization_details the request MUST use credential_identifier, which the
          // 0.4.6 client cannot combine with its configuration id; send it through resourceRequest.
          const r = await postByIdentifier(callbacks, metadata, identifiers[0]!, proofs, accessToken, dpop)
          if (r.dpopNonce !== undefined && dpop !== undefined) dpop = { ...dpop, nonce: r.dpopNonce }
          response = r.body
        }
      } catch (e) {
        // §8.3.1: invalid_nonce → fetch a fresh c_nonce and retry once.
        if (attempt === 0 && oauthErrorCode(e) === 'invalid_nonce') continue
        throw wrapError('ERR_WALLET_CREDENTIAL_FAILED', 'credential request failed', e)
      }
    }
    const credentials = response?.credentials
    if (credentials === undefined || credentials.length === 0) {
      throw new E2eidError('ERR_WALLET_CREDENTIAL_FAILED', 'the issuer returned no credential (deferred issuance is not supported)')
    }
    if (credentials.length > keys.length) throw new E2eidError('ERR_WALLET_CREDENTIAL_FAILED', 'more credentials than proofs')

    // Holder checks on every credential before anything is stored; one refusal refuses the response.
    const checked: CheckedCredential[] = []
    try {
      for (const c of credentials) {
        const result = await handler.checkReceived({
          credential: c.credential,
          issuer: metadata.credentialIssuer.credential_issuer,
          holderKeys: publicJwks,
          issuerMetadata: metadata.credentialIssuer as unknown as Record<string, unknown>,
          credentialConfiguration: configuration,
          now: ctx.now(),
          fetch: ctx.fetch,
          provider: ctx.provider,
          ...(options.allowInsecureUrls === true ? { allowInsecureLoopback: true } : {}),
        })
        const key = keys[result.holderKeyIndex]
        if (key === undefined || usedKeys.has(key.id)) {
          throw new E2eidError('ERR_WALLET_CNF_REUSED', 'two credentials are bound to the same holder key')
        }
        usedKeys.add(key.id)
        checked.push(result)
      }
    } catch (e) {
      usedKeys.clear() // every key of this request is deleted below
      // §11: tell the issuer the credential was refused (best effort), then report why.
      await notify(client, metadata, accessToken, dpop, response?.notification_id, 'credential_failure')
      throw e
    }

    const receivedAt = ctx.now()
    const rows: StoredCredential[] = checked.map((c) => ({
      id: ctx.keys.newId(),
      format: configuration.format as string,
      raw: c.raw,
      issuer: metadata.credentialIssuer.credential_issuer,
      credentialConfigurationId: configurationId,
      keyId: keys[c.holderKeyIndex]!.id,
      claims: c.claims,
      disclosablePaths: c.disclosablePaths.map((p) => [...p]),
      ...(c.status === undefined ? {} : { statusListUri: c.status.uri, statusIdx: c.status.idx }),
      metadata: {
        ...c.metadata,
        ...(response?.notification_id === undefined ? {} : { notificationId: response.notification_id }),
        ...(displayOf(configuration) === undefined ? {} : { display: displayOf(configuration) }),
      },
      receivedAt,
    }))
    try {
      await ctx.db.credentials.bulkPut(rows)
    } catch (e) {
      usedKeys.clear()
      throw new E2eidError('ERR_WALLET_STORAGE', 'the credentials could not be stored', { cause: e })
    }
    await notify(client, metadata, accessToken, dpop, response?.notification_id, 'credential_accepted')
    return { stored: rows, dpop }
  } finally {
    // Keys that ended up without a credential (refused, or not issued) are deleted.
    for (const k of keys) if (!usedKeys.has(k.id)) await ctx.keys.delete(k.id)
  }
}

/**
 * §7 Nonce Endpoint. The request is sent with the access token (and a DPoP proof) so an issuer
 * may bind the c_nonce to the token (the project's issuer does by default); §7 does not protect
 * the endpoint, so if the issuer refuses the token we retry anonymously through the library.
 */
async function requestNonce(
  client: Openid4vciClient,
  callbacks: Pick<CallbackContext, 'fetch' | 'generateRandom' | 'hash' | 'signJwt'>,
  metadata: IssuerMetadataResult,
  accessToken: string,
  dpop: RequestDpopOptions | undefined,
): Promise<{ nonce: string; dpopNonce: string | undefined }> {
  const r = await resourceRequest({
    callbacks,
    accessToken,
    url: metadata.credentialIssuer.nonce_endpoint!,
    requestOptions: { method: 'POST', headers: {} },
    ...(dpop === undefined ? {} : { dpop }),
  })
  if (r.ok) {
    let body: unknown
    try {
      body = await r.response.clone().json()
    } catch {
      body = undefined
    }
    const c = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).c_nonce : undefined
    if (typeof c !== 'string' || c === '') throw new E2eidError('ERR_WALLET_NONCE_FAILED', 'nonce response has no c_nonce')
    return { nonce: c, dpopNonce: r.dpop?.nonce }
  }
  const anon = await client.requestNonce({ issuerMetadata: metadata })
  return { nonce: anon.c_nonce, dpopNonce: undefined }
}

class CredentialErrorResponse extends Error {
  constructor(readonly error: string, description: string | undefined) {
    super(`${error}${description === undefined ? '' : `: ${description}`}`)
  }
}

async function postByIdentifier(
  callbacks: Pick<CallbackContext, 'fetch' | 'generateRandom' | 'hash' | 'signJwt'>,
  metadata: IssuerMetadataResult,
  credentialIdentifier: string,
  proofs: string[],
  accessToken: string,
  dpop: RequestDpopOptions | undefined,
): Promise<{ body: { credentials?: Array<{ credential: unknown }>; notification_id?: string }; dpopNonce: string | undefined }> {
  const r = await resourceRequest({
    callbacks,
    accessToken,
    url: metadata.credentialIssuer.credential_endpoint,
    requestOptions: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ credential_identifier: credentialIdentifier, proofs: { jwt: proofs } }),
    },
    ...(dpop === undefined ? {} : { dpop }),
  })
  let json: unknown
  try {
    json = await r.response.clone().json()
  } catch {
    json = undefined
  }
  const obj = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {}
  if (!r.ok) {
    throw new CredentialErrorResponse(typeof obj.error === 'string' ? obj.error : `HTTP ${r.response.status}`, typeof obj.error_description === 'string' ? obj.error_description : undefined)
  }
  return { body: obj as { credentials?: Array<{ credential: unknown }>; notification_id?: string }, dpopNonce: r.dpop?.nonce }
}

function displayOf(configuration: Record<string, unknown>): unknown {
  const meta = configuration.credential_metadata as { display?: unknown } | undefined
  return meta?.display ?? configuration.display
}

function credentialIdentifiersFor(tokenResponse: Record<string, unknown>, configurationId: string): string[] | undefined {
  const details = tokenResponse.authorization_details
  if (!Array.isArray(details)) return undefined
  for (const d of details) {
    if (typeof d === 'object' && d !== null && (d as Record<string, unknown>).credential_configuration_id === configurationId) {
      const ids = (d as Record<string, unknown>).credential_identifiers
      if (Array.isArray(ids) && ids.length > 0 && ids.every((x) => typeof x === 'string')) return ids as string[]
    }
  }
  return undefined
}

/** §11: tell the issuer the credential was accepted (best effort; a failure does not undo the receipt). */
async function notify(
  client: Openid4vciClient,
  metadata: IssuerMetadataResult,
  accessToken: string,
  dpop: RequestDpopOptions | undefined,
  notificationId: string | undefined,
  event: 'credential_accepted' | 'credential_failure',
): Promise<void> {
  if (notificationId === undefined || metadata.credentialIssuer.notification_endpoint === undefined) return
  try {
    await client.sendNotification({
      issuerMetadata: metadata,
      accessToken,
      notification: { notificationId, event },
      ...(dpop === undefined ? {} : { dpop }),
    })
  } catch {
    // Notification is optional for the wallet (§11).
  }
}
