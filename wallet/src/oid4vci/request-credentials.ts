/**
 * @module oid4vci/request-credentials
 * Last step of a receive, per configuration: fresh holder keys with `jwt` proofs (OpenID4VCI
 * App. F.1) on a c_nonce from the Nonce Endpoint (§7), the Credential Request (§8, batch §8.2),
 * the format's holder checks on every credential BEFORE anything is stored, and the notification
 * (§11). A refused credential leaves nothing behind (neither the credential nor its key).
 */
import { E2eidError, parsePublicJwk } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { resourceRequest } from '@openid4vc/oauth2'
import type { CallbackContext, RequestDpopOptions } from '@openid4vc/oauth2'
import type { IssuerMetadataResult, Openid4vciClient } from '@openid4vc/openid4vci'
import type { CheckedCredential } from '../formats/types.js'
import type { HolderKeyAlgorithm } from '../keys/keystore.js'
import type { StoredCredential, StoredKey } from '../storage/schema.js'
import type { SignerRegistry } from './callbacks.js'
import { CredentialErrorResponse, oauthErrorCode, wrapError } from './errors.js'
import type { TokenSession } from './obtain-token.js'
import { withNonce } from './obtain-token.js'
import type { ReceiveContext, ReceiveOptions } from './receive.js'
import { configurationOf, handlerFor } from './resolve-offer.js'

type RequestCallbacks = Pick<CallbackContext, 'fetch' | 'generateRandom' | 'hash' | 'signJwt'>
type CredentialResponseBody = { credentials?: Array<{ credential: unknown }>; notification_id?: string }

/** Inputs of {@link requestCredentials}. */
export interface RequestCredentialsInput {
  ctx: ReceiveContext
  session: TokenSession
  signers: SignerRegistry
  metadata: IssuerMetadataResult
  configurationId: string
  options: ReceiveOptions
}

/** What the credential endpoint's client needs for one request: token, DPoP, metadata. */
interface Endpoint {
  client: Openid4vciClient
  callbacks: RequestCallbacks
  metadata: IssuerMetadataResult
  accessToken: string
  dpop: RequestDpopOptions | undefined
}

function pickProofAlg(configuration: Record<string, unknown>, wanted: HolderKeyAlgorithm): HolderKeyAlgorithm {
  const proofTypes = configuration.proof_types_supported as
    | Record<string, { proof_signing_alg_values_supported?: unknown }>
    | undefined
  const algs = proofTypes?.jwt?.proof_signing_alg_values_supported
  if (!Array.isArray(algs)) return wanted
  if (algs.includes(wanted)) return wanted
  throw new E2eidError('ERR_WALLET_KEY_ALG', `issuer does not accept ${wanted} proofs (accepts ${algs.join(', ')})`)
}

/**
 * Requests, checks and stores the credentials of one configuration. Returns them and the DPoP
 * options with the latest server nonce (for the next configuration).
 */
export async function requestCredentials(
  input: RequestCredentialsInput,
): Promise<{ stored: StoredCredential[]; dpop: RequestDpopOptions | undefined }> {
  const { ctx, session, signers, metadata, configurationId, options } = input
  const endpoint: Endpoint = {
    client: session.client,
    callbacks: session.callbacks,
    metadata,
    accessToken: session.accessToken,
    dpop: session.dpop,
  }
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
    const response = await sendCredentialRequest({
      ctx,
      endpoint,
      configurationId,
      identifiers: credentialIdentifiersFor(session.tokenResponse, configurationId),
      alg,
      publicJwks,
    })
    const credentials = response.credentials
    if (credentials === undefined || credentials.length === 0) {
      throw new E2eidError(
        'ERR_WALLET_CREDENTIAL_FAILED',
        'the issuer returned no credential (deferred issuance is not supported)',
      )
    }
    if (credentials.length > keys.length) {
      throw new E2eidError('ERR_WALLET_CREDENTIAL_FAILED', 'more credentials than proofs')
    }

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
      await notify(endpoint, response.notification_id, 'credential_failure')
      throw e
    }

    const receivedAt = ctx.now()
    const display = displayOf(configuration)
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
        ...(response.notification_id === undefined ? {} : { notificationId: response.notification_id }),
        ...(display === undefined ? {} : { display }),
      },
      receivedAt,
    }))
    try {
      await ctx.db.credentials.bulkPut(rows)
    } catch (e) {
      usedKeys.clear()
      throw new E2eidError('ERR_WALLET_STORAGE', 'the credentials could not be stored', { cause: e })
    }
    await notify(endpoint, response.notification_id, 'credential_accepted')
    return { stored: rows, dpop: endpoint.dpop }
  } finally {
    // Keys that ended up without a credential (refused, or not issued) are deleted.
    for (const k of keys) if (!usedKeys.has(k.id)) await ctx.keys.delete(k.id)
  }
}

/**
 * The Credential Request with one proof per key, retried once on a fresh c_nonce after
 * `invalid_nonce` (§8.3.1). Updates `endpoint.dpop` with the server's DPoP nonces.
 */
async function sendCredentialRequest(request: {
  ctx: ReceiveContext
  endpoint: Endpoint
  configurationId: string
  /** §8.2 credential_identifiers of the token response for this configuration, if any. */
  identifiers: string[] | undefined
  /** The holder keys, one proof each. */
  alg: HolderKeyAlgorithm
  publicJwks: readonly PublicJwk[]
}): Promise<CredentialResponseBody> {
  const { ctx, endpoint, configurationId, identifiers } = request
  const { client, metadata, accessToken } = endpoint
  for (let attempt = 0; ; attempt++) {
    let nonce: string | undefined
    if (metadata.credentialIssuer.nonce_endpoint !== undefined) {
      try {
        const r = await requestNonce(endpoint)
        nonce = r.nonce
        endpoint.dpop = withNonce(endpoint.dpop, r.dpopNonce)
      } catch (e) {
        throw wrapError('ERR_WALLET_NONCE_FAILED', 'nonce request failed', e)
      }
    }
    const proofs: string[] = []
    for (const publicJwk of request.publicJwks) {
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata: metadata,
        credentialConfigurationId: configurationId,
        signer: { method: 'jwk', alg: request.alg, publicJwk: { ...publicJwk } },
        ...(nonce === undefined ? {} : { nonce }),
        issuedAt: new Date(ctx.now()),
      })
      proofs.push(jwt)
    }
    const dpop = endpoint.dpop
    try {
      if (identifiers === undefined) {
        const r = await client.retrieveCredentials({
          issuerMetadata: metadata,
          credentialConfigurationId: configurationId,
          accessToken,
          proofs: { jwt: proofs },
          ...(dpop === undefined ? {} : { dpop }),
        })
        endpoint.dpop = withNonce(endpoint.dpop, r.dpop?.nonce)
        return r.credentialResponse as unknown as CredentialResponseBody
      }
      // §8.2: after authorization_details the request MUST use credential_identifier, which the
      // 0.4.6 client cannot combine with its configuration id; send it through resourceRequest.
      const r = await postByIdentifier(endpoint, identifiers[0]!, proofs)
      endpoint.dpop = withNonce(endpoint.dpop, r.dpopNonce)
      return r.body
    } catch (e) {
      // §8.3.1: invalid_nonce → fetch a fresh c_nonce and retry once.
      if (attempt === 0 && oauthErrorCode(e) === 'invalid_nonce') continue
      throw wrapError('ERR_WALLET_CREDENTIAL_FAILED', 'credential request failed', e)
    }
  }
}

/**
 * §7 Nonce Endpoint. The request is sent with the access token (and a DPoP proof) so an issuer
 * may bind the c_nonce to the token (the project's issuer does by default); §7 does not protect
 * the endpoint, so if the issuer refuses the token we retry anonymously through the library.
 */
async function requestNonce(endpoint: Endpoint): Promise<{ nonce: string; dpopNonce: string | undefined }> {
  const { metadata, dpop } = endpoint
  const r = await resourceRequest({
    callbacks: endpoint.callbacks,
    accessToken: endpoint.accessToken,
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
    if (typeof c !== 'string' || c === '') {
      throw new E2eidError('ERR_WALLET_NONCE_FAILED', 'nonce response has no c_nonce')
    }
    return { nonce: c, dpopNonce: r.dpop?.nonce }
  }
  const anon = await endpoint.client.requestNonce({ issuerMetadata: metadata })
  return { nonce: anon.c_nonce, dpopNonce: undefined }
}

async function postByIdentifier(
  endpoint: Endpoint,
  credentialIdentifier: string,
  proofs: string[],
): Promise<{ body: CredentialResponseBody; dpopNonce: string | undefined }> {
  const { dpop } = endpoint
  const r = await resourceRequest({
    callbacks: endpoint.callbacks,
    accessToken: endpoint.accessToken,
    url: endpoint.metadata.credentialIssuer.credential_endpoint,
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
    throw new CredentialErrorResponse(
      typeof obj.error === 'string' ? obj.error : `HTTP ${r.response.status}`,
      typeof obj.error_description === 'string' ? obj.error_description : undefined,
    )
  }
  return { body: obj as CredentialResponseBody, dpopNonce: r.dpop?.nonce }
}

function displayOf(configuration: Record<string, unknown>): unknown {
  const meta = configuration.credential_metadata as { display?: unknown } | undefined
  return meta?.display ?? configuration.display
}

function credentialIdentifiersFor(
  tokenResponse: Record<string, unknown>,
  configurationId: string,
): string[] | undefined {
  const details = tokenResponse.authorization_details
  if (!Array.isArray(details)) return undefined
  for (const d of details) {
    if (typeof d !== 'object' || d === null) continue
    const detail = d as Record<string, unknown>
    if (detail.credential_configuration_id !== configurationId) continue
    const ids = detail.credential_identifiers
    if (Array.isArray(ids) && ids.length > 0 && ids.every((x) => typeof x === 'string')) return ids as string[]
  }
  return undefined
}

/** §11: tell the issuer the credential was accepted or refused (best effort; a failure changes nothing). */
async function notify(
  endpoint: Endpoint,
  notificationId: string | undefined,
  event: 'credential_accepted' | 'credential_failure',
): Promise<void> {
  const { metadata, dpop } = endpoint
  if (notificationId === undefined || metadata.credentialIssuer.notification_endpoint === undefined) return
  try {
    await endpoint.client.sendNotification({
      issuerMetadata: metadata,
      accessToken: endpoint.accessToken,
      notification: { notificationId, event },
      ...(dpop === undefined ? {} : { dpop }),
    })
  } catch {
    // Notification is optional for the wallet (§11).
  }
}
