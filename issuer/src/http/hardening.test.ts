/**
 * HTTP hardening of the issuer (issue 8), beyond the single checks of ./error-paths.test.ts: the body limit on every
 * endpoint that reads a body (declared and streamed), the token and login rate limits (in process and over a real
 * loopback socket, keyed by client address), the security headers on every kind of response, the CORS policy
 * (narrowed to the wallet page's origin, never on the admin API; the default any-origin policy: ./cors.test.ts), and the admin
 * token on every admin route. tx_code tries: error-paths.test.ts and credential/attacks.test.ts (locked after 3).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import { request as httpRequest } from 'node:http'
import { serve } from '@hono/node-server'
import type { Fixture } from '../test-helpers/holder.js'
import { admin, makeFixture } from '../test-helpers/holder.js'

let f: Fixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

const WALLET = 'https://wallet.example'

async function fixture(config: Parameters<typeof makeFixture>[0] = {}): Promise<Fixture> {
  f = await makeFixture({ wallet_origins: [WALLET], ...config })
  return f
}

const BODY_ENDPOINTS: Array<[string, string]> = [
  ['/token', 'application/x-www-form-urlencoded'],
  ['/par', 'application/x-www-form-urlencoded'],
  ['/authorize', 'application/x-www-form-urlencoded'],
  ['/nonce', 'application/json'],
  ['/credential', 'application/json'],
  ['/notification', 'application/json'],
  ['/admin/users', 'application/json'],
  ['/admin/offers', 'application/json'],
  ['/admin/keys', 'application/json'],
]

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close()
      const n = Math.min(8192, bytes - sent)
      sent += n
      controller.enqueue(new Uint8Array(n).fill(0x61))
    },
  })
}

describe('body size limit (body_limit_bytes, default 64 KiB)', () => {
  it('every endpoint that reads a body answers 413 payload_too_large (ERR_ISSUER_BODY_TOO_LARGE) to a declared oversized body, before authentication', async () => {
    const fx = await fixture()
    for (const [path, type] of BODY_ENDPOINTS) {
      const r = await fx.app.request(path, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${fx.adminToken}` }, body: 'a'.repeat(64 * 1024 + 1) })
      expect([path, r.status]).toEqual([path, 413])
      expect(await r.json()).toMatchObject({ error: 'payload_too_large', code: 'ERR_ISSUER_BODY_TOO_LARGE' })
    }
  })

  it('a streamed body without Content-Length is cut off at the limit too', async () => {
    const fx = await fixture({ body_limit_bytes: 4096 })
    for (const [path, type] of BODY_ENDPOINTS) {
      const req = new Request(`https://issuer.example${path}`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${fx.adminToken}` }, body: streamOf(1024 * 1024), duplex: 'half' } as RequestInit)
      expect(req.headers.get('content-length')).toBeNull()
      const r = await fx.app.request(req)
      expect([path, r.status]).toEqual([path, 413])
    }
    // Under the limit the same endpoint parses the body (and refuses it for what it is, not for its size).
    const small = await fx.app.request('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x'.padEnd(4000, 'x') })
    expect(small.status).toBe(400)
  })
})

describe('body size limit over a real loopback socket (the body is read from the Node request, not a WHATWG Request)', () => {
  type Sent = { status: number; body: string }
  function send(port: number, path: string, headers: Record<string, string>, chunks: string[]): Promise<Sent> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      // The server may answer 413 and close before the whole body is sent.
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)))
      for (const c of chunks) req.write(c)
      req.end()
    })
  }

  it('declared and chunked oversized bodies are 413 ERR_ISSUER_BODY_TOO_LARGE; a chunked body under the limit is parsed whole', async () => {
    const fx = await fixture({ body_limit_bytes: 4096 })
    const server = serve({ fetch: fx.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    try {
      const port = (server.address() as AddressInfo).port
      const auth = { authorization: `Bearer ${fx.adminToken}`, 'content-type': 'application/json' }
      const declared = await send(port, '/admin/users', { ...auth, 'content-length': '5000' }, ['a'.repeat(5000)])
      expect(declared.status).toBe(413)
      expect(JSON.parse(declared.body)).toMatchObject({ error: 'payload_too_large', code: 'ERR_ISSUER_BODY_TOO_LARGE' })
      const chunked = await send(port, '/credential', { 'content-type': 'application/json' }, Array.from({ length: 8 }, () => 'a'.repeat(1000)))
      expect(chunked.status).toBe(413)
      expect(JSON.parse(chunked.body)).toMatchObject({ error: 'payload_too_large', code: 'ERR_ISSUER_BODY_TOO_LARGE' })
      // Under the limit, in several chunks: the whole JSON is read (the user is created with every claim).
      const user = JSON.stringify({ id: 'bob', claims: { name: 'Bob', email: 'bob@example.com', handle: `im:${'b'.repeat(2000)}@example.com` } })
      const third = Math.ceil(user.length / 3)
      const ok = await send(port, '/admin/users', auth, [user.slice(0, third), user.slice(third, 2 * third), user.slice(2 * third)])
      expect(ok.status).toBe(201)
      expect((await fx.repo.getUser('bob'))?.claims).toEqual(JSON.parse(user).claims)
      // Malformed JSON over the socket is still the JSON error, not a 5xx.
      const bad = await send(port, '/admin/users', auth, ['{"id":'])
      expect([bad.status, JSON.parse(bad.body).code]).toEqual([400, 'ERR_ISSUER_JSON_MALFORMED'])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe('rate limits (token_rate_limit_per_minute)', () => {
  it('the token endpoint and the login form answer 429 too_many_requests with Retry-After past the limit, per window', async () => {
    const fx = await fixture({ token_rate_limit_per_minute: 5 })
    const token = () => fx.app.request('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=guess' })
    for (let i = 0; i < 5; i++) expect((await token()).status).toBe(400)
    const limited = await token()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited.json()).toMatchObject({ error: 'too_many_requests', code: 'ERR_ISSUER_RATE_LIMITED' })
    const login = () => fx.app.request('/authorize', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'session=x&username=alice&password=guess' })
    for (let i = 0; i < 5; i++) expect((await login()).status).not.toBe(429)
    expect((await login()).status).toBe(429)
    // Other endpoints are not limited by it.
    expect((await fx.app.request('/.well-known/openid-credential-issuer')).status).toBe(200)
    // The next window admits requests again.
    fx.clock.now += 61
    expect((await token()).status).toBe(400)
  })

  it('over a real loopback socket the limit is per client address', async () => {
    const fx = await fixture({ token_rate_limit_per_minute: 3 })
    const server = serve({ fetch: fx.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=x' })
        statuses.push(r.status)
        await r.body?.cancel()
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429])
      // In-process requests (another "address") have their own window.
      expect((await fx.app.request('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=x' })).status).toBe(400)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe('security headers on every kind of response', () => {
  it('JSON success, OAuth error, 404, 405, 413, 429, admin 401 and the login page all carry them', async () => {
    const fx = await fixture({ token_rate_limit_per_minute: 1 })
    await admin(fx, '/admin/users', { id: 'alice', claims: { name: 'Alice' }, password: 'correct horse battery' })
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x' }
    const responses: Array<[string, Response]> = [
      ['metadata', await fx.app.request('/.well-known/openid-credential-issuer')],
      ['oauth error', await fx.app.request('/token', form)],
      ['429', await fx.app.request('/token', form)],
      ['404', await fx.app.request('/nope')],
      ['405', await fx.app.request('/credential')],
      ['413', await fx.app.request('/credential', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(70_000) })],
      ['admin 401', await fx.app.request('/admin/keys')],
      ['login page', await fx.app.request('/authorize?client_id=x')],
    ]
    for (const [what, r] of responses) {
      const h = r.headers
      expect([what, h.get('x-content-type-options')]).toEqual([what, 'nosniff'])
      expect([what, h.get('x-frame-options')]).toEqual([what, 'DENY'])
      expect([what, h.get('referrer-policy')]).toEqual([what, 'no-referrer'])
      expect([what, h.get('strict-transport-security')]).toEqual([what, 'max-age=31536000; includeSubDomains'])
      expect(h.get('content-security-policy'), what).toMatch(/default-src 'none'/)
      expect(h.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/)
      expect(r.status, what).toBeLessThan(500)
    }
    // Token endpoint answers are never cached (RFC 6749 §5.1).
    expect(responses[1]![1].headers.get('cache-control')).toBe('no-store')
  })
})

describe('CORS narrowed by wallet_origins: the wallet page\'s origin and no other (default: any origin, ./cors.test.ts)', () => {
  it('a preflight from the wallet origin is admitted for the wallet endpoints (DPoP header allowed, no credentials); any other origin gets no CORS headers', async () => {
    const fx = await fixture()
    for (const path of ['/token', '/nonce', '/credential', '/par', '/notification', '/.well-known/openid-credential-issuer', '/status-lists/1']) {
      const ok = await fx.app.request(path, { method: 'OPTIONS', headers: { origin: WALLET, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, dpop, content-type' } })
      expect([path, ok.status]).toEqual([path, 204])
      expect(ok.headers.get('access-control-allow-origin')).toBe(WALLET)
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('dpop')
      expect(ok.headers.get('access-control-allow-credentials')).toBeNull()
      for (const origin of ['https://evil.example', 'https://wallet.example.evil.example', 'http://wallet.example', 'null', 'https://WALLET.example']) {
        const bad = await fx.app.request(path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } })
        expect([path, origin, bad.headers.get('access-control-allow-origin')]).toEqual([path, origin, null])
      }
    }
  })

  it('the admin API and the login form never answer CORS, even to the wallet origin', async () => {
    const fx = await fixture()
    for (const path of ['/admin/users', '/admin/offers', '/admin/keys', '/authorize']) {
      const r = await fx.app.request(path, { method: 'OPTIONS', headers: { origin: WALLET, 'access-control-request-method': 'POST' } })
      expect([path, r.headers.get('access-control-allow-origin')]).toEqual([path, null])
    }
  })
})

describe('admin token', () => {
  it('every admin route refuses a missing, wrong, empty or mis-schemed token with 401 and does nothing', async () => {
    // Many failures from one address: above the failure throttle's default (abuse-limits.test.ts tests that).
    const fx = await fixture({ rate_limits_per_minute: { admin_failures: 1000 } })
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/admin/users', { id: 'mallory', claims: { name: 'Mallory' } }],
      ['GET', '/admin/users/alice'],
      ['GET', '/admin/users/alice/credentials'],
      ['POST', '/admin/offers', { user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_jwt' }],
      ['GET', '/admin/credentials/1'],
      ['POST', '/admin/credentials/1/status', { status: 'revoked' }],
      ['GET', '/admin/keys'],
      ['POST', '/admin/keys', {}],
      ['POST', '/admin/keys/k1/retire', {}],
    ]
    const badHeaders: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${fx.adminToken}` },
      { authorization: `DPoP ${fx.adminToken}` },
      { authorization: `Bearer ${fx.adminToken}x` },
      { authorization: `Bearer ${fx.adminToken.slice(0, -1)}` },
      { 'x-admin-token': fx.adminToken },
    ]
    for (const [method, path, body] of routes) {
      for (const h of badHeaders) {
        const r = await fx.app.request(`${path}?token=${fx.adminToken}`, { method, headers: { ...h, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
        expect([method, path, JSON.stringify(h), r.status]).toEqual([method, path, JSON.stringify(h), 401])
      }
    }
    // Nothing happened: mallory does not exist.
    expect((await admin(fx, '/admin/users/mallory', undefined, 'GET')).status).toBe(404)
  })
})
