/**
 * @module oid4vci/resolve-offer
 * First step of a receive: the Credential Offer by value or by reference (OpenID4VCI §4.1), the
 * user's trust in its issuer, the issuer and authorization server metadata (§12), and the offered
 * configurations this wallet will request.
 */
import { E2eidError } from '@e2eid/shared'
import { Openid4vciClient } from '@openid4vc/openid4vci'
import type { CredentialOfferObject, IssuerMetadataResult } from '@openid4vc/openid4vci'
import type { CredentialFormatHandler } from '../formats/types.js'
import type { createCallbacks } from './callbacks.js'
import { wrapError } from './errors.js'
import { requireHttps } from './https-only.js'
import { ensureIssuerTrusted } from './issuer-trust.js'
import type { ReceiveContext, ReceiveOptions } from './receive.js'

/** What {@link resolveOffer} found. */
export interface ResolvedOffer {
  offer: CredentialOfferObject
  metadata: IssuerMetadataResult
  /** The offered configurations selected by the options, each with a format handler. */
  configurationIds: string[]
}

/** Inputs of {@link resolveOffer}. */
export interface ResolveOfferInput {
  ctx: ReceiveContext
  offerUri: string
  options: ReceiveOptions
  /** Anonymous client callbacks (no secret is sent while resolving). */
  callbacks: ReturnType<typeof createCallbacks>
}

/** The configuration `id` of the issuer metadata; ERR_WALLET_OFFER_INVALID when it is absent. */
export function configurationOf(metadata: IssuerMetadataResult, id: string): Record<string, unknown> {
  const c = metadata.credentialIssuer.credential_configurations_supported[id] as Record<string, unknown> | undefined
  if (c === undefined) {
    throw new E2eidError('ERR_WALLET_OFFER_INVALID', `offered configuration ${id} is not in the issuer metadata`)
  }
  return c
}

/** The handler of the format of configuration `id`; ERR_WALLET_FORMAT_UNSUPPORTED when none. */
export function handlerFor(ctx: ReceiveContext, metadata: IssuerMetadataResult, id: string): CredentialFormatHandler {
  const format = configurationOf(metadata, id).format
  const h = ctx.handlers.find((x) => typeof format === 'string' && x.formats.includes(format))
  if (h === undefined) {
    throw new E2eidError('ERR_WALLET_FORMAT_UNSUPPORTED', `credential format ${String(format)} is not supported`)
  }
  return h
}

/** Resolves the offer and the metadata, stores the metadata, and selects the configurations. */
export async function resolveOffer(input: ResolveOfferInput): Promise<ResolvedOffer> {
  const { ctx, offerUri, options } = input
  const allowHttp = options.allowInsecureUrls === true
  const probe = new Openid4vciClient({ callbacks: input.callbacks })
  let offer: CredentialOfferObject
  try {
    offer = await probe.resolveCredentialOffer(offerUri)
  } catch (e) {
    throw wrapError('ERR_WALLET_OFFER_INVALID', 'credential offer could not be resolved', e)
  }
  const what = 'credential offer could not be resolved: credential_issuer'
  requireHttps(offer.credential_issuer, allowHttp, 'ERR_WALLET_OFFER_INVALID', what)
  // The offer is provider-controlled data: no request to an issuer the user did not trust
  // (oid4vci/issuer-trust.ts).
  await ensureIssuerTrusted(ctx.db, offer.credential_issuer, ctx.trustedIssuers, options.confirmIssuer)
  let metadata: IssuerMetadataResult
  try {
    metadata = await probe.resolveIssuerMetadata(offer.credential_issuer)
  } catch (e) {
    throw wrapError('ERR_WALLET_METADATA_INVALID', 'issuer metadata could not be fetched', e)
  }
  await ctx.db.issuerMetadata.put({
    issuer: metadata.credentialIssuer.credential_issuer,
    credentialIssuer: metadata.credentialIssuer,
    authorizationServers: metadata.authorizationServers,
    fetchedAt: ctx.now(),
  })

  const wanted = options.credentialConfigurationIds
  const configurationIds = offer.credential_configuration_ids.filter(
    (id) => wanted === undefined || wanted.includes(id),
  )
  if (configurationIds.length === 0) {
    throw new E2eidError('ERR_WALLET_OFFER_INVALID', 'none of the offered credential configurations was selected')
  }
  for (const id of configurationIds) handlerFor(ctx, metadata, id)
  return { offer, metadata, configurationIds }
}
