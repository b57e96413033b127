/**
 * Issue 14 item 10, framing: the verifier's pages (start page, request page with its verdict, error page) must not be
 * framed by another site (clickjacking): CSP `frame-ancestors 'none'` (CSP Level 2 §7.7) together with the rest of
 * the page's CSP, and `X-Frame-Options: DENY` (RFC 7034) for browsers without frame-ancestors.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../http.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { TrustStore } from '../trust/types.js'
import { NOW, VCT, makeAuthority, provider } from '../test-helpers/fixtures.js'
import { createVerifierApp } from './app.js'

let trust: TrustStore
beforeAll(async () => {
  const auth = await makeAuthority()
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

function expectUnframeable(res: Response): void {
  expect(res.headers.get('x-frame-options')).toBe('DENY')
  const csp = res.headers.get('content-security-policy') ?? ''
  expect(csp.split(';').map((d) => d.trim())).toContain("frame-ancestors 'none'")
  // Merged with the page's existing policy, not replacing it.
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("form-action 'self'")
}

describe('attack: framing the verifier\'s pages (issue 14 item 10)', () => {
  it('every HTML page carries CSP frame-ancestors \'none\' and X-Frame-Options: DENY', async () => {
    const a = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => NOW, policy: { credentialTypes: [VCT] } })
    const home = await a.request('/')
    expect(home.headers.get('content-type')).toMatch(/^text\/html/)
    expectUnframeable(home)
    const viaForm = await a.request('/requests?html=1', { method: 'POST' })
    const cookie = (viaForm.headers.get('set-cookie') ?? '').split(';')[0]!
    const page = await a.request(viaForm.headers.get('location')!, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expectUnframeable(page)
    const missing = await a.request('/requests/unknown/page')
    expect(missing.status).toBe(404)
    expectUnframeable(missing)
  })

  it('JSON answers carry X-Frame-Options: DENY too', async () => {
    const a = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => NOW, policy: { credentialTypes: [VCT] } })
    const res = await a.request('/requests', { method: 'POST' })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-frame-options')).toBe('DENY')
  })
})
