/**
 * CORS of the issuer (issue 13): the public, credential-less endpoints answer any origin with
 * `Access-Control-Allow-Origin: *` and never credentials, preflights allow the DPoP and Authorization headers;
 * the admin API and the login page never answer CORS; `wallet_origins` narrows the policy to those origins.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Fixture } from '../test-helpers/holder.js'
import { aliceOffer, makeFixture } from '../test-helpers/holder.js'

let f: Fixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

const PAGE = 'https://some-wallet.example'
const POST_ENDPOINTS = ['/token', '/nonce', '/credential', '/notification', '/par']
const GET_ENDPOINTS = [
  '/.well-known/openid-credential-issuer',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwks.json',
  '/.well-known/jwt-vc-issuer',
  '/.well-known/cose-keys',
  '/vct/mimi_identity_sd_jwt',
]

function preflight(g: Fixture, path: string, origin: string): Promise<Response> {
  return Promise.resolve(
    g.app.request(path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, dpop, content-type' } }),
  )
}

/** An offer-by-reference path of this fixture, and a status list path (preflights do not reach the handler). */
async function dynamicPaths(g: Fixture): Promise<{ offer: string; statusList: string }> {
  const { offerUri } = await aliceOffer(g)
  const byReference = new URL(offerUri).searchParams.get('credential_offer_uri')!
  return { offer: new URL(byReference).pathname, statusList: '/status-lists/1' }
}

describe('CORS by default: any origin on the public endpoints', () => {
  it('preflights of every public endpoint answer *, allow Authorization and DPoP, and never credentials', async () => {
    f = await makeFixture()
    const { offer, statusList } = await dynamicPaths(f)
    for (const path of [...POST_ENDPOINTS, ...GET_ENDPOINTS, offer, statusList]) {
      const r = await preflight(f, path, PAGE)
      expect([path, r.status, r.headers.get('access-control-allow-origin')]).toEqual([path, 204, '*'])
      const allowed = (r.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',').map((h) => h.trim())
      expect([path, allowed]).toEqual([path, expect.arrayContaining(['authorization', 'dpop', 'content-type'])])
      expect([path, r.headers.get('access-control-allow-credentials')]).toEqual([path, null])
    }
  })

  it('actual GET responses (metadata, keys, offer by reference) carry Access-Control-Allow-Origin: * for any origin, including "null"', async () => {
    f = await makeFixture()
    for (const origin of [PAGE, 'http://localhost:3000', 'null']) {
      // An offer by reference is served once (issue 14 item 5): a fresh one per origin.
      const { offer } = await dynamicPaths(f)
      for (const path of [...GET_ENDPOINTS, offer]) {
        const r = await f.app.request(path, { headers: { origin } })
        expect([path, origin, r.status, r.headers.get('access-control-allow-origin')]).toEqual([path, origin, 200, '*'])
        expect(r.headers.get('access-control-allow-credentials')).toBeNull()
      }
    }
  })

  it('error answers of the protected endpoints are readable cross-origin (status, WWW-Authenticate exposed)', async () => {
    f = await makeFixture()
    const r = await f.app.request('/credential', { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: '{}' })
    expect(r.status).toBe(401)
    expect(r.headers.get('access-control-allow-origin')).toBe('*')
    expect(r.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('www-authenticate')
  })

  it('the admin API and the login page never answer CORS, to any origin', async () => {
    f = await makeFixture()
    for (const path of ['/admin/users', '/admin/offers', '/admin/keys', '/admin/users/alice', '/authorize']) {
      const pre = await preflight(f, path, PAGE)
      expect([path, pre.headers.get('access-control-allow-origin')]).toEqual([path, null])
    }
    const adminGet = await f.app.request('/admin/keys', { headers: { origin: PAGE, authorization: `Bearer ${f.adminToken}` } })
    expect(adminGet.status).toBe(200)
    expect(adminGet.headers.get('access-control-allow-origin')).toBeNull()
    const login = await f.app.request('/authorize?client_id=x', { headers: { origin: PAGE } })
    expect(login.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('CORS narrowed by wallet_origins', () => {
  it('only the configured origins are answered, exactly; other origins get no CORS headers', async () => {
    f = await makeFixture({ wallet_origins: [PAGE] })
    for (const path of [...POST_ENDPOINTS, ...GET_ENDPOINTS]) {
      expect([path, (await preflight(f, path, PAGE)).headers.get('access-control-allow-origin')]).toEqual([path, PAGE])
      for (const origin of ['https://evil.example', 'http://some-wallet.example', 'null']) {
        expect([path, origin, (await preflight(f, path, origin)).headers.get('access-control-allow-origin')]).toEqual([path, origin, null])
      }
    }
    const r = await f.app.request('/.well-known/jwks.json', { headers: { origin: 'https://evil.example' } })
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    expect(r.headers.get('vary')).toMatch(/Origin/)
  })
})
