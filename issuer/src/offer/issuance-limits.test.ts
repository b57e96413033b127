/**
 * Issue 14 item 5, issuance limits. Attacks reproduced:
 * - an offer without tx_code is a bearer secret: the admin API now requires a tx_code by default;
 * - a credential_offer_uri seen by someone else (shoulder, log, proxy) could be fetched again for 24 hours:
 *   it is now served once (second fetch 410 ERR_ISSUER_OFFER_ALREADY_FETCHED) and for offer_uri_ttl only
 *   (410 ERR_ISSUER_OFFER_URI_EXPIRED);
 * - one access token minted 20 credentials in its 300 s (batch_size per request, fresh nonce each time): a grant
 *   now mints at most max_credentials_per_grant in all (default batch_size), counted in the database
 *   (credential_request_denied, ERR_ISSUER_GRANT_CREDENTIAL_LIMIT).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, admin, authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'

let f: Fixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

async function offer(fx: Fixture, body: Record<string, unknown>): Promise<{ offer_uri: string; tx_code: string | null }> {
  const u = await admin(fx, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS })
  expect([201, 409]).toContain(u.status)
  const r = await admin(fx, '/admin/offers', { user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_jwt', ...body })
  expect(r.status).toBe(201)
  return (await r.json()) as { offer_uri: string; tx_code: string | null }
}

function referencePath(offerUri: string): string {
  return new URL(new URL(offerUri).searchParams.get('credential_offer_uri')!).pathname
}

describe('offers require a tx_code by default (issue 14 item 5)', () => {
  it('an admin offer that does not say tx_code gets one; the authorization code flow has none', async () => {
    f = await makeFixture()
    const pre = await offer(f, {})
    expect(pre.tx_code).toMatch(/^\d{6}$/)
    const fetched = (await (await f.app.request(referencePath(pre.offer_uri))).json()) as { grants: Record<string, { tx_code?: { length: number } }> }
    expect(fetched.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.tx_code?.length).toBe(6)
    expect((await offer(f, { flow: 'authorization_code' })).tx_code).toBeNull()
    expect((await offer(f, { tx_code: false })).tx_code).toBeNull()
  })
})

describe('an offer by reference is fetched once and only for offer_uri_ttl (issue 14 item 5)', () => {
  it('the second fetch of a credential_offer_uri is refused: 410 ERR_ISSUER_OFFER_ALREADY_FETCHED', async () => {
    f = await makeFixture()
    const path = referencePath((await offer(f, {})).offer_uri)
    expect((await f.app.request(path)).status).toBe(200)
    const again = await f.app.request(path)
    expect(again.status).toBe(410)
    expect(await again.json()).toMatchObject({ code: 'ERR_ISSUER_OFFER_ALREADY_FETCHED' })
  })
  it('after offer_uri_ttl (default 600 s) the reference is refused: 410 ERR_ISSUER_OFFER_URI_EXPIRED', async () => {
    f = await makeFixture()
    const path = referencePath((await offer(f, {})).offer_uri)
    f.clock.now += 600
    const late = await f.app.request(path)
    expect(late.status).toBe(410)
    expect(await late.json()).toMatchObject({ code: 'ERR_ISSUER_OFFER_URI_EXPIRED' })
  })
  it('offer_uri_ttl is configurable', async () => {
    f = await makeFixture({ offer_uri_ttl: 60 })
    const path = referencePath((await offer(f, {})).offer_uri)
    f.clock.now += 59
    expect((await f.app.request(path)).status).toBe(200)
    const p2 = referencePath((await offer(f, {})).offer_uri)
    f.clock.now += 60
    expect((await f.app.request(p2)).status).toBe(410)
  })
})

describe('one grant mints at most max_credentials_per_grant credentials (issue 14 item 5)', () => {
  async function credentialRequest(fx: Fixture, dpopKey: KeyPair, accessToken: string, nonce: string, n: number): Promise<Response> {
    const proofs: string[] = []
    for (let i = 0; i < n; i++) proofs.push(await jwtProof(fx.crypto, await keyPair(fx.crypto, 'EdDSA'), { nonce, iat: fx.clock.now }))
    return json(fx.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: proofs } }, await authHeaders(fx, dpopKey, accessToken, '/credential'))
  }
  async function freshNonce(fx: Fixture, dpopKey: KeyPair, accessToken: string): Promise<string> {
    const n = await fx.app.request('/nonce', { method: 'POST', headers: await authHeaders(fx, dpopKey, accessToken, '/nonce') })
    expect(n.status).toBe(200)
    return ((await n.json()) as { c_nonce: string }).c_nonce
  }

  it('a full batch, then any further request with a fresh c_nonce on the same token, is credential_request_denied', async () => {
    f = await makeFixture()
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    expect((await credentialRequest(f, dpopKey, accessToken, nonce, 5)).status).toBe(200)
    const more = await credentialRequest(f, dpopKey, accessToken, await freshNonce(f, dpopKey, accessToken), 1)
    expect(more.status).toBe(400)
    expect(await more.json()).toMatchObject({ error: 'credential_request_denied', code: 'ERR_ISSUER_GRANT_CREDENTIAL_LIMIT' })
    expect(((await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as unknown[]).length).toBe(5)
  })
  it('max_credentials_per_grant is configurable and counts across requests; a request that would exceed it mints nothing', async () => {
    f = await makeFixture({ max_credentials_per_grant: 3 })
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    expect((await credentialRequest(f, dpopKey, accessToken, nonce, 2)).status).toBe(200)
    const tooMany = await credentialRequest(f, dpopKey, accessToken, await freshNonce(f, dpopKey, accessToken), 2)
    expect(await tooMany.json()).toMatchObject({ code: 'ERR_ISSUER_GRANT_CREDENTIAL_LIMIT' })
    expect((await credentialRequest(f, dpopKey, accessToken, await freshNonce(f, dpopKey, accessToken), 1)).status).toBe(200)
    expect(((await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as unknown[]).length).toBe(3)
  })
})
