/**
 * Every rejection path of the issuer, each asserting the OAuth/OpenID4VCI error, the E2eid code
 * where it matters and a 4xx status: OpenID4VCI 1.0 §6.3, §8.3.1, App. F.4, RFC 9449, RFC 6750.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import {
  ISSUER,
  admin,
  aliceOffer,
  authHeaders,
  dpopProof,
  form,
  json,
  jwtProof,
  keyPair,
  makeFixture,
  preAuthToken,
  tokenAndNonce,
} from '../test-helpers/holder.js'

let f: Fixture
let dpopKey: KeyPair
let holder: KeyPair
beforeEach(async () => {
  f = await makeFixture({ wallet_origins: ['https://wallet.example'], token_rate_limit_per_minute: 1000 })
  dpopKey = await keyPair(f.crypto, 'ES256')
  holder = await keyPair(f.crypto, 'EdDSA')
})
afterEach(async () => {
  await f.close()
})

async function expectError(res: Response, status: number, error: string): Promise<Record<string, unknown>> {
  const text = await res.text()
  expect({ status: res.status, text }).toMatchObject({ status })
  const body = JSON.parse(text) as Record<string, unknown>
  expect(body.error).toBe(error)
  return body
}

async function credentialRequest(accessToken: string, body: unknown): Promise<Response> {
  return json(f.app, '/credential', body, await authHeaders(f, dpopKey, accessToken, '/credential'))
}

async function issueWith(accessToken: string, proofs: string[], configurationId = 'mimi_identity_sd_jwt'): Promise<Response> {
  return credentialRequest(accessToken, { credential_configuration_id: configurationId, proofs: { jwt: proofs } })
}

describe('Token endpoint (OpenID4VCI §6.3)', () => {
  it('pre-authorized code reuse is invalid_grant', async () => {
    const { code } = await aliceOffer(f)
    expect((await preAuthToken(f, dpopKey, code)).status).toBe(200)
    await expectError(await preAuthToken(f, dpopKey, code), 400, 'invalid_grant')
  })
  it('an unknown pre-authorized code is invalid_grant', async () => {
    await expectError(await preAuthToken(f, dpopKey, 'not-a-code'), 400, 'invalid_grant')
  })
  it('an expired pre-authorized code is invalid_grant', async () => {
    const { code } = await aliceOffer(f)
    f.clock.now += 24 * 3600 + 1
    await expectError(await preAuthToken(f, dpopKey, code), 400, 'invalid_grant')
  })
  it('a missing tx_code is invalid_request; wrong tx_codes are invalid_grant and lock the code after 3 tries', async () => {
    const { code, txCode } = await aliceOffer(f, 'mimi_identity_sd_jwt', true)
    expect(txCode).toMatch(/^\d{6}$/)
    await expectError(await preAuthToken(f, dpopKey, code), 400, 'invalid_request')
    const wrong = txCode === '000000' ? '111111' : '000000'
    // Issue 15: each refusal says how many tries are left.
    const left: string[] = []
    for (let i = 0; i < 3; i++) left.push(String((await expectError(await preAuthToken(f, dpopKey, code, wrong), 400, 'invalid_grant')).error_description))
    expect(left).toEqual(['wrong tx_code: 2 tries left', 'wrong tx_code: 1 try left', 'wrong tx_code: 0 tries left'])
    // Locked: even the right code is refused now (errata: invalidate after limited failures).
    const locked = await expectError(await preAuthToken(f, dpopKey, code, txCode), 400, 'invalid_grant')
    expect(locked.error_description).toMatch(/too many/)
  })
  it('§6.1/§6.3: a tx_code for an offer that requires none is invalid_request (not ignored); the code still works without it', async () => {
    const { code } = await aliceOffer(f)
    const body = await expectError(await preAuthToken(f, dpopKey, code, '123456'), 400, 'invalid_request')
    expect(body.code).toBe('ERR_ISSUER_TX_CODE_UNEXPECTED')
    expect((await preAuthToken(f, dpopKey, code)).status).toBe(200)
  })
  it('the right tx_code works', async () => {
    const { code, txCode } = await aliceOffer(f, 'mimi_identity_sd_jwt', true)
    const r = await preAuthToken(f, dpopKey, code, txCode)
    expect(r.status).toBe(200)
    expect(((await r.json()) as { token_type: string }).token_type).toBe('DPoP')
  })
  it('a token request without a DPoP proof is refused (RFC 9449, DPoP required)', async () => {
    const { code } = await aliceOffer(f)
    const r = await form(f.app, '/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code })
    await expectError(r, 400, 'invalid_dpop_proof')
    // ...and the code was not burnt by it.
    expect((await preAuthToken(f, dpopKey, code)).status).toBe(200)
  })
  it('a DPoP proof for another endpoint (htu) is invalid_dpop_proof', async () => {
    const { code } = await aliceOffer(f)
    const dpop = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/credential`, { iat: f.clock.now })
    const r = await form(f.app, '/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }, { dpop })
    await expectError(r, 400, 'invalid_dpop_proof')
  })
  it('RFC 9449 §4.3 step 11: a resource request whose DPoP ath hashes another token is invalid_dpop_proof (ERR_ISSUER_DPOP_ATH); htu is compared without query (step 9)', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    const body = { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }
    const wrongAth = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/credential`, { iat: f.clock.now, accessToken: `${accessToken}x` })
    const r = await json(f.app, '/credential', body, { authorization: `DPoP ${accessToken}`, dpop: wrongAth })
    expect((await expectError(r, 401, 'invalid_dpop_proof')).code).toBe('ERR_ISSUER_DPOP_ATH')
    const withQuery = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/credential?x=1`, { iat: f.clock.now, accessToken })
    expect((await json(f.app, '/credential', body, { authorization: `DPoP ${accessToken}`, dpop: withQuery })).status).toBe(200)
  })
  it('a replayed DPoP proof (same jti) is refused (RFC 9449 §11.1)', async () => {
    const a = await aliceOffer(f)
    const dpop = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/token`, { iat: f.clock.now, jti: 'fixed-jti-0001' })
    const params = { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': a.code }
    expect((await form(f.app, '/token', params, { dpop })).status).toBe(200)
    const b = await aliceOffer(f)
    const body = await expectError(await form(f.app, '/token', { ...params, 'pre-authorized_code': b.code }, { dpop }), 400, 'invalid_dpop_proof')
    expect(body.error_description).toMatch(/replay/)
  })
  it('unsupported grant types, repeated parameters and non-form bodies are 4xx', async () => {
    await expectError(await form(f.app, '/token', { grant_type: 'password' }), 400, 'unsupported_grant_type')
    const dup = await f.app.request('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=a&grant_type=b' })
    await expectError(dup, 400, 'invalid_request')
    await expectError(await json(f.app, '/token', { grant_type: 'x' }), 400, 'invalid_request')
  })
  it('the token endpoint is rate limited (429 with Retry-After)', async () => {
    const g = await makeFixture({ token_rate_limit_per_minute: 3 })
    try {
      for (let i = 0; i < 3; i++) expect((await form(g.app, '/token', { grant_type: 'password' })).status).toBe(400)
      const r = await form(g.app, '/token', { grant_type: 'password' })
      await expectError(r, 429, 'too_many_requests')
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    } finally {
      await g.close()
    }
  })
})

describe('Nonce endpoint (OpenID4VCI §7) and joint proof of possession', () => {
  it('with require_bound_nonce, the nonce endpoint requires the access token (c_nonce bound to it)', async () => {
    const g = await makeFixture({ require_bound_nonce: true })
    try {
      await expectError(await g.app.request('/nonce', { method: 'POST' }), 401, 'invalid_token')
    } finally {
      await g.close()
    }
  })
  it('a replayed c_nonce is invalid_nonce', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    expect((await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })])).status).toBe(200)
    await expectError(await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })]), 400, 'invalid_nonce')
  })
  it('a c_nonce issued to another access token is invalid_nonce (no unknown-key-share by relaying proofs)', async () => {
    const a = await tokenAndNonce(f, dpopKey)
    const b = await tokenAndNonce(f, dpopKey)
    const proofForA = await jwtProof(f.crypto, holder, { nonce: a.nonce, iat: f.clock.now })
    await expectError(await issueWith(b.accessToken, [proofForA]), 400, 'invalid_nonce')
    // The nonce was not consumed by the refused attempt: its own token can still use it.
    expect((await issueWith(a.accessToken, [proofForA])).status).toBe(200)
  })
  it('an expired c_nonce is invalid_nonce', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    f.clock.now += 121
    await expectError(await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })]), 400, 'invalid_nonce')
  })
  it('an unknown c_nonce is invalid_nonce', async () => {
    const { accessToken } = await tokenAndNonce(f, dpopKey)
    await expectError(await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce: 'made-up', iat: f.clock.now })]), 400, 'invalid_nonce')
  })
})

describe('Credential endpoint proofs (App. F.4)', () => {
  it('a proof with the wrong aud is invalid_proof', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const body = await expectError(await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, aud: 'https://other.example', iat: f.clock.now })]), 400, 'invalid_proof')
    expect(body.error_description).toMatch(/aud/)
  })
  it('a proof signed by another key than its jwk is invalid_proof', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const other = await keyPair(f.crypto, 'EdDSA')
    const proof = await jwtProof(f.crypto, other, { nonce, iat: f.clock.now, jwk: holder.publicJwk })
    const body = await expectError(await issueWith(accessToken, [proof]), 400, 'invalid_proof')
    expect(body.error_description).toMatch(/signature/)
  })
  it('a proof without nonce, with a wrong typ, with a private jwk, or stale iat is invalid_proof', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const cases = [
      await jwtProof(f.crypto, holder, { iat: f.clock.now }),
      await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now, typ: 'JWT' }),
      await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now, jwk: holder.privateJwk }),
      await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now - 3600 }),
      await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now, extraHeader: { kid: 'did:example:123#1' } }),
      'not.a.jwt',
    ]
    for (const proof of cases) await expectError(await issueWith(accessToken, [proof]), 400, 'invalid_proof')
    // None of them consumed the nonce.
    expect((await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })])).status).toBe(200)
  })
  it('a proof with alg none is invalid_proof', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const none = `${enc({ alg: 'none', typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk })}.${enc({ aud: ISSUER, iat: f.clock.now, nonce })}.x`
    await expectError(await issueWith(accessToken, [none]), 400, 'invalid_proof')
  })
  it('missing proofs is invalid_proof; the singular proof together with proofs is refused; two proof types are refused', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const p = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    await expectError(await credentialRequest(accessToken, { credential_configuration_id: 'mimi_identity_sd_jwt' }), 400, 'invalid_proof')
    await expectError(await credentialRequest(accessToken, { credential_configuration_id: 'mimi_identity_sd_jwt', proof: { proof_type: 'jwt', jwt: p }, proofs: { jwt: [p] } }), 400, 'invalid_credential_request')
    await expectError(await credentialRequest(accessToken, { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [p], attestation: ['x'] } }), 400, 'invalid_credential_request')
  })
  it('an unknown configuration is unknown_credential_configuration; an unknown identifier is unknown_credential_identifier', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const p = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    await expectError(await issueWith(accessToken, [p], 'no_such_config'), 400, 'unknown_credential_configuration')
    await expectError(await credentialRequest(accessToken, { credential_identifier: 'nope', proofs: { jwt: [p] } }), 400, 'unknown_credential_identifier')
  })
  it('unknown request parameters are ignored (§8.2)', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const p = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    const r = await credentialRequest(accessToken, { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [p] }, random_field_xyz: { a: 1 } })
    expect(r.status).toBe(200)
  })
  it('batch issuance: one credential per proof key, distinct status indices; a key used twice is invalid_proof; more than batch_size is refused', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const second = await keyPair(f.crypto, 'ES256')
    const dup = await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now }), await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })])
    await expectError(dup, 400, 'invalid_proof')
    const six = await Promise.all(Array.from({ length: 6 }, async () => jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce, iat: f.clock.now })))
    await expectError(await issueWith(accessToken, six), 400, 'invalid_credential_request')
    const r = await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now }), await jwtProof(f.crypto, second, { nonce, iat: f.clock.now })])
    expect(r.status).toBe(200)
    expect(((await r.json()) as { credentials: unknown[] }).credentials).toHaveLength(2)
    const list = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ status_list: { idx: number } }>
    expect(list).toHaveLength(2)
    expect(list[0]!.status_list.idx).not.toBe(list[1]!.status_list.idx)
  })
  it('malformed JSON, wrong media type and an oversized body are 4xx, never 5xx', async () => {
    const { accessToken } = await tokenAndNonce(f, dpopKey)
    const h = await authHeaders(f, dpopKey, accessToken, '/credential')
    await expectError(await f.app.request('/credential', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{"a":' }), 400, 'invalid_credential_request')
    const h2 = await authHeaders(f, dpopKey, accessToken, '/credential')
    await expectError(await f.app.request('/credential', { method: 'POST', headers: { ...h2, 'content-type': 'text/plain' }, body: '{}' }), 400, 'invalid_credential_request')
    const h3 = await authHeaders(f, dpopKey, accessToken, '/credential')
    const big = JSON.stringify({ credential_configuration_id: 'mimi_identity_sd_jwt', pad: 'x'.repeat(70_000) })
    await expectError(await f.app.request('/credential', { method: 'POST', headers: { ...h3, 'content-type': 'application/json' }, body: big }), 413, 'payload_too_large')
    for (const body of ['[]', 'null', '1', '"s"', '{"credential_configuration_id":5}', '{"proofs":{"jwt":"x"},"credential_configuration_id":"mimi_identity_sd_jwt"}']) {
      const hh = await authHeaders(f, dpopKey, accessToken, '/credential')
      const r = await f.app.request('/credential', { method: 'POST', headers: { ...hh, 'content-type': 'application/json' }, body })
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(r.status).toBeLessThan(500)
    }
  })
})

describe('Access tokens at the credential endpoint (RFC 6750, RFC 9449)', () => {
  it('an expired access token is invalid_token with WWW-Authenticate', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    f.clock.now += 301
    const r = await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })])
    await expectError(r, 401, 'invalid_token')
    expect(r.headers.get('www-authenticate')).toMatch(/^DPoP /)
  })
  it('no token, an unknown token, and a DPoP-bound token sent as Bearer are invalid_token', async () => {
    const { accessToken } = await tokenAndNonce(f, dpopKey)
    await expectError(await json(f.app, '/credential', {}), 401, 'invalid_token')
    await expectError(await json(f.app, '/credential', {}, { authorization: 'DPoP unknown-token' }), 401, 'invalid_token')
    await expectError(await json(f.app, '/credential', {}, { authorization: `Bearer ${accessToken}` }), 401, 'invalid_token')
  })
  it('a DPoP proof by another key, or with a wrong ath, is refused', async () => {
    const { accessToken } = await tokenAndNonce(f, dpopKey)
    const other = await keyPair(f.crypto, 'ES256')
    const wrongKey = await dpopProof(f.crypto, other, 'POST', `${ISSUER}/credential`, { accessToken, iat: f.clock.now })
    await expectError(await json(f.app, '/credential', {}, { authorization: `DPoP ${accessToken}`, dpop: wrongKey }), 401, 'invalid_dpop_proof')
    const wrongAth = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/credential`, { accessToken: 'something-else', iat: f.clock.now })
    await expectError(await json(f.app, '/credential', {}, { authorization: `DPoP ${accessToken}`, dpop: wrongAth }), 401, 'invalid_dpop_proof')
  })
})

describe('Notification endpoint (§11)', () => {
  it('accepts a known notification_id (204) and refuses an unknown one', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const r = await issueWith(accessToken, [await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })])
    const { notification_id } = (await r.json()) as { notification_id: string }
    const ok = await json(f.app, '/notification', { notification_id, event: 'credential_accepted' }, await authHeaders(f, dpopKey, accessToken, '/notification'))
    expect(ok.status).toBe(204)
    const bad = await json(f.app, '/notification', { notification_id: 'nope', event: 'credential_accepted' }, await authHeaders(f, dpopKey, accessToken, '/notification'))
    await expectError(bad, 400, 'invalid_notification_id')
    const badEvent = await json(f.app, '/notification', { notification_id, event: 'eaten' }, await authHeaders(f, dpopKey, accessToken, '/notification'))
    await expectError(badEvent, 400, 'invalid_notification_request')
  })
})

describe('Admin API and HTTP hardening', () => {
  it('admin endpoints need the admin token', async () => {
    await expectError(await f.app.request('/admin/users/alice'), 401, 'unauthorized')
    await expectError(await f.app.request('/admin/users/alice', { headers: { authorization: 'Bearer wrong' } }), 401, 'unauthorized')
  })
  it('user records may not carry claims the issuer sets', async () => {
    await expectError(await admin(f, '/admin/users', { id: 'mallory', claims: { cnf: { jwk: {} } } }), 400, 'invalid_request')
    await expectError(await admin(f, '/admin/users', { id: 'mallory', claims: { iss: 'https://evil' } }), 400, 'invalid_request')
  })
  it('an offer for an unknown configuration is unknown_credential_configuration, for an unknown user not_found', async () => {
    await admin(f, '/admin/users', { id: 'bob', claims: { name: 'Bob' } })
    await expectError(await admin(f, '/admin/offers', { user_id: 'bob', credential_configuration_id: 'nope' }), 400, 'unknown_credential_configuration')
    await expectError(await admin(f, '/admin/offers', { user_id: 'nobody', credential_configuration_id: 'mimi_identity_sd_jwt' }), 404, 'not_found')
  })
  it('CORS admits the wallet origin and no other; security headers are set', async () => {
    const ok = await f.app.request('/.well-known/openid-credential-issuer', { headers: { origin: 'https://wallet.example' } })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://wallet.example')
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
    expect(ok.headers.get('x-frame-options')).toBe('DENY')
    expect(ok.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    const evil = await f.app.request('/.well-known/openid-credential-issuer', { headers: { origin: 'https://evil.example' } })
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
    const admin = await f.app.request('/admin/users/alice', { headers: { origin: 'https://wallet.example' } })
    expect(admin.headers.get('access-control-allow-origin')).toBeNull()
  })
  it('a wrong method on a POST endpoint is JSON 405 with Allow', async () => {
    const r = await f.app.request('/credential')
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('POST')
    expect(((await r.json()) as { error: string }).error).toBe('method_not_allowed')
  })
  it('unknown paths are JSON 404', async () => {
    await expectError(await f.app.request('/nope'), 404, 'not_found')
    await expectError(await f.app.request('/status-lists/999'), 404, 'not_found')
    await expectError(await f.app.request('/offers/unknown'), 404, 'not_found')
  })
})
