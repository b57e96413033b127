/**
 * Issue 14 item 6, verifier session eviction: anonymous POST /requests at capacity used to evict the oldest
 * pending session, so a flood pushed a victim's request out and her wallet's answer got 400. Now a pending
 * session is never evicted (503 + Retry-After at capacity), POST /requests is rate-limited per client address,
 * and a deployment can require a bearer token for it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../http.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { TrustStore } from '../trust/types.js'
import { NOW, VCT, issueSdJwt, makeAuthority, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import { createVerifierApp } from './app.js'
import type { VerifierAppOptions } from './app.js'
import { createVerifierFromConfig } from './serve.js'
import { rateLimitKey } from './request-guard.js'

let auth: Authority
let trust: TrustStore

beforeAll(async () => {
  auth = await makeAuthority()
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

const clock = { now: NOW }
function app(o: Partial<VerifierAppOptions> = {}) {
  clock.now = NOW
  return createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => clock.now, policy: { credentialTypes: [VCT], formats: ['dc+sd-jwt'], status: 'if-present' }, ...o })
}
type App = ReturnType<typeof app>

/** A client address as @hono/node-server passes it (env.incoming.socket). */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })
const create = (a: App, address = '192.0.2.1', headers: Record<string, string> = {}) => a.request('/requests', { method: 'POST', headers }, from(address))

async function created(res: Response) {
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; request: { client_id: string; nonce: string; state: string }; result_token: string }
}

async function answer(a: App, r: Awaited<ReturnType<typeof created>>): Promise<Response> {
  const { vc, holder } = await issueSdJwt(auth)
  const vp = await presentSdJwt(vc, holder.privateJwk, [], r.request.client_id, r.request.nonce, clock.now)
  return a.request('/response', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ vp_token: JSON.stringify({ sd_jwt: [vp] }), state: r.request.state }).toString() })
}

describe('attack: evicting a victim\'s pending presentation request by flooding POST /requests (issue 14 item 6)', () => {
  // Review: keyed per address, one IPv6 host (any address of its /64) had unlimited buckets and filled max_sessions.
  it('attack: one IPv6 host rotating addresses within its /64 shares one bucket; another /64 and IPv4 have their own', async () => {
    const a = app({ maxSessions: 1000, requestsRateLimitPerMinute: 3 })
    const statuses: number[] = []
    for (let i = 1; i <= 5; i++) statuses.push((await create(a, `2001:db8:aa:bb:${i.toString(16)}::${i}`)).status)
    expect(statuses).toEqual([201, 201, 201, 429, 429])
    expect((await create(a, '2001:db8:aa:bc::1')).status).toBe(201)
    expect((await create(a, '::ffff:192.0.2.9')).status).toBe(201)
    expect(rateLimitKey('2001:0db8:00aa:00bb:0:0:0:1')).toBe(rateLimitKey('2001:db8:aa:bb::ffff'))
    expect(rateLimitKey('::ffff:192.0.2.9')).toBe('192.0.2.9')
    expect(rateLimitKey('192.0.2.9')).toBe('192.0.2.9')
  })

  it('attack: at capacity new requests get 503 temporarily_unavailable (ERR_VERIFY_SESSIONS_FULL) with Retry-After; the victim\'s pending request is kept and her wallet\'s answer is accepted', async () => {
    const a = app({ maxSessions: 5, requestTtlSeconds: 300, requestsRateLimitPerMinute: 1000 })
    const victim = await created(await create(a, '198.51.100.7'))
    clock.now += 100
    for (let i = 0; i < 4; i++) await created(await create(a, `203.0.113.${i}`))
    for (let i = 0; i < 20; i++) {
      const res = await create(a, `203.0.113.${100 + i}`)
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable', code: 'ERR_VERIFY_SESSIONS_FULL' })
      // The victim's request (created 100 s earlier, ttl 300) is the first to expire.
      expect(res.headers.get('retry-after')).toBe('200')
    }
    const res = await answer(a, victim)
    expect(res.status).toBe(200)
    expect(await (await a.request(`/results/${victim.id}`, { headers: { authorization: `Bearer ${victim.result_token}` } })).json()).toMatchObject({ status: 'verified' })
  })

  it('a finished session makes room (oldest first) before anyone is refused; expired pending ones are dropped', async () => {
    const a = app({ maxSessions: 2, requestTtlSeconds: 60, requestsRateLimitPerMinute: 1000 })
    const done = await created(await create(a))
    const pending = await created(await create(a))
    expect((await answer(a, done)).status).toBe(200)
    await created(await create(a)) // evicts `done`, the only finished one
    expect((await a.request(`/results/${done.id}`, { headers: { authorization: `Bearer ${done.result_token}` } })).status).toBe(404)
    expect((await create(a)).status).toBe(503)
    expect((await a.request(`/requests/${pending.id}`)).status).toBe(200)
    clock.now += 61 // both pending sessions expire: their slots are free again
    await created(await create(a))
    await created(await create(a))
  })
})

describe('POST /requests rate limit per client address', () => {
  it('beyond the limit in a minute: 429 too_many_requests (ERR_VERIFY_RATE_LIMITED) with Retry-After; other addresses unaffected; the window resets', async () => {
    const a = app({ requestsRateLimitPerMinute: 3 })
    for (let i = 0; i < 3; i++) await created(await create(a, '203.0.113.9'))
    clock.now += 20
    const limited = await create(a, '203.0.113.9')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('40')
    expect(await limited.json()).toMatchObject({ error: 'too_many_requests', code: 'ERR_VERIFY_RATE_LIMITED' })
    await created(await create(a, '198.51.100.1'))
    clock.now += 40
    await created(await create(a, '203.0.113.9'))
  })

  it('the default is 60 per minute', async () => {
    const a = app({ maxSessions: 100 })
    for (let i = 0; i < 60; i++) await created(await create(a))
    expect((await create(a)).status).toBe(429)
  })
})

describe('POST /requests bearer token (requestsToken)', () => {
  const TOKEN = 'verifier-requests-token-0123456789'

  it('with a token configured: none or a wrong one → 401 invalid_token (ERR_VERIFY_REQUESTS_UNAUTHORIZED, WWW-Authenticate); the right one → 201', async () => {
    const a = app({ requestsToken: TOKEN })
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0123456789abc' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const res = await create(a, '192.0.2.1', headers)
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await res.json()).toMatchObject({ error: 'invalid_token', code: 'ERR_VERIFY_REQUESTS_UNAUTHORIZED' })
    }
    await created(await create(a, '192.0.2.1', { authorization: `Bearer ${TOKEN}` }))
    // The other routes stay open (wallets fetch requests and post responses without the token).
    expect((await a.request('/requests/unknown')).status).toBe(404)
  })

  it('refused without a token does not use up the address\'s rate limit', async () => {
    const a = app({ requestsToken: TOKEN, requestsRateLimitPerMinute: 1 })
    for (let i = 0; i < 5; i++) expect((await create(a)).status).toBe(401)
    await created(await create(a, '192.0.2.1', { authorization: `Bearer ${TOKEN}` }))
  })

  it('a token shorter than 16 characters is a configuration error (ERR_VERIFY_CONFIG_INVALID)', () => {
    expect(() => app({ requestsToken: 'short' })).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
  })

  it('from the configuration: max_sessions, requests_rate_limit_per_minute, and the token option', async () => {
    const { app: a } = createVerifierFromConfig({
      config: { authorities: [{ issuer: auth.iss, keys: [auth.publicJwk as unknown as Record<string, unknown>] }], policy: { credential_types: [VCT] }, max_sessions: 1, requests_rate_limit_per_minute: 2 },
      publicUrl: 'https://verifier.example',
      requestsToken: TOKEN,
      now: () => NOW,
    })
    const auth_ = { authorization: `Bearer ${TOKEN}` }
    expect((await a.request('/requests', { method: 'POST' })).status).toBe(401)
    expect((await a.request('/requests', { method: 'POST', headers: auth_ })).status).toBe(201)
    expect((await a.request('/requests', { method: 'POST', headers: auth_ })).status).toBe(503)
    expect((await a.request('/requests', { method: 'POST', headers: auth_ })).status).toBe(429)
  })
})
