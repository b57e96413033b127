/**
 * Issue 14 item 3, login brute force and user enumeration on the login page of the authorization code
 * flow: failures count per account (not per login session, which a new PAR gave for free), a login session
 * is not a request_uri, an unknown user id costs the same scrypt as a known one, and stored hashes move to
 * the OWASP cost N = 2^17 at the next login.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, admin, form, makeFixture } from '../test-helpers/holder.js'
import { resolveIssuerConfig } from '../config/config.js'
import { DEFAULT_SCRYPT_N, hashPassword, verifyPassword } from '../util/password.js'
import { REQUEST_URI_PREFIX } from './par.js'

const REDIRECT = 'https://wallet.example/cb'
const PASSWORD = 'correct horse battery'
let f: Fixture

afterEach(async () => {
  await f.close()
})

async function setup(scryptN?: number): Promise<void> {
  const config = resolveIssuerConfig({ clients: { wallet: { redirect_uris: [REDIRECT] } } })
  f = await makeFixture({}, scryptN === undefined ? { config } : { config: { ...config, passwordScryptN: scryptN } })
}

/** A fresh PAR and its login page: returns the login session. */
async function freshSession(): Promise<string> {
  const challenge = base64urlEncode(f.crypto.digest('SHA-256', utf8Encode('v'.repeat(43))))
  const par = await form(f.app, '/par', {
    response_type: 'code', client_id: 'wallet', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', scope: 'mimi_identity_sd_jwt',
  })
  const { request_uri } = (await par.json()) as { request_uri: string }
  const page = await f.app.request(`/authorize?client_id=wallet&request_uri=${encodeURIComponent(request_uri)}`)
  expect(page.status).toBe(200)
  return sessionOf(await page.text())
}

function sessionOf(html: string): string {
  return /name="session" value="([^"]+)"/.exec(html)![1]!
}

function login(session: string, username: string, password: string): Promise<Response> {
  return form(f.app, '/authorize', { session, username, password })
}

describe('issue 14 item 3: login brute force and user enumeration', () => {
  it('failures count per account: a fresh login session per guess (new PAR) does not reset them', async () => {
    await setup(1 << 10)
    await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: PASSWORD })
    for (let i = 0; i < 5; i++) expect((await login(await freshSession(), 'alice', `guess-${i}`)).status).toBe(401)
    // The sixth guess, even the right password, in yet another fresh session: locked out.
    const locked = await login(await freshSession(), 'alice', PASSWORD)
    expect(locked.status).toBe(429)
    expect(await locked.json()).toMatchObject({ error: 'access_denied', code: 'ERR_ISSUER_LOGIN_LOCKED' })
    expect(Number(locked.headers.get('retry-after'))).toBe(30)
    // After the lockout the right password works and clears the count.
    f.clock.now += 30
    expect((await login(await freshSession(), 'alice', PASSWORD)).status).toBe(302)
    for (let i = 0; i < 4; i++) expect((await login(await freshSession(), 'alice', `again-${i}`)).status).toBe(401)
  })

  it('the lockout doubles with each further failure (30 s, 60 s, ...)', async () => {
    await setup(1 << 10)
    await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: PASSWORD })
    for (let i = 0; i < 5; i++) await login(await freshSession(), 'alice', 'wrong-one')
    f.clock.now += 30
    expect((await login(await freshSession(), 'alice', 'wrong-two')).status).toBe(401)
    const locked = await login(await freshSession(), 'alice', PASSWORD)
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBe(60)
  })

  it('a login session cannot be replayed as a request_uri to get a fresh session', async () => {
    await setup(1 << 10)
    const session = await freshSession()
    const r = await f.app.request(`/authorize?client_id=wallet&request_uri=${encodeURIComponent(`${REQUEST_URI_PREFIX}login:${session}`)}`)
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ code: 'ERR_ISSUER_REQUEST_URI_INVALID' })
    // The session itself is still usable (the probe did not consume it).
    expect((await login(session, 'nobody', 'whatever-1')).status).toBe(401)
  })

  it('an unknown user id gets the same answer and lockout as a known one', async () => {
    await setup(1 << 10)
    await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: PASSWORD })
    const known = await login(await freshSession(), 'alice', 'wrong-password')
    const unknown = await login(await freshSession(), 'nobody', 'wrong-password')
    expect(unknown.status).toBe(known.status)
    const strip = (html: string) => html.replace(/value="[^"]+"/, '')
    expect(strip(await unknown.text())).toBe(strip(await known.text()))
    for (let i = 0; i < 4; i++) await login(await freshSession(), 'nobody', 'wrong-password')
    const locked = await login(await freshSession(), 'nobody', 'wrong-password')
    expect(locked.status).toBe(429)
    expect(await locked.json()).toMatchObject({ code: 'ERR_ISSUER_LOGIN_LOCKED' })
  })

  it('an unknown user id costs a scrypt like a known one (no timing oracle)', async () => {
    await setup(1 << 14) // ~50 ms per hash: far above the noise of the rest of the request
    await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: PASSWORD })
    const time = async (username: string): Promise<number> => {
      const session = await freshSession()
      const t = performance.now()
      expect((await login(session, username, 'wrong-password')).status).toBe(401)
      return performance.now() - t
    }
    await time('nobody-warm-up') // the dummy hash is made once per process
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 3; i++) {
      known.push(await time('alice'))
      unknown.push(await time(`nobody-${i}`))
    }
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5)
  })

  it('the default scrypt cost is N = 2^17, and a hash of the old cost 2^15 is rehashed at the next login', async () => {
    expect(DEFAULT_SCRYPT_N).toBe(1 << 17)
    expect(resolveIssuerConfig({}).passwordScryptN).toBe(1 << 17)
    await setup() // the default cost
    const old = await hashPassword(PASSWORD, 1 << 15)
    expect(old.startsWith('scrypt$32768$8$1$')).toBe(true)
    await f.repo.createUser({ id: 'alice', claims: ALICE_CLAIMS, passwordHash: old, createdAt: f.clock.now })
    expect((await login(await freshSession(), 'alice', PASSWORD)).status).toBe(302)
    const upgraded = (await f.repo.getUser('alice'))!.passwordHash!
    expect(upgraded.startsWith('scrypt$131072$8$1$')).toBe(true)
    expect(await verifyPassword(PASSWORD, upgraded)).toBe(true)
    // And new users get it directly.
    await admin(f, '/admin/users', { id: 'bob', claims: ALICE_CLAIMS, password: PASSWORD })
    expect((await f.repo.getUser('bob'))!.passwordHash!.startsWith('scrypt$131072$')).toBe(true)
  })
})
