/**
 * The issuer's structured log: one JSON line per request and one per security-relevant event, and never a secret.
 * A whole pre-authorized issuance (with tx_code), a revocation and refused admin tokens run through the app with a
 * capturing log destination; every secret that crossed the wire (admin token, pre-authorized code, tx_code, access
 * token, DPoP proofs, c_nonce, key proof, the credential, the user's password) is then looked for in the log output.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '@e2eid/shared/node'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, admin, aliceOffer, authHeaders, dpopProof, form, json, jwtProof, keyPair, makeFixture, preAuthToken, ISSUER } from '../test-helpers/holder.js'

let f: Fixture
let lines: string[]
beforeEach(async () => {
  lines = []
  f = await makeFixture({}, { logger: createLogger({ level: 'debug', pretty: false, destination: { write: (s) => void lines.push(s) } }) })
})
afterEach(async () => {
  await f.close()
})

const records = (): Array<Record<string, unknown>> => lines.map((l) => JSON.parse(l) as Record<string, unknown>)
const events = (name: string): Array<Record<string, unknown>> => records().filter((r) => r.event === name)

describe('issuer log', () => {
  it('logs each request and the issuance, revocation and refused admin tokens; no secret appears in the log', async () => {
    const secrets: string[] = [f.adminToken, 'correct horse battery']
    const { code, txCode } = await aliceOffer(f, 'mimi_identity_sd_jwt', true)
    secrets.push(code, txCode!)
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const holder = await keyPair(f.crypto, 'EdDSA')
    const dpop = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/token`, { iat: f.clock.now })
    secrets.push(dpop)
    // A wrong tx_code first (a refused token request), then the right one.
    expect((await preAuthToken(f, dpopKey, code, '000000')).status).toBe(400)
    const t = await preAuthToken(f, dpopKey, code, txCode)
    expect(t.status).toBe(200)
    const accessToken = ((await t.json()) as { access_token: string }).access_token
    secrets.push(accessToken)
    const nonceHeaders = await authHeaders(f, dpopKey, accessToken, '/nonce')
    secrets.push(nonceHeaders.dpop!)
    const nonce = ((await (await f.app.request('/nonce', { method: 'POST', headers: nonceHeaders })).json()) as { c_nonce: string }).c_nonce
    secrets.push(nonce)
    const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    const credentialHeaders = await authHeaders(f, dpopKey, accessToken, '/credential')
    secrets.push(proof, credentialHeaders.dpop!)
    const res = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, credentialHeaders)
    expect(res.status).toBe(200)
    const credential = ((await res.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential
    secrets.push(credential, ...credential.split('~').filter((s) => s.length > 16))

    const list = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ id: string }>
    expect((await admin(f, `/admin/credentials/${encodeURIComponent(list[0]!.id)}/status`, { status: 'revoked' })).status).toBe(200)
    expect((await f.app.request('/admin/keys')).status).toBe(401)
    const wrong = 'wrong-admin-token-0123456789abcdefghij'
    secrets.push(wrong)
    expect((await f.app.request('/admin/keys', { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401)

    // One line per request with method, route pattern, status, duration and (for errors) the error code.
    const requests = records().filter((r) => r.msg === 'request')
    expect(requests.length).toBeGreaterThanOrEqual(10)
    for (const r of requests) {
      expect(r).toMatchObject({ level: expect.stringMatching(/^(info|warn|error)$/), request_id: expect.any(String), method: expect.any(String), route: expect.any(String), status: expect.any(Number), duration_ms: expect.any(Number) })
    }
    expect(requests.find((r) => r.route === '/token' && r.status === 400)).toMatchObject({ level: 'warn', error_code: expect.stringMatching(/^ERR_ISSUER_/) })
    expect(requests.find((r) => r.route === '/admin/credentials/:id/status')).toMatchObject({ status: 200 })

    expect(events('credential_issued')).toEqual([expect.objectContaining({ level: 'info', user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_jwt', count: 1 })])
    expect(events('credential_status_changed')).toEqual([expect.objectContaining({ credential_id: list[0]!.id, status: 'revoked' })])
    expect(events('admin_token_refused').map((e) => e.reason)).toEqual(['missing', 'wrong'])
    expect(requests.filter((r) => r.route === '/admin/*' || r.status === 401).map((r) => r.error_code)).toEqual(['ERR_ISSUER_ADMIN_TOKEN_MISSING', 'ERR_ISSUER_ADMIN_TOKEN_INVALID'])

    const out = lines.join('')
    for (const s of secrets) expect(out, 'a secret is in the log').not.toContain(s)
    expect(out).not.toMatch(/Bearer |DPoP ey/)
  })

  it('a failed login is a login_failed warning; neither the password nor the login session appears', async () => {
    const redirect = 'http://127.0.0.1:9/cb'
    lines = []
    const g = await makeFixture({ clients: { wallet: { redirect_uris: [redirect] } } }, { logger: createLogger({ level: 'info', pretty: false, destination: { write: (s) => void lines.push(s) } }) })
    try {
      await admin(g, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: 'correct horse battery' })
      const par = await form(g.app, '/par', { response_type: 'code', client_id: 'wallet', redirect_uri: redirect, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', scope: 'mimi_identity_sd_jwt', state: 'st-1' })
      const { request_uri } = (await par.json()) as { request_uri: string }
      const page = await g.app.request(`/authorize?client_id=wallet&request_uri=${encodeURIComponent(request_uri)}`)
      const session = /name="session" value="([^"]+)"/.exec(await page.text())![1]!
      const r = await form(g.app, '/authorize', { session, username: 'alice', password: 'not-the-password-42' })
      expect(r.status).toBe(401)
      expect(events('login_failed')).toEqual([expect.objectContaining({ level: 'warn', client_id: 'wallet', request_id: expect.any(String) })])
      const out = lines.join('')
      for (const secret of ['not-the-password-42', 'correct horse battery', session, request_uri.split(':').at(-1)!]) expect(out).not.toContain(secret)
    } finally {
      await g.close()
    }
  })
})
