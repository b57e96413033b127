/**
 * @module testkit/vci-holder
 * A holder on @openid4vc/openid4vci + @openid4vc/oauth2 0.4.6, calling them in the order Credo 0.6's
 * OpenId4VciHolderService does (credo-ts packages/openid4vc/src/openid4vc-holder/OpenId4VciHolderService.ts):
 * resolveCredentialOffer → resolveIssuerMetadata → retrievePreAuthorizedCodeAccessTokenFromOffer (DPoP when the
 * AS lists dpop_signing_alg_values_supported) → requestNonce (NO access token) → createCredentialRequestJwtProof
 * → retrieveCredentials.
 */
import { Openid4vciClient } from '@openid4vc/openid4vci'
import type { IssuerMetadataResult } from '@openid4vc/openid4vci'
import type { JwkPair } from './node-jose.js'
import { generateJwkPair } from './node-jose.js'
import { callbacks } from './oid4vc-callbacks.js'

export interface HolderOptions {
  txCode?: string | undefined
  holder?: JwkPair
}

export interface HolderResult {
  credential: string
  holder: JwkPair
  issuerMetadata: IssuerMetadataResult
  tokenType: string
}

export async function receiveWithOid4vcTs(offerUri: string, configurationId: string, o: HolderOptions = {}): Promise<HolderResult> {
  const holder = o.holder ?? generateJwkPair('EdDSA')
  const dpopKey = generateJwkPair('ES256')
  const cb = callbacks([holder, dpopKey])
  const client = new Openid4vciClient({ callbacks: cb })
  const credentialOffer = await client.resolveCredentialOffer(offerUri)
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
  const dpopAlgs = issuerMetadata.authorizationServers[0]?.dpop_signing_alg_values_supported
  const dpopSigner = dpopAlgs?.includes('ES256') ? { signer: { method: 'jwk' as const, alg: 'ES256', publicJwk: dpopKey.publicJwk as never } } : undefined
  const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer,
    issuerMetadata,
    ...(o.txCode === undefined ? {} : { txCode: o.txCode }),
    ...(dpopSigner ? { dpop: dpopSigner } : {}),
  })
  const accessToken = token.accessTokenResponse.access_token
  // OpenID4VCI 1.0 §7: the Nonce Endpoint is not protected; Credo asks it without the access token.
  const { c_nonce } = await client.requestNonce({ issuerMetadata })
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    signer: { method: 'jwk', alg: holder.alg, publicJwk: holder.publicJwk as never },
    nonce: c_nonce,
  })
  const res = await client.retrieveCredentials({
    issuerMetadata,
    accessToken,
    credentialConfigurationId: configurationId,
    proofs: { jwt: [jwt] },
    ...(token.dpop ? { dpop: token.dpop } : {}),
  })
  const entry = res.credentialResponse.credentials?.[0]
  const credential = typeof entry === 'object' && entry !== null && 'credential' in entry ? entry.credential : undefined
  if (typeof credential !== 'string') throw new Error(`no credential in ${JSON.stringify(res.credentialResponse)}`)
  return { credential, holder, issuerMetadata, tokenType: token.accessTokenResponse.token_type }
}
