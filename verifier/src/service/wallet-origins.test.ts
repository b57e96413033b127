/**
 * CORS for browser wallets (the wallet page posts its OpenID4VP direct_post response cross-origin, §8.2):
 * only the configured `walletOrigins` get CORS headers, and only on POST /requests and POST /response.
 */
import { describe, expect, it } from 'vitest'
import { createHttpClient } from '../http.js'
import { createTrustStore } from '../trust/trust-store.js'
import { createVerifierApp } from './app.js'
import { parseVerifierServiceConfig } from './serve.js'

const PAGE = 'http://127.0.0.1:8082'
const trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: 'https://issuer.example', sources: [{ type: 'jwt_vc_issuer' }] }] })
const app = (walletOrigins?: string[]) => createVerifierApp({ publicUrl: 'https://verifier.example', trust, policy: { credentialTypes: ['https://issuer.example/vct'] }, ...(walletOrigins ? { walletOrigins } : {}) })

describe('verifier service CORS for the wallet page origin', () => {
  it('admits the configured origin on /response (preflight and answer) and /requests', async () => {
    const a = app([`${PAGE}/`])
    const pre = await a.request('/response', { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE)
    const bad = await a.request('/response', { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=nope&vp_token=%7B%7D' })
    expect(bad.status).toBe(400)
    expect(bad.headers.get('access-control-allow-origin')).toBe(PAGE)
    const created = await a.request('/requests', { method: 'POST', headers: { origin: PAGE } })
    expect(created.status).toBe(201)
    expect(created.headers.get('access-control-allow-origin')).toBe(PAGE)
  })

  it('gives no CORS headers to other origins, to other routes, or when no origin is configured', async () => {
    const a = app([PAGE])
    const other = await a.request('/response', { method: 'POST', headers: { origin: 'http://127.0.0.1:9999', 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=x&vp_token=%7B%7D' })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const results = await a.request('/results/abc', { headers: { origin: PAGE } })
    expect(results.headers.get('access-control-allow-origin')).toBeNull()
    const none = await app().request('/response', { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=x&vp_token=%7B%7D' })
    expect(none.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('reads wallet_origins from the service configuration', () => {
    expect(parseVerifierServiceConfig({ authorities: [{ issuer: 'https://i.example', jwt_vc_issuer: true }], wallet_origins: [PAGE] }).wallet_origins).toEqual([PAGE])
    expect(() => parseVerifierServiceConfig({ authorities: [{ issuer: 'https://i.example', jwt_vc_issuer: true }], wallet_origins: ['not a url'] })).toThrow(/wallet_origins/)
  })
})
