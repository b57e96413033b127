/**
 * The Nonce Endpoint (OpenID4VCI 1.0 §7) is not a protected resource: without an access token it hands out
 * an unbound c_nonce (single use, short-lived); with the access token (+ DPoP) the c_nonce is bound to that
 * token and the joint check of specs/issuance-joint-pop.md applies. `require_bound_nonce` restores the
 * token-only endpoint.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ISSUER, TEST_SCRYPT_N, authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce, aliceOffer, preAuthToken } from '../test-helpers/holder.js'
import { createIssuerApp } from './app.js'
import { resolveIssuerConfig } from '../config/config.js'

let f: Fixture
let dpopKey: KeyPair
let holder: KeyPair
beforeEach(async () => {
  f = await makeFixture()
  dpopKey = await keyPair(f.crypto, 'ES256')
  holder = await keyPair(f.crypto, 'EdDSA')
})
afterEach(async () => {
  await f.close()
})

async function anonymousNonce(g: Fixture = f): Promise<Response> {
  return g.app.request('/nonce', { method: 'POST' })
}

async function accessToken(g: Fixture = f): Promise<string> {
  const { code } = await aliceOffer(g)
  const t = await preAuthToken(g, dpopKey, code)
  return ((await t.json()) as { access_token: string }).access_token
}

async function issueWith(token: string, nonce: string, opts: { aud?: string } = {}): Promise<Response> {
  const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now, ...opts })
  return json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, token, '/credential'))
}

async function errorOf(r: Response): Promise<[number, unknown]> {
  return [r.status, ((await r.json()) as { error?: unknown }).error]
}

describe('Nonce Endpoint without an access token (OpenID4VCI §7, default)', () => {
  it('answers 200 with a fresh c_nonce and Cache-Control: no-store', async () => {
    const a = await anonymousNonce()
    const b = await anonymousNonce()
    expect(a.status).toBe(200)
    expect(a.headers.get('cache-control')).toBe('no-store')
    const na = ((await a.json()) as { c_nonce: string }).c_nonce
    const nb = ((await b.json()) as { c_nonce: string }).c_nonce
    expect(na).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    expect(na).not.toBe(nb)
  })

  it('an unbound c_nonce is single use', async () => {
    const token = await accessToken()
    const { c_nonce } = (await (await anonymousNonce()).json()) as { c_nonce: string }
    expect((await issueWith(token, c_nonce)).status).toBe(200)
    expect(await errorOf(await issueWith(token, c_nonce))).toEqual([400, 'invalid_nonce'])
  })

  it('an unbound c_nonce is short-lived (c_nonce_ttl)', async () => {
    const token = await accessToken()
    const { c_nonce } = (await (await anonymousNonce()).json()) as { c_nonce: string }
    f.clock.now += 121
    expect(await errorOf(await issueWith(token, c_nonce))).toEqual([400, 'invalid_nonce'])
  })

  it('the holder proof over an unbound c_nonce is still checked (aud), and a refused proof does not consume the nonce', async () => {
    const token = await accessToken()
    const { c_nonce } = (await (await anonymousNonce()).json()) as { c_nonce: string }
    expect(await errorOf(await issueWith(token, c_nonce, { aud: 'https://other.example' }))).toEqual([400, 'invalid_proof'])
    expect((await issueWith(token, c_nonce)).status).toBe(200)
  })

  it('anonymous nonce requests are rate limited per client; requests with the access token are not counted', async () => {
    const g = await makeFixture({ token_rate_limit_per_minute: 2 })
    try {
      const { code } = await aliceOffer(g)
      const t = await preAuthToken(g, dpopKey, code)
      const token = ((await t.json()) as { access_token: string }).access_token
      expect((await anonymousNonce(g)).status).toBe(200)
      expect((await anonymousNonce(g)).status).toBe(200)
      const limited = await anonymousNonce(g)
      expect(await errorOf(limited)).toEqual([429, 'too_many_requests'])
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      const bound = await g.app.request('/nonce', { method: 'POST', headers: await authHeaders(g, dpopKey, token, '/nonce') })
      expect(bound.status).toBe(200)
    } finally {
      await g.close()
    }
  })
})

describe('Nonce Endpoint with the access token: c_nonce bound to it (specs/issuance-joint-pop.md)', () => {
  it('a proof over a c_nonce fetched with token A cannot be used with token B; A still can', async () => {
    const a = await tokenAndNonce(f, dpopKey)
    const b = await tokenAndNonce(f, dpopKey)
    expect(await errorOf(await issueWith(b.accessToken, a.nonce))).toEqual([400, 'invalid_nonce'])
    expect((await issueWith(a.accessToken, a.nonce)).status).toBe(200)
  })

  it('a request with an unknown token, or a DPoP-bound token without its DPoP proof, is refused (never downgraded to an unbound nonce)', async () => {
    expect(await errorOf(await f.app.request('/nonce', { method: 'POST', headers: { authorization: 'DPoP not-a-token' } }))).toEqual([401, 'invalid_token'])
    const token = await accessToken()
    expect(await errorOf(await f.app.request('/nonce', { method: 'POST', headers: { authorization: `DPoP ${token}` } }))).toEqual([401, 'invalid_token'])
  })
})

describe('require_bound_nonce: true (hardening)', () => {
  // Review: the hardened instance refused to hand out unbound nonces but still consumed one that exists (made by
  // an instance on the same database without the option, or before the option was turned on, within c_nonce_ttl).
  it('an unbound c_nonce from another instance on the same database is invalid_nonce; a bound one works', async () => {
    const hardened = createIssuerApp({
      repository: f.repo,
      issuerUrl: ISSUER,
      crypto: f.crypto,
      clock: () => f.clock.now,
      config: { ...resolveIssuerConfig({ require_bound_nonce: true }), passwordScryptN: TEST_SCRYPT_N },
    })
    const unbound = ((await (await anonymousNonce(f)).json()) as { c_nonce: string }).c_nonce
    const token = await accessToken()
    const send = async (nonce: string) => {
      const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
      return hardened.request('/credential', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await authHeaders(f, dpopKey, token, '/credential')) },
        body: JSON.stringify({ credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }),
      })
    }
    expect(await errorOf(await send(unbound))).toEqual([400, 'invalid_nonce'])
    const bound = ((await (await hardened.request('/nonce', { method: 'POST', headers: await authHeaders(f, dpopKey, token, '/nonce') })).json()) as { c_nonce: string }).c_nonce
    expect((await send(bound)).status).toBe(200)
  })

  it('refuses a nonce request without the access token (401 invalid_token + WWW-Authenticate); with the token it answers', async () => {
    const g = await makeFixture({ require_bound_nonce: true })
    try {
      const r = await anonymousNonce(g)
      expect(await errorOf(r)).toEqual([401, 'invalid_token'])
      expect(r.headers.get('www-authenticate')).toMatch(/DPoP/)
      const { code } = await aliceOffer(g)
      const token = ((await (await preAuthToken(g, dpopKey, code)).json()) as { access_token: string }).access_token
      expect((await g.app.request('/nonce', { method: 'POST', headers: await authHeaders(g, dpopKey, token, '/nonce') })).status).toBe(200)
    } finally {
      await g.close()
    }
  })
})
