/**
 * Interop: the @openid4vc/openid4vci 0.4.6 CLIENT (Openid4vciClient) completes the pre-authorized code
 * flow with tx_code (offer by reference) and the authorization code flow (PAR + PKCE S256 + login page),
 * both with DPoP, and gets credentials of each available format.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import { base64urlDecode, coseKeyToJwk, decodeJwtUnverified, parseSdCwt, samePublicKey } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, ISSUER, admin, dpopProof, keyPair, makeFixture } from '../test-helpers/holder.js'
import { libraryClient } from '../test-helpers/library-wallet.js'
import type { Fetch } from '../test-helpers/library-wallet.js'

const REDIRECT = 'https://wallet.example/cb'
let f: Fixture
let dpopKey: KeyPair
let holder: KeyPair

beforeEach(async () => {
  f = await makeFixture({ clients: { 'e2eid-test-wallet': { redirect_uris: [REDIRECT] } } })
  dpopKey = await keyPair(f.crypto, 'ES256')
  holder = await keyPair(f.crypto, 'EdDSA')
  await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: 'correct horse battery' })
})
afterEach(async () => {
  await f.close()
})

/**
 * fetch into the app. The library requests nonces anonymously; like e2eid's own wallet, this wallet adds its
 * token (+ a DPoP proof) to that one request so that each c_nonce is bound to the access token.
 */
function walletFetch(state: { accessToken?: string }): Fetch {
  return async (url, init) => {
    const u = String(url)
    if (u === `${ISSUER}/nonce` && state.accessToken !== undefined) {
      const headers = new Headers(init?.headers)
      headers.set('authorization', `DPoP ${state.accessToken}`)
      headers.set('dpop', await dpopProof(f.crypto, dpopKey, 'POST', u, { accessToken: state.accessToken, iat: f.clock.now }))
      return f.app.request(u, { ...init, headers })
    }
    return f.app.request(u, init)
  }
}

async function issueWithClient(client: ReturnType<typeof libraryClient>, state: { accessToken?: string }, issuerMetadata: never, accessToken: string, dpop: never, configId: string) {
  state.accessToken = accessToken
  const { c_nonce } = await client.requestNonce({ issuerMetadata })
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configId,
    signer: { method: 'jwk', alg: 'EdDSA', publicJwk: holder.publicJwk as never },
    nonce: c_nonce,
    issuedAt: new Date(f.clock.now * 1000),
  })
  return client.retrieveCredentials({ issuerMetadata, accessToken, credentialConfigurationId: configId, proofs: { jwt: [jwt] }, dpop })
}

describe('Openid4vciClient (@openid4vc/openid4vci 0.4.6) against the issuer', () => {
  it.each(['mimi_identity_sd_jwt', 'mimi_identity_sd_cwt'])('pre-authorized code flow with tx_code, offer by reference, DPoP: %s', async (configId) => {
    const r = await admin(f, '/admin/offers', { user_id: 'alice', credential_configuration_id: configId, tx_code: true })
    const { offer_uri, tx_code } = (await r.json()) as { offer_uri: string; tx_code: string }
    expect(offer_uri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/)
    const state: { accessToken?: string } = {}
    const client = libraryClient(f.crypto, walletFetch(state), [dpopKey, holder])
    const credentialOffer = await client.resolveCredentialOffer(offer_uri)
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      txCode: tx_code,
      dpop: { signer: { method: 'jwk', alg: 'ES256', publicJwk: dpopKey.publicJwk as never } },
    })
    expect(token.accessTokenResponse.token_type).toBe('DPoP')
    const res = await issueWithClient(client, state, issuerMetadata as never, token.accessTokenResponse.access_token, token.dpop as never, configId)
    expect(res.credentialResponse.credentials).toHaveLength(1)
    // OpenID4VCI 1.0 §8.3: each entry of credentials is an object with a credential member.
    const entry = res.credentialResponse.credentials![0]!
    if (typeof entry !== 'object' || typeof entry.credential !== 'string') throw new Error('credentials[0] is not { credential: string }')
    const credential = entry.credential
    if (configId === 'mimi_identity_sd_jwt') {
      const { header, payload } = decodeJwtUnverified(credential.split('~')[0]!)
      expect(header.typ).toBe('dc+sd-jwt')
      expect((payload.cnf as { jwk: { x: string } }).jwk.x).toBe(holder.publicJwk.x)
    } else {
      const token = parseSdCwt(base64urlDecode(credential))
      expect(samePublicKey(coseKeyToJwk((token.claims.get(8) as Map<number, unknown>).get(1)), holder.publicJwk)).toBe(true)
    }
    // The offer by reference is gone once the code is used.
    expect((await f.app.request(new URL(decodeURIComponent(offer_uri.split('credential_offer_uri=')[1]!)).pathname)).status).toBe(404)
  })

  it('authorization code flow: PAR, PKCE S256, the login page, DPoP', async () => {
    const state: { accessToken?: string } = {}
    const client = libraryClient(f.crypto, walletFetch(state), [dpopKey, holder])
    const issuerMetadata = await client.resolveIssuerMetadata(ISSUER)
    const credentialOffer = { credential_issuer: ISSUER, credential_configuration_ids: ['mimi_identity_sd_jwt', 'mimi_identity_sd_cwt'], grants: { authorization_code: {} } }
    const dpop = { signer: { method: 'jwk' as const, alg: 'ES256', publicJwk: dpopKey.publicJwk as never } }
    const init = await client.initiateAuthorization({
      clientId: 'e2eid-test-wallet',
      redirectUri: REDIRECT,
      scope: 'mimi_identity_sd_jwt mimi_identity_sd_cwt',
      credentialOffer,
      issuerMetadata,
      dpop,
    })
    if (init.authorizationFlow !== 'Oauth2Redirect') throw new Error('expected a redirect flow')
    const authorizeUrl = new URL(init.authorizationRequestUrl)
    expect(authorizeUrl.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/)
    const page = await f.app.request(authorizeUrl.pathname + authorizeUrl.search)
    expect(page.status).toBe(200)
    const html = await page.text()
    const session = /name="session" value="([^"]+)"/.exec(html)![1]!
    // A wrong password shows the form again (401) with a fresh session.
    const bad = await f.app.request('/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ session, username: 'alice', password: 'wrong password' }).toString(),
    })
    expect(bad.status).toBe(401)
    const session2 = /name="session" value="([^"]+)"/.exec(await bad.text())![1]!
    expect(session2).not.toBe(session)
    const login = await f.app.request('/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ session: session2, username: 'alice', password: 'correct horse battery' }).toString(),
    })
    expect(login.status).toBe(302)
    const location = new URL(login.headers.get('location')!)
    expect(location.origin + location.pathname).toBe(REDIRECT)
    expect(location.searchParams.get('iss')).toBe(ISSUER)
    const token = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
      issuerMetadata,
      credentialOffer,
      authorizationCode: location.searchParams.get('code')!,
      pkceCodeVerifier: init.pkce!.codeVerifier,
      redirectUri: REDIRECT,
      dpop,
    })
    expect(token.accessTokenResponse.token_type).toBe('DPoP')
    // One token, both formats (a fresh c_nonce per request).
    for (const configId of ['mimi_identity_sd_jwt', 'mimi_identity_sd_cwt']) {
      const res = await issueWithClient(client, state, issuerMetadata as never, token.accessTokenResponse.access_token, token.dpop as never, configId)
      expect(res.credentialResponse.credentials).toHaveLength(1)
    }
    const formats = ((await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ format: string }>).map((c) => c.format).sort()
    expect(formats).toEqual(['application/sd-cwt', 'dc+sd-jwt'])
    // The code is single use.
    await expect(
      client.retrieveAuthorizationCodeAccessTokenFromOffer({
        issuerMetadata,
        credentialOffer,
        authorizationCode: location.searchParams.get('code')!,
        pkceCodeVerifier: init.pkce!.codeVerifier,
        redirectUri: REDIRECT,
        dpop,
      }),
    ).rejects.toThrow()
  })

  it('issuer-initiated authorization code offer (issuer_state): only the offered user may complete it', async () => {
    await admin(f, '/admin/users', { id: 'bob', claims: { name: 'Bob' }, password: 'bob password 123' })
    const r = await admin(f, '/admin/offers', { user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_cwt', flow: 'authorization_code' })
    const { offer_uri, tx_code } = (await r.json()) as { offer_uri: string; tx_code: null }
    expect(tx_code).toBeNull()
    const state: { accessToken?: string } = {}
    const client = libraryClient(f.crypto, walletFetch(state), [dpopKey, holder])
    const credentialOffer = await client.resolveCredentialOffer(offer_uri)
    expect(credentialOffer.grants?.authorization_code?.issuer_state).toEqual(expect.any(String))
    const issuerMetadata = await client.resolveIssuerMetadata(ISSUER)
    const dpop = { signer: { method: 'jwk' as const, alg: 'ES256', publicJwk: dpopKey.publicJwk as never } }
    const login = async (username: string, password: string) => {
      const init = await client.initiateAuthorization({ clientId: 'e2eid-test-wallet', redirectUri: REDIRECT, credentialOffer, issuerMetadata, dpop })
      if (init.authorizationFlow !== 'Oauth2Redirect') throw new Error('expected a redirect flow')
      const u = new URL(init.authorizationRequestUrl)
      const session = /name="session" value="([^"]+)"/.exec(await (await f.app.request(u.pathname + u.search)).text())![1]!
      const res = await f.app.request('/authorize', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ session, username, password }).toString(),
      })
      return { res, init }
    }
    const asBob = await login('bob', 'bob password 123')
    expect(asBob.res.status).toBe(400)
    expect(((await asBob.res.json()) as { error: string }).error).toBe('access_denied')
    const asAlice = await login('alice', 'correct horse battery')
    expect(asAlice.res.status).toBe(302)
    const code = new URL(asAlice.res.headers.get('location')!).searchParams.get('code')!
    const token = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
      issuerMetadata,
      credentialOffer,
      authorizationCode: code,
      pkceCodeVerifier: asAlice.init.authorizationFlow === 'Oauth2Redirect' ? asAlice.init.pkce!.codeVerifier : '',
      redirectUri: REDIRECT,
      dpop,
    })
    const res = await issueWithClient(client, state, issuerMetadata as never, token.accessTokenResponse.access_token, token.dpop as never, 'mimi_identity_sd_cwt')
    expect(res.credentialResponse.credentials).toHaveLength(1)
  })

  it('with the default configuration, the unmodified library client fetches nonces anonymously (OpenID4VCI §7)', async () => {
    const g = await makeFixture()
    try {
      await admin(g, '/admin/users', { id: 'bob', claims: { name: 'Bob' } })
      const r = await admin(g, '/admin/offers', { user_id: 'bob', credential_configuration_id: 'mimi_identity_sd_jwt', tx_code: false })
      const { offer_uri } = (await r.json()) as { offer_uri: string }
      const client = libraryClient(g.crypto, async (u, i) => g.app.request(String(u), i), [dpopKey, holder])
      const credentialOffer = await client.resolveCredentialOffer(offer_uri)
      const issuerMetadata = await client.resolveIssuerMetadata(ISSUER)
      const dpop = { signer: { method: 'jwk' as const, alg: 'ES256', publicJwk: dpopKey.publicJwk as never } }
      const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, dpop })
      const { c_nonce } = await client.requestNonce({ issuerMetadata })
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: 'mimi_identity_sd_jwt',
        signer: { method: 'jwk', alg: 'EdDSA', publicJwk: holder.publicJwk as never },
        nonce: c_nonce,
        issuedAt: new Date(g.clock.now * 1000),
      })
      const res = await client.retrieveCredentials({
        issuerMetadata,
        accessToken: token.accessTokenResponse.access_token,
        credentialConfigurationId: 'mimi_identity_sd_jwt',
        proofs: { jwt: [jwt] },
        dpop: token.dpop,
      })
      expect(res.credentialResponse.credentials).toHaveLength(1)
    } finally {
      await g.close()
    }
  })
})
