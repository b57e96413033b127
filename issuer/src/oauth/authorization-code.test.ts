/**
 * Authorization code flow rejections: RFC 9126 (PAR), RFC 7636 (PKCE S256 only), RFC 6749 §4.1.3
 * (client/redirect binding, single use), RFC 9449 §10 (code bound to the PAR DPoP key), the login page.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { renderLoginPage } from './authorize.js'
import { ALICE_CLAIMS, ISSUER, admin, dpopProof, form, keyPair, makeFixture } from '../test-helpers/holder.js'

const REDIRECT = 'https://wallet.example/cb'
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-extra-entropy'
let f: Fixture
let dpopKey: KeyPair

function challenge(v: string): string {
  return base64urlEncode(f.crypto.digest('SHA-256', utf8Encode(v)))
}

beforeEach(async () => {
  f = await makeFixture({ clients: { wallet: { redirect_uris: [REDIRECT] } } })
  dpopKey = await keyPair(f.crypto, 'ES256')
  await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: 'correct horse battery' })
})
afterEach(async () => {
  await f.close()
})

function parParams(extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: 'wallet',
    redirect_uri: REDIRECT,
    code_challenge: challenge(VERIFIER),
    code_challenge_method: 'S256',
    scope: 'mimi_identity_sd_jwt',
    state: 'st-1',
    ...extra,
  }
}

async function par(extra: Record<string, string> = {}, dpop?: string): Promise<Response> {
  return form(f.app, '/par', parParams(extra), dpop === undefined ? {} : { dpop })
}

async function loginAndGetCode(requestUri: string): Promise<string> {
  const page = await f.app.request(`/authorize?client_id=wallet&request_uri=${encodeURIComponent(requestUri)}`)
  expect(page.status).toBe(200)
  const session = /name="session" value="([^"]+)"/.exec(await page.text())![1]!
  const r = await form(f.app, '/authorize', { session, username: 'alice', password: 'correct horse battery' })
  expect(r.status).toBe(302)
  const loc = new URL(r.headers.get('location')!)
  expect(loc.searchParams.get('state')).toBe('st-1')
  return loc.searchParams.get('code')!
}

async function token(code: string, key: KeyPair = dpopKey, extra: Record<string, string> = {}): Promise<Response> {
  const dpop = await dpopProof(f.crypto, key, 'POST', `${ISSUER}/token`, { iat: f.clock.now })
  return form(f.app, '/token', { grant_type: 'authorization_code', code, code_verifier: VERIFIER, redirect_uri: REDIRECT, client_id: 'wallet', ...extra }, { dpop })
}

describe('PAR (RFC 9126) and PKCE (RFC 7636)', () => {
  it('refuses plain PKCE, a missing challenge, an unregistered redirect URI, a wrong resource and unknown scopes', async () => {
    const refused: Array<Record<string, string>> = [
      { code_challenge_method: 'plain' },
      { code_challenge: '' },
      { redirect_uri: 'https://evil.example/cb' },
      { resource: 'https://other.example' },
      { request_uri: 'urn:ietf:params:oauth:request_uri:x' },
    ]
    for (const extra of refused) {
      const r = await par(extra)
      expect(r.status).toBe(400)
      expect(((await r.json()) as { error: string }).error).toBe('invalid_request')
    }
    const s = await par({ scope: 'unknown_scope' })
    expect(((await s.json()) as { error: string }).error).toBe('invalid_scope')
  })
  it('accepts authorization_details naming this issuer and refuses other locations', async () => {
    const ok = await par({ scope: '', authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'mimi_identity_sd_cwt', locations: [ISSUER] }]) })
    expect(ok.status).toBe(201)
    const bad = await par({ authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'mimi_identity_sd_cwt', locations: ['https://x.example'] }]) })
    expect(bad.status).toBe(400)
  })
  it('the authorize endpoint requires a live request_uri of the same client, once', async () => {
    const { request_uri } = (await (await par()).json()) as { request_uri: string }
    expect((await f.app.request('/authorize?client_id=other&request_uri=' + encodeURIComponent(request_uri))).status).toBe(400)
    // The mismatch consumed it (single use): the right client cannot use it afterwards either.
    expect((await f.app.request('/authorize?client_id=wallet&request_uri=' + encodeURIComponent(request_uri))).status).toBe(400)
    expect((await f.app.request('/authorize?client_id=wallet&response_type=code&redirect_uri=' + encodeURIComponent(REDIRECT))).status).toBe(400)
    const late = (await (await par()).json()) as { request_uri: string }
    f.clock.now += 91
    expect((await f.app.request('/authorize?client_id=wallet&request_uri=' + encodeURIComponent(late.request_uri))).status).toBe(400)
  })
  it('login: 5 wrong passwords lock the account out (429 access_denied, Retry-After)', async () => {
    const { request_uri } = (await (await par()).json()) as { request_uri: string }
    let session = /name="session" value="([^"]+)"/.exec(await (await f.app.request('/authorize?client_id=wallet&request_uri=' + encodeURIComponent(request_uri))).text())![1]!
    for (let i = 0; i < 5; i++) {
      const r = await form(f.app, '/authorize', { session, username: 'alice', password: 'nope-nope' })
      expect(r.status).toBe(401)
      session = /name="session" value="([^"]+)"/.exec(await r.text())![1]!
    }
    const last = await form(f.app, '/authorize', { session, username: 'alice', password: 'correct horse battery' })
    expect(last.status).toBe(429)
    expect(last.headers.get('retry-after')).toBe('30')
    expect(((await last.json()) as { error: string; code: string })).toMatchObject({ error: 'access_denied', code: 'ERR_ISSUER_LOGIN_LOCKED' })
  })
  it('the login page escapes what it shows and forbids framing', async () => {
    const { request_uri } = (await (await form(f.app, '/par', { ...parParams(), client_id: 'wallet' })).json()) as { request_uri: string }
    const page = await f.app.request('/authorize?client_id=wallet&request_uri=' + encodeURIComponent(request_uri))
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    expect(page.headers.get('cache-control')).toBe('no-store')
    const html = renderLoginPage({ kind: 'login', session: 's"><x', clientId: '<script>alert(1)</script>', configurationIds: ['a&b'], error: '<i>', status: 401 }, '/authorize')
    expect(html).not.toMatch(/<script>|<i>|"><x/)
    expect(html).toContain('&#60;script&#62;')
  })
})

describe('Token endpoint, authorization_code grant', () => {
  it('a wrong code_verifier, redirect_uri or client_id is invalid_grant; the code is single use', async () => {
    const wrong: Array<Record<string, string>> = [{ code_verifier: VERIFIER.replace('extra', 'other') }, { redirect_uri: 'https://wallet.example/other' }, { client_id: 'someone' }]
    for (const extra of wrong) {
      const { request_uri } = (await (await par()).json()) as { request_uri: string }
      const code = await loginAndGetCode(request_uri)
      const r = await token(code, dpopKey, extra)
      expect(r.status).toBe(400)
      expect(((await r.json()) as { error: string }).error).toBe('invalid_grant')
    }
    const { request_uri } = (await (await par()).json()) as { request_uri: string }
    const code = await loginAndGetCode(request_uri)
    const ok = await token(code)
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { token_type: string; authorization_details: Array<{ credential_configuration_id: string; credential_identifiers: string[] }> }
    expect(body.token_type).toBe('DPoP')
    expect(body.authorization_details).toEqual([{ type: 'openid_credential', credential_configuration_id: 'mimi_identity_sd_jwt', credential_identifiers: ['mimi_identity_sd_jwt'] }])
    expect((await token(code)).status).toBe(400)
  })
  it('an expired code is invalid_grant', async () => {
    const { request_uri } = (await (await par()).json()) as { request_uri: string }
    const code = await loginAndGetCode(request_uri)
    f.clock.now += 61
    expect((await token(code)).status).toBe(400)
  })
  it('a code bound to the PAR DPoP key (RFC 9449 §10) refuses another DPoP key', async () => {
    const parDpop = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/par`, { iat: f.clock.now })
    const { request_uri } = (await (await par({}, parDpop)).json()) as { request_uri: string }
    const code = await loginAndGetCode(request_uri)
    const other = await keyPair(f.crypto, 'ES256')
    const r = await token(code, other)
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string }).error).toBe('invalid_dpop_proof')
  })
})
