/**
 * Issue 14 item 4, rate limits: the limiter keyed on the TCP peer only (behind a TLS proxy every wallet shared
 * one bucket), and /par, GET /authorize, /nonce, /credential and /admin/* had none (1,000 anonymous PARs stored
 * in 1.3 s; 600 wrong admin tokens in 0.9 s). Now: `trusted_proxies`, per-endpoint and per-account limits,
 * failed admin authentications throttled per address in the database, and chosen admin tokens of 32+ bytes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { admin, aliceOffer, authHeaders, form, keyPair, makeFixture, preAuthToken } from '../test-helpers/holder.js'
import { createIssuerApp } from './app.js'
import { resolveIssuerConfig } from '../config/config.js'
import { TrustedProxies, forwardedFor, rateLimitKey, resolveClientAddress } from './client-address.js'
import { setAdminToken } from '../admin/admin-token.js'
import { startIssuerServer } from '../serve.js'

let f: Fixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

const REDIRECT = 'https://wallet.example/cb'

async function fixture(config: Parameters<typeof makeFixture>[0] = {}): Promise<Fixture> {
  f = await makeFixture({ clients: { wallet: { redirect_uris: [REDIRECT] } }, ...config })
  return f
}

async function expectLimited(r: Response, code = 'ERR_ISSUER_RATE_LIMITED'): Promise<void> {
  expect(r.status).toBe(429)
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
  expect(await r.json()).toMatchObject({ error: 'too_many_requests', code })
}

describe('client address behind trusted proxies (RFC 7239, X-Forwarded-For)', () => {
  const trusted = new TrustedProxies(['127.0.0.1/32', '10.0.0.0/8', '2001:db8::/32'])

  it('an untrusted peer is the client, whatever headers it sends', () => {
    expect(resolveClientAddress('198.51.100.7', trusted, { xForwardedFor: '203.0.113.1' })).toBe('198.51.100.7')
    expect(resolveClientAddress('198.51.100.7', new TrustedProxies([]), { forwarded: 'for=203.0.113.1' })).toBe('198.51.100.7')
  })

  it('behind trusted proxies: the right-most untrusted address; what the client wrote further left is ignored', () => {
    expect(resolveClientAddress('127.0.0.1', trusted, { xForwardedFor: '203.0.113.1' })).toBe('203.0.113.1')
    expect(resolveClientAddress('::ffff:127.0.0.1', trusted, { xForwardedFor: '1.2.3.4, 203.0.113.1, 10.1.2.3' })).toBe('203.0.113.1')
    expect(resolveClientAddress('127.0.0.1', trusted, { forwarded: 'for=1.2.3.4, for="[2001:db9::17]:4711";proto=https, for=10.0.0.9' }, 'forwarded')).toBe('2001:db9::17')
    expect(resolveClientAddress('127.0.0.1', trusted, { forwarded: 'for=192.0.2.60:8080;by=10.0.0.1', xForwardedFor: '1.2.3.4' }, 'forwarded')).toBe('192.0.2.60')
    // The proxy could not name its client: the trusted hop that said so is the key, not a spoofable string.
    expect(resolveClientAddress('127.0.0.1', trusted, { forwarded: 'for=unknown' }, 'forwarded')).toBe('127.0.0.1')
    expect(resolveClientAddress('127.0.0.1', trusted, { xForwardedFor: 'garbage, 10.0.0.5' })).toBe('10.0.0.5')
    expect(resolveClientAddress('127.0.0.1', trusted, {})).toBe('127.0.0.1')
  })

  it('parses RFC 7239 §4 for= nodes', () => {
    expect(forwardedFor('for=192.0.2.43, for="[2001:db8:cafe::17]", for=unknown;proto=http')).toEqual(['192.0.2.43', '2001:db8:cafe::17', 'unknown'])
  })

  // Review of issue 14: nginx, HAProxy, AWS ALB, Traefik append X-Forwarded-For and pass a client's own
  // `Forwarded` header through untouched. Reading `Forwarded` whenever present let any client name its address
  // (a fresh rate-limit bucket per request, or the admin's address to lock the admin API out).
  it('the forwarding header read is the one the proxy writes (trusted_proxy_header): a client-sent Forwarded is ignored behind an X-Forwarded-For proxy', () => {
    expect(resolveClientAddress('127.0.0.1', trusted, { forwarded: 'for=192.0.2.99', xForwardedFor: '203.0.113.1' }, 'x-forwarded-for')).toBe('203.0.113.1')
    expect(resolveClientAddress('127.0.0.1', trusted, { forwarded: 'for=192.0.2.99' }, 'x-forwarded-for')).toBe('127.0.0.1')
    expect(resolveClientAddress('127.0.0.1', trusted, { forwarded: 'for=192.0.2.99', xForwardedFor: '203.0.113.1' }, 'forwarded')).toBe('192.0.2.99')
    expect(resolveIssuerConfig({}).trustedProxyHeader).toBe('x-forwarded-for')
    expect(resolveIssuerConfig({ trusted_proxy_header: 'forwarded' }).trustedProxyHeader).toBe('forwarded')
    expect(() => resolveIssuerConfig({ trusted_proxy_header: 'x-real-ip' } as never)).toThrow()
  })

  it('an IPv6 client is keyed on its /64 (one host picks any address in it); IPv4 on the address', () => {
    expect(rateLimitKey('2001:db8:1:2:aaaa::1')).toBe(rateLimitKey('2001:0db8:0001:0002:ffff:1:2:3'))
    expect(rateLimitKey('2001:db8:1:2::1')).not.toBe(rateLimitKey('2001:db8:1:3::1'))
    expect(rateLimitKey('::1')).toBe(rateLimitKey('::2'))
    expect(rateLimitKey('203.0.113.1')).toBe('203.0.113.1')
    expect(rateLimitKey('local')).toBe('local')
  })

  it('trusted_proxies must be addresses or CIDR ranges', () => {
    expect(resolveIssuerConfig({ trusted_proxies: ['127.0.0.1/32', '::1', 'fd00::/8'] }).trustedProxies).toEqual(['127.0.0.1/32', '::1', 'fd00::/8'])
    for (const bad of ['localhost', '10.0.0.0/33', '10.0.0.0/8/1', '1.2.3.4/x']) {
      expect(() => resolveIssuerConfig({ trusted_proxies: [bad] })).toThrow(expect.objectContaining({ code: 'ERR_ISSUER_CONFIG_INVALID' }))
    }
  })

  it('over a real socket behind a trusted proxy each wallet has its own bucket; without trusted_proxies the header changes nothing', async () => {
    for (const [trustedProxies, expected] of [
      [['127.0.0.1/32'], { a: [400, 400, 429], b: [400] }],
      [[], { a: [400, 400, 429], b: [429] }],
    ] as const) {
      const fx = await makeFixture({ token_rate_limit_per_minute: 2, trusted_proxies: [...trustedProxies] })
      const server = serve({ fetch: fx.app.fetch, port: 0, hostname: '127.0.0.1' })
      await new Promise<void>((resolve) => server.once('listening', () => resolve()))
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
        const send = async (xff: string, forwarded?: string) => {
          const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': xff }
          if (forwarded !== undefined) headers.forwarded = forwarded
          const r = await fetch(url, { method: 'POST', headers, body: 'grant_type=authorization_code&code=x' })
          await r.body?.cancel()
          return r.status
        }
        // Wallet a's third request adds its own Forwarded header naming a fresh address: not believed either.
        const a = [await send('203.0.113.1'), await send('203.0.113.1'), await send('203.0.113.1', 'for=192.0.2.77')]
        // Wallet b also forges an entry for a fresh address on the left: it is not believed.
        const b = [await send('198.51.100.9, 203.0.113.2')]
        expect({ a, b }).toEqual(expected)
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await fx.close()
      }
    }
  })
})

describe('per-endpoint limits per client address', () => {
  it('anonymous PARs: 429 past the limit, admitted again in the next window', async () => {
    const fx = await fixture({ rate_limits_per_minute: { par: 5 } })
    const challenge = base64urlEncode(fx.crypto.digest('SHA-256', utf8Encode('v'.repeat(43))))
    const par = () => form(fx.app, '/par', { response_type: 'code', client_id: 'wallet', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', scope: 'mimi_identity_sd_jwt' })
    for (let i = 0; i < 5; i++) expect((await par()).status).toBe(201)
    await expectLimited(await par())
    fx.clock.now += 60
    expect((await par()).status).toBe(201)
  })

  it('GET /authorize, POST /nonce, POST /credential and /admin/* each have their own limit', async () => {
    const fx = await fixture({ rate_limits_per_minute: { authorize: 2, nonce: 2, credential: 2, admin: 3 } })
    const calls: Array<[string, () => Promise<Response>, number]> = [
      ['authorize', () => Promise.resolve(fx.app.request('/authorize?client_id=wallet&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aguess')), 2],
      ['nonce', () => Promise.resolve(fx.app.request('/nonce', { method: 'POST' })), 2],
      ['credential', () => Promise.resolve(fx.app.request('/credential', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })), 2],
      ['admin', () => admin(fx, '/admin/keys', undefined, 'GET'), 3],
    ]
    for (const [name, call, limit] of calls) {
      for (let i = 0; i < limit; i++) expect((await call()).status, `${name} #${i}`).not.toBe(429)
      await expectLimited(await call())
    }
    // The token endpoint and metadata are not affected by those.
    expect((await fx.app.request('/.well-known/openid-credential-issuer')).status).toBe(200)
  })

  it('POST /credential is also limited per user, across access tokens', async () => {
    const fx = await fixture({ rate_limits_per_minute: { credential_per_account: 2 } })
    const key = await keyPair(fx.crypto)
    const tokens: string[] = []
    for (let i = 0; i < 2; i++) {
      const { code } = await aliceOffer(fx)
      tokens.push(((await (await preAuthToken(fx, key, code)).json()) as { access_token: string }).access_token)
    }
    const credential = async (token: string) =>
      fx.app.request('/credential', { method: 'POST', headers: { ...(await authHeaders(fx, key, token, '/credential')), 'content-type': 'application/json' }, body: '{}' })
    expect((await credential(tokens[0]!)).status).toBe(400)
    expect((await credential(tokens[1]!)).status).toBe(400)
    await expectLimited(await credential(tokens[0]!))
    await expectLimited(await credential(tokens[1]!))
  })
})

describe('admin API: failed authentications throttled, strong tokens', () => {
  it('wrong admin tokens: 429 after the limit even with the right token, counted in the database across instances', async () => {
    const fx = await fixture({ rate_limits_per_minute: { admin_failures: 5 } })
    // A second instance on the same database (as behind a load balancer).
    const other = createIssuerApp({ repository: fx.repo, issuerUrl: 'https://issuer.example', crypto: fx.crypto, clock: () => fx.clock.now, config: resolveIssuerConfig({ rate_limits_per_minute: { admin_failures: 5 } }) })
    const wrong = (app: typeof other) => Promise.resolve(app.request('/admin/keys', { headers: { authorization: 'Bearer wrong-token-guess' } }))
    for (let i = 0; i < 3; i++) expect((await wrong(fx.app)).status).toBe(401)
    for (let i = 0; i < 2; i++) expect((await wrong(other)).status).toBe(401)
    await expectLimited(await admin(fx, '/admin/keys', undefined, 'GET'), 'ERR_ISSUER_ADMIN_THROTTLED')
    await expectLimited(await Promise.resolve(other.request('/admin/keys', { headers: { authorization: `Bearer ${fx.adminToken}` } })), 'ERR_ISSUER_ADMIN_THROTTLED')
    fx.clock.now += 60
    expect((await admin(fx, '/admin/keys', undefined, 'GET')).status).toBe(200)
  })

  it('a chosen admin token (E2EID_ADMIN_TOKEN) shorter than 32 bytes is refused at startup', async () => {
    const fx = await fixture()
    await expect(setAdminToken(fx.repo, fx.crypto, 'short-admin-token')).rejects.toMatchObject({ code: 'ERR_ISSUER_ADMIN_TOKEN_WEAK' })
    await expect(setAdminToken(fx.repo, fx.crypto, 'x'.repeat(31))).rejects.toMatchObject({ code: 'ERR_ISSUER_ADMIN_TOKEN_WEAK' })
    expect(await setAdminToken(fx.repo, fx.crypto, 'x'.repeat(32))).toBe('x'.repeat(32))
    const dir = mkdtempSync(join(tmpdir(), 'e2eid-admin-'))
    try {
      await expect(startIssuerServer({ port: 0, stateDir: dir, adminToken: 'hunter2' })).rejects.toMatchObject({ code: 'ERR_ISSUER_ADMIN_TOKEN_WEAK' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
