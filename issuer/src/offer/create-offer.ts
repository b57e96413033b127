/**
 * @module offer/create-offer
 * Creates a Credential Offer (OpenID4VCI 1.0 §4) with a pre-authorized code grant for one user and
 * returns it both by reference (`openid-credential-offer://?credential_offer_uri=...`, the default
 * printed by the CLI) and by value. The optional tx_code is returned once, to be sent out of band.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import { hashSecret, randomDigits, randomSecret } from '../util/secrets.js'
import { offerCodeKey } from '../util/settings.js'
import { PRE_AUTHORIZED_GRANT } from '../oauth/metadata.js'
import { availableConfiguration, availableConfigurationIds } from '../credential/configurations.js'

/** Input of {@link createCredentialOffer}. */
export interface CreateOfferInput {
  userId: string
  credentialConfigurationIds: string[]
  /** Require a transaction code (numeric, `config.txCodeLength` digits); pre-authorized code flow only. */
  txCode: boolean
  /**
   * Grant of the offer (default the pre-authorized code). `authorization_code` makes an issuer-initiated
   * authorization code offer (§4.1.1 `issuer_state`): the wallet runs PAR + login, and only this user may log in.
   */
  flow?: 'pre-authorized_code' | 'authorization_code'
}

/** A created offer. */
export interface CreatedOffer {
  offerId: string
  /** `openid-credential-offer://?credential_offer_uri=...` */
  offerUri: string
  /** `openid-credential-offer://?credential_offer=...` */
  offerUriByValue: string
  offer: CredentialOfferJson
  txCode: string | null
  credentialConfigurationIds: string[]
  expiresAt: number
}

/** The Credential Offer object (§4.1.1). */
export interface CredentialOfferJson {
  credential_issuer: string
  credential_configuration_ids: string[]
  grants: Record<string, Record<string, unknown>>
}

/**
 * The pre-authorized code of an offer: base64url(HMAC-SHA-256(offer_code_key, offerId)) (RFC 2104). Derived, so the
 * database never stores the code itself yet the offer can be served by reference.
 */
export async function preAuthorizedCodeFor(ctx: IssuerContext, offerId: string): Promise<string> {
  return base64urlEncode(hmac(sha256, await offerCodeKey(ctx), utf8Encode(`pre-authorized_code:${offerId}`)))
}

/** The §4.1.1 offer object of an issuer-initiated authorization code offer. */
function authorizationCodeOfferJson(ctx: IssuerContext, ids: string[], issuerState: string): CredentialOfferJson {
  return { credential_issuer: ctx.issuerUrl, credential_configuration_ids: ids, grants: { authorization_code: { issuer_state: issuerState } } }
}

/** Builds the §4.1.1 offer object. */
function offerJson(ctx: IssuerContext, ids: string[], code: string, txCode: boolean): CredentialOfferJson {
  const grant: Record<string, unknown> = { 'pre-authorized_code': code }
  if (txCode) {
    grant.tx_code = { input_mode: 'numeric', length: ctx.config.txCodeLength, description: 'Code sent to you by the identity authority' }
  }
  return { credential_issuer: ctx.issuerUrl, credential_configuration_ids: ids, grants: { [PRE_AUTHORIZED_GRANT]: grant } }
}

/** URL of an offer served by reference. */
function offerReferenceUrl(ctx: IssuerContext, offerId: string): string {
  return issuerEndpoint(ctx, `/offers/${offerId}`)
}

/** Creates and stores an offer; throws not_found for an unknown user, unknown_credential_configuration for an unknown id. */
export async function createCredentialOffer(ctx: IssuerContext, input: CreateOfferInput): Promise<CreatedOffer> {
  const user = await ctx.repo.getUser(input.userId)
  if (user === null) throw oauthError('not_found', `no user ${input.userId}`, 'ERR_ISSUER_USER_NOT_FOUND')
  const ids = [...new Set(input.credentialConfigurationIds)]
  if (ids.length === 0) throw oauthError('invalid_request', 'at least one credential configuration is required')
  for (const id of ids) {
    if (availableConfiguration(ctx, id) === undefined) {
      throw oauthError('unknown_credential_configuration', `unknown credential configuration ${id}; valid ids: ${availableConfigurationIds(ctx).join(', ')}`)
    }
  }
  const now = ctx.now()
  const offerId = randomSecret(ctx.crypto, 16)
  if (input.flow === 'authorization_code') {
    if (input.txCode) throw oauthError('invalid_request', 'tx_code applies to the pre-authorized code flow only')
    const issuerState = randomSecret(ctx.crypto)
    const expiresAt = now + ctx.config.preAuthorizedCodeTtl
    await ctx.repo.createOffer({
      id: offerId,
      userId: user.id,
      credentialConfigurationIds: ids,
      preAuthorizedCodeHash: null,
      txCodeHash: null,
      txCodeFailures: 0,
      issuerState,
      createdAt: now,
      expiresAt,
      usedAt: null,
    })
    const offer = authorizationCodeOfferJson(ctx, ids, issuerState)
    return {
      offerId,
      offerUri: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerReferenceUrl(ctx, offerId))}`,
      offerUriByValue: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
      offer,
      txCode: null,
      credentialConfigurationIds: ids,
      expiresAt,
    }
  }
  const code = await preAuthorizedCodeFor(ctx, offerId)
  const txCode = input.txCode ? randomDigits(ctx.crypto, ctx.config.txCodeLength) : null
  const expiresAt = now + ctx.config.preAuthorizedCodeTtl
  await ctx.repo.createOffer({
    id: offerId,
    userId: user.id,
    credentialConfigurationIds: ids,
    preAuthorizedCodeHash: hashSecret(ctx.crypto, code),
    txCodeHash: txCode === null ? null : hashSecret(ctx.crypto, txCode),
    txCodeFailures: 0,
    issuerState: null,
    createdAt: now,
    expiresAt,
    usedAt: null,
  })
  const offer = offerJson(ctx, ids, code, txCode !== null)
  return {
    offerId,
    offerUri: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerReferenceUrl(ctx, offerId))}`,
    offerUriByValue: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
    offer,
    txCode,
    credentialConfigurationIds: ids,
    expiresAt,
  }
}

/**
 * Serves an offer by reference (§4.1.3) once: the credential_offer_uri is a bearer secret (whoever fetches it
 * gets the pre-authorized code), so a second fetch is refused (ERR_ISSUER_OFFER_ALREADY_FETCHED, 410), as is a
 * fetch after `offerUriTtl` (ERR_ISSUER_OFFER_URI_EXPIRED, 410); not_found once it is used or unknown.
 */
export async function getCredentialOffer(ctx: IssuerContext, offerId: string): Promise<CredentialOfferJson> {
  const fetched = offerId.length > 64 ? ({ ok: false, reason: 'unknown' } as const) : await ctx.repo.fetchOfferOnce(offerId, ctx.now(), ctx.config.offerUriTtl)
  if (!fetched.ok) {
    if (fetched.reason === 'fetched') throw oauthError('not_found', 'this credential offer was already fetched; ask for a new one', 'ERR_ISSUER_OFFER_ALREADY_FETCHED', { status: 410 })
    if (fetched.reason === 'expired') throw oauthError('not_found', 'this credential offer expired; ask for a new one', 'ERR_ISSUER_OFFER_URI_EXPIRED', { status: 410 })
    throw oauthError('not_found', 'no such credential offer', 'ERR_ISSUER_OFFER_NOT_FOUND')
  }
  const offer = fetched.offer
  if (offer.preAuthorizedCodeHash === null) {
    if (offer.issuerState === null) throw oauthError('not_found', 'no such credential offer', 'ERR_ISSUER_OFFER_NOT_FOUND')
    return authorizationCodeOfferJson(ctx, offer.credentialConfigurationIds, offer.issuerState)
  }
  return offerJson(ctx, offer.credentialConfigurationIds, await preAuthorizedCodeFor(ctx, offer.id), offer.txCodeHash !== null)
}
