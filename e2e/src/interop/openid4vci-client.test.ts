/**
 * Interop with @openid4vc/openid4vci + @openid4vc/oauth2 0.4.6 as Credo 0.6's holder calls them
 * (OpenId4VciHolderService: resolveCredentialOffer → resolveIssuerMetadata →
 * retrievePreAuthorizedCodeAccessTokenFromOffer with DPoP → requestNonce WITHOUT an access token →
 * createCredentialRequestJwtProof → retrieveCredentials) against `e2eid issuer serve` with its default
 * configuration: pre-authorized code with and without tx_code, offer by value and by reference, dc+sd-jwt and
 * SD-CWT (application/sd-cwt, a deployment-defined format the library passes through, OpenID4VCI 1.0 §A).
 *
 * OpenID4VCI 1.0 §7: the Nonce Endpoint is not protected by the access token; a wallet may fetch c_nonce
 * before or without a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base64urlDecode, coseKeyToJwk, decodeJwtUnverified, parseSdCwt, samePublicKey } from '@e2eid/shared'
import type { TestIssuer } from '../testkit/servers.js'
import { startDefaultIssuer } from '../testkit/servers.js'
import { receiveWithOid4vcTs } from '../testkit/vci-holder.js'

let issuer: TestIssuer
beforeAll(async () => {
  issuer = await startDefaultIssuer()
})
afterAll(() => issuer.close())

const cases = [
  ['mimi_identity_sd_jwt', 'by value', false],
  ['mimi_identity_sd_jwt', 'by reference', true],
  ['mimi_identity_sd_jwt', 'by reference', false],
  ['mimi_identity_sd_jwt', 'by value', true],
  ['mimi_identity_sd_cwt', 'by value', false],
  ['mimi_identity_sd_cwt', 'by reference', true],
  ['mimi_identity_sd_cwt', 'by reference', false],
  ['mimi_identity_sd_cwt', 'by value', true],
] as const

describe('@openid4vc/openid4vci 0.4.6 client, called as Credo 0.6 calls it (no token on the nonce request)', () => {
  it.each(cases)('%s, offer %s, tx_code %s', async (configurationId, by, txCode) => {
    const offer = await issuer.offer(configurationId, { txCode })
    const uri = by === 'by value' ? offer.offer_uri_by_value : offer.offer_uri
    expect(uri).toMatch(by === 'by value' ? /^openid-credential-offer:\/\/\?credential_offer=/ : /^openid-credential-offer:\/\/\?credential_offer_uri=/)
    const r = await receiveWithOid4vcTs(uri, configurationId, { txCode: offer.tx_code ?? undefined })
    // Credo uses DPoP whenever the AS metadata lists dpop_signing_alg_values_supported; e2eid's does.
    expect(r.tokenType).toBe('DPoP')
    if (configurationId === 'mimi_identity_sd_jwt') {
      const { header, payload } = decodeJwtUnverified(r.credential.split('~')[0]!)
      expect(header.typ).toBe('dc+sd-jwt')
      expect((payload.cnf as { jwk: { x: string } }).jwk.x).toBe(r.holder.publicJwk.x)
    } else {
      const token = parseSdCwt(base64urlDecode(r.credential))
      expect(samePublicKey(coseKeyToJwk((token.claims.get(8) as Map<number, unknown>).get(1)), r.holder.publicJwk as never)).toBe(true)
    }
  })

  it('a wrong tx_code is refused with invalid_grant (OpenID4VCI 1.0 §6.3)', async () => {
    const offer = await issuer.offer('mimi_identity_sd_jwt', { txCode: true })
    const wrong = offer.tx_code === '000000' ? '111111' : '000000'
    await expect(receiveWithOid4vcTs(offer.offer_uri_by_value, 'mimi_identity_sd_jwt', { txCode: wrong })).rejects.toThrow(/invalid_grant/)
  })
})
