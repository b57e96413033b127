import { beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../http.js'
import { parseAuthorizationRequestUri } from '../openid4vp/request.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { TrustStore } from '../trust/types.js'
import { ALICE, NOW, VCT, issueSdJwt, makeAuthority, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import { createVerifierApp } from './app.js'

let auth: Authority
let trust: TrustStore

beforeAll(async () => {
  auth = await makeAuthority()
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

function app() {
  return createVerifierApp({
    publicUrl: 'https://verifier.example',
    trust,
    provider,
    now: () => NOW,
    policy: { credentialTypes: [VCT], formats: ['dc+sd-jwt'], requiredClaims: [['org']], constraints: [{ path: ['org'], equals: 'example.com' }], status: 'if-present' },
  })
}

async function newRequest(a: ReturnType<typeof app>) {
  const res = await a.request('/requests', { method: 'POST' })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; request: Record<string, unknown>; request_uri: string; result: string; result_token: string }
}

/** The frontend's credential for reading a result (the token created with the request). */
function bearer(r: { result_token: string }): RequestInit {
  return { headers: { authorization: `Bearer ${r.result_token}` } }
}

function post(a: ReturnType<typeof app>, body: Record<string, string>) {
  return a.request('/response', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() })
}

describe('verifier service: OpenID4VP 1.0 direct_post round trip', () => {
  it('§5: creates a request with a DCQL query, fresh nonce and state, as JSON and as an openid4vp:// URI', async () => {
    const a = app()
    const r1 = await newRequest(a)
    const r2 = await newRequest(a)
    expect(r1.request).toMatchObject({ response_type: 'vp_token', response_mode: 'direct_post', response_uri: 'https://verifier.example/response', client_id: 'redirect_uri:https://verifier.example/response' })
    expect(r1.request.nonce).not.toBe(r2.request.nonce)
    expect(r1.request.state).not.toBe(r2.request.state)
    expect(String(r1.request.nonce).length).toBeGreaterThanOrEqual(22)
    expect(r1.request_uri.startsWith('openid4vp://?')).toBe(true)
    expect(parseAuthorizationRequestUri(r1.request_uri)).toEqual(r1.request)
    const dcql = r1.request.dcql_query as { credentials: { format: string; meta: unknown; claims: unknown }[] }
    expect(dcql.credentials).toEqual([{ id: 'sd_jwt', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['org'] }] }])
    const get = await a.request(`/requests/${r1.id}`)
    expect(await get.json()).toEqual(r1.request)
  })

  it('§8.2/§8.6: verifies the vp_token against policy and DCQL, shows the result; the state is single use', async () => {
    const a = app()
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'], String(r.request.client_id), String(r.request.nonce))
    const body = { vp_token: JSON.stringify({ sd_jwt: [vp] }), state: String(r.request.state) }
    const res = await post(a, body)
    expect(res.status).toBe(200)
    const { redirect_uri } = (await res.json()) as { redirect_uri: string }
    expect(redirect_uri).toMatch(new RegExp(`^https://verifier\\.example/requests/${r.id}/page\\?response_code=[A-Za-z0-9_-]{43}$`))
    const result = (await (await a.request(`/results/${r.id}`, bearer(r))).json()) as Record<string, unknown>
    expect(result).toMatchObject({ status: 'verified', presentations: [{ queryId: 'sd_jwt', format: 'dc+sd-jwt', issuer: auth.iss, credentialType: VCT, status: 'not-checked' }] })
    const claims = (result.presentations as { claims: Record<string, unknown> }[])[0]!.claims
    expect(claims.org).toBe('example.com')
    expect(claims.email).toBeUndefined()
    const page = await (await a.request(`/requests/${r.id}/page`, { headers: { cookie: `e2eid_result=${r.result_token}` } })).text()
    expect(page).toContain('Verified')
    expect(page).toContain('example.com')
    // Replay of the same response: the state was used.
    expect((await post(a, body)).status).toBe(400)
  })

  it('refuses a presentation made for another request (nonce) or another verifier (aud), with the code in the result', async () => {
    const a = app()
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth)
    const stale = await presentSdJwt(vc, holder.privateJwk, ['org'], String(r.request.client_id), 'another-nonce')
    const res = await post(a, { vp_token: JSON.stringify({ sd_jwt: [stale] }), state: String(r.request.state) })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'invalid_request' })
    expect(await (await a.request(`/results/${r.id}`, bearer(r))).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_SDJWT_KB_NONCE_MISMATCH' } })
    const r2 = await newRequest(a)
    const elsewhere = await presentSdJwt(vc, holder.privateJwk, ['org'], 'https://verifier.example', String(r2.request.nonce))
    await post(a, { vp_token: JSON.stringify({ sd_jwt: [elsewhere] }), state: String(r2.request.state) })
    expect(await (await a.request(`/results/${r2.id}`, bearer(r2))).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_SDJWT_KB_AUD_MISMATCH' } })
  })

  it('refuses a response that violates the policy or withholds what DCQL asked for', async () => {
    const a = app()
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth, { claims: { ...ALICE, org: 'evil.example' } })
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'], String(r.request.client_id), String(r.request.nonce))
    await post(a, { vp_token: JSON.stringify({ sd_jwt: [vp] }), state: String(r.request.state) })
    expect(await (await a.request(`/results/${r.id}`, bearer(r))).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_POLICY_CLAIM_VALUE' } })
    const r2 = await newRequest(a)
    const good = await issueSdJwt(auth)
    const vp2 = await presentSdJwt(good.vc, good.holder.privateJwk, ['email'], String(r2.request.client_id), String(r2.request.nonce))
    await post(a, { vp_token: JSON.stringify({ sd_jwt: [vp2] }), state: String(r2.request.state) })
    expect(await (await a.request(`/results/${r2.id}`, bearer(r2))).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_POLICY_CLAIM_MISSING' } })
  })

  it('a DCQL query for a format the base policy refuses cannot be answered', async () => {
    const a = createVerifierApp({
      publicUrl: 'https://verifier.example',
      trust,
      provider,
      now: () => NOW,
      policy: { formats: ['sd-cwt'] },
      dcqlQuery: { credentials: [{ id: 'j', format: 'dc+sd-jwt', meta: { vct_values: [VCT] } }] },
    })
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, [], String(r.request.client_id), String(r.request.nonce))
    await post(a, { vp_token: JSON.stringify({ j: [vp] }), state: String(r.request.state) })
    expect(await (await a.request(`/results/${r.id}`, bearer(r))).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_POLICY_FORMAT_NOT_ACCEPTED' } })
  })

  it('answers malformed input with 4xx, never 5xx', async () => {
    const a = app()
    const r = await newRequest(a)
    const state = String(r.request.state)
    const cases: [string, RequestInit][] = [
      ['json body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['no state', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'vp_token=%7B%7D' }],
      ['vp_token not JSON', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `vp_token=nope&state=${state}` }],
      ['vp_token value not an array', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ vp_token: '{"sd_jwt":"x"}', state }).toString() }],
      ['unknown state', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ vp_token: '{"sd_jwt":["x~"]}', state: 'nope' }).toString() }],
      ['too large', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a='.padEnd(300 * 1024, 'x') }],
    ]
    for (const [name, init] of cases) {
      const res = await a.request('/response', init)
      expect(res.status, name).toBeGreaterThanOrEqual(400)
      expect(res.status, name).toBeLessThan(500)
    }
    // A garbage presentation under a valid state is a rejection too (4xx), recorded in the result.
    const res = await post(a, { vp_token: JSON.stringify({ sd_jwt: ['garbage~'] }), state })
    expect(res.status).toBe(400)
    expect((await a.request('/results/unknown')).status).toBe(404)
    expect((await a.request('/nowhere')).status).toBe(404)
  })

  it('the result page escapes disclosed values and is served with a restrictive CSP', async () => {
    const a = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => NOW, policy: { credentialTypes: [VCT], formats: ['dc+sd-jwt'], status: 'if-present' } })
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth, { claims: { ...ALICE, role: '<script>alert(1)</script>' } })
    const vp = await presentSdJwt(vc, holder.privateJwk, ['role'], String(r.request.client_id), String(r.request.nonce))
    expect((await post(a, { vp_token: JSON.stringify({ sd_jwt: [vp] }), state: String(r.request.state) })).status).toBe(200)
    const page = await a.request(`/requests/${r.id}/page`, { headers: { cookie: `e2eid_result=${r.result_token}` } })
    const html = await page.text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect((await a.request('/')).status).toBe(200)
    const viaForm = await a.request('/requests?html=1', { method: 'POST' })
    expect(viaForm.status).toBe(303)
    expect(viaForm.headers.get('location')).toMatch(/^\/requests\/[A-Za-z0-9_-]+\/page$/)
    // The browser that asked keeps the request's result token, scoped to that request and out of scripts' reach.
    const cookie = viaForm.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^e2eid_result=[A-Za-z0-9_-]{43}; /)
    expect(cookie).toContain(`Path=${viaForm.headers.get('location')!.replace(/\/page$/, '')}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Secure')
  })

  it('requests expire after requestTtlSeconds (an expired pending session frees its slot)', async () => {
    let now = NOW
    const a = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => now, requestTtlSeconds: 60, maxSessions: 2, policy: { credentialTypes: [VCT], status: 'if-present' } })
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, [], String(r.request.client_id), String(r.request.nonce))
    now += 61
    expect((await post(a, { vp_token: JSON.stringify({ sd_jwt: [vp] }), state: String(r.request.state) })).status).toBe(400)
    expect((await a.request(`/results/${r.id}`, bearer(r))).status).toBe(404)
    // maxSessions 2, the expired one no longer counts: two new ones fit (the bound itself: request-limits.test.ts).
    const r1 = await newRequest(a)
    await newRequest(a)
    expect((await a.request(`/results/${r1.id}`, bearer(r1))).status).toBe(200)
  })

  it('a wallet error response ends the session as rejected', async () => {
    const a = app()
    const r = await newRequest(a)
    expect((await post(a, { error: 'access_denied', state: String(r.request.state) })).status).toBe(200)
    expect(await (await a.request(`/results/${r.id}`, bearer(r))).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_OPENID4VP_WALLET_ERROR' } })
  })
})

describe('OpenID4VP 1.0 §8.2 response_code and §13.3 session fixation: who may read a result', () => {
  async function answered(a: ReturnType<typeof app>) {
    const r = await newRequest(a)
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'], String(r.request.client_id), String(r.request.nonce))
    const res = await post(a, { vp_token: JSON.stringify({ sd_jwt: [vp] }), state: String(r.request.state) })
    expect(res.status).toBe(200)
    const redirect = new URL(((await res.json()) as { redirect_uri: string }).redirect_uri)
    return { r, redirect, code: redirect.searchParams.get('response_code')! }
  }

  it('§8.2: knowing the session id (or the request) reads nothing: no result JSON, no verdict on the page', async () => {
    const a = app()
    const { r } = await answered(a)
    const anon = await a.request(`/results/${r.id}`)
    expect(anon.status).toBe(401)
    expect(anon.headers.get('www-authenticate')).toBe('Bearer')
    expect(await anon.json()).toMatchObject({ error: 'invalid_request' })
    expect((await a.request(`/results/${r.id}`, { headers: { authorization: 'Bearer AAAA' } })).status).toBe(401)
    expect((await a.request(`/results/${r.id}?response_code=AAAA`)).status).toBe(401)
    const page = await (await a.request(`/requests/${r.id}/page`)).text()
    expect(page).toContain('Answered')
    expect(page).not.toContain('Verified')
    expect(page).not.toContain('example.com')
    // The frontend that created the request reads it with its token, as often as it likes.
    for (let i = 0; i < 2; i++) expect(await (await a.request(`/results/${r.id}`, bearer(r))).json()).toMatchObject({ status: 'verified' })
  })

  it('§8.2: the response_code is fresh per response and reads the result once (single use)', async () => {
    const a = app()
    const one = await answered(a)
    const two = await answered(a)
    expect(one.code).not.toBe(two.code)
    expect(one.code).toMatch(/^[A-Za-z0-9_-]{43}$/) // 256 bits
    const first = await a.request(`/results/${one.r.id}?response_code=${one.code}`)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ id: one.r.id, status: 'verified', presentations: [{ claims: { org: 'example.com' } }] })
    expect((await a.request(`/results/${one.r.id}?response_code=${one.code}`)).status).toBe(401)
  })

  it('§8.2 same-device flow: the redirect_uri turns the code into the browser cookie and shows the verdict there', async () => {
    const a = app()
    const { r, redirect, code } = await answered(a)
    const back = await a.request(`${redirect.pathname}${redirect.search}`)
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe(`/requests/${r.id}/page`)
    const cookie = (back.headers.get('set-cookie') ?? '').split(';')[0]!
    expect(cookie).toBe(`e2eid_result=${r.result_token}`)
    const page = await (await a.request(`/requests/${r.id}/page`, { headers: { cookie } })).text()
    expect(page).toContain('Verified')
    expect(page).toContain('example.com')
    // The code was used up: replaying the link shows no verdict and sets no cookie.
    const replay = await a.request(`/requests/${r.id}/page?response_code=${code}`)
    expect(replay.status).toBe(200)
    expect(replay.headers.get('set-cookie')).toBeNull()
    expect(await replay.text()).not.toContain('Verified')
  })

  it('§13.3: an attacker cannot read a victim session with his own token or code, nor plant his code in it', async () => {
    const a = app()
    const victim = await answered(a)
    const attacker = await answered(a)
    expect((await a.request(`/results/${victim.r.id}`, bearer(attacker.r))).status).toBe(401)
    expect((await a.request(`/results/${victim.r.id}?response_code=${attacker.code}`)).status).toBe(401)
    const planted = await a.request(`/requests/${victim.r.id}/page?response_code=${attacker.code}`)
    expect(planted.headers.get('set-cookie')).toBeNull()
    expect((await a.request(`/requests/${victim.r.id}/page`, { headers: { cookie: `e2eid_result=${attacker.r.result_token}` } })).status).toBe(200)
    expect(await (await a.request(`/requests/${victim.r.id}/page`, { headers: { cookie: `e2eid_result=${attacker.r.result_token}` } })).text()).not.toContain('Verified')
    // Neither was spent on the wrong session: the attacker's code still reads his own result.
    expect((await a.request(`/results/${attacker.r.id}?response_code=${attacker.code}`)).status).toBe(200)
  })

  it('§8.2: a wallet error response is answered with a redirect_uri and response_code too', async () => {
    const a = app()
    const r = await newRequest(a)
    const res = await post(a, { error: 'access_denied', state: String(r.request.state) })
    const code = new URL(((await res.json()) as { redirect_uri: string }).redirect_uri).searchParams.get('response_code')
    expect(await (await a.request(`/results/${r.id}?response_code=${code}`)).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_OPENID4VP_WALLET_ERROR' } })
  })
})
