/**
 * The user admin routes (issue 15): list (paginated), show, update (the creation rules apply), remove (refused while a
 * credential is neither revoked nor expired; `?revoke=true` revokes first). Removal keeps the status list consistent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, admin, makeFixture } from '../test-helpers/holder.js'
import { getStatusValue } from '../storage/status-bits.js'
import { verifyPassword } from '../util/password.js'

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
  for (const id of ['alice', 'bob', 'carol']) {
    const r = await admin(f, '/admin/users', { id, claims: { ...ALICE_CLAIMS, handle: `im:${id}@example.com` }, ...(id === 'alice' ? { password: 'correct horse battery' } : {}) })
    expect(r.status).toBe(201)
  }
})
afterEach(async () => {
  await f.close()
})

const get = (path: string) => admin(f, path, undefined, 'GET')

async function issue(id: string, userId = 'alice', expiresIn = 86_400) {
  return f.repo.recordIssuance({
    id, userId, format: 'dc+sd-jwt', credentialConfigurationId: 'mimi_identity_sd_jwt', holderKeyThumbprint: `jkt-${id}`,
    listForm: 'jwt', issuedAt: f.clock.now, expiresAt: f.clock.now + expiresIn,
  })
}

describe('GET /admin/users', () => {
  it('lists users by id, paginated with limit and the next cursor; never shows password hashes', async () => {
    const p1 = await get('/admin/users?limit=2')
    expect(p1.status).toBe(200)
    const b1 = (await p1.json()) as { users: Array<Record<string, unknown>>; next: string | null }
    expect(b1.users.map((u) => u.id)).toEqual(['alice', 'bob'])
    expect(b1.users[0]).toEqual({ id: 'alice', claims: { ...ALICE_CLAIMS, handle: 'im:alice@example.com' }, can_log_in: true, created_at: f.clock.now })
    expect(JSON.stringify(b1)).not.toContain('scrypt')
    expect(b1.next).toBe('bob')
    const b2 = (await (await get('/admin/users?limit=2&after=bob')).json()) as { users: Array<{ id: string }>; next: string | null }
    expect(b2).toMatchObject({ users: [{ id: 'carol' }], next: null })
  })
  it('refuses a bad limit (400 ERR_ISSUER_ADMIN_INPUT) and an unauthenticated caller (401)', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=x']) {
      const r = await get(`/admin/users?${q}`)
      expect(r.status).toBe(400)
      expect(((await r.json()) as { code: string }).code).toBe('ERR_ISSUER_ADMIN_INPUT')
    }
    expect((await f.app.request('/admin/users')).status).toBe(401)
  })
})

describe('PATCH /admin/users/{id}', () => {
  it('replaces the claims and the password; null password disables login', async () => {
    const r = await admin(f, '/admin/users/bob', { claims: { handle: 'im:bob@example.org', name: 'Bob' }, password: 'another long password' }, 'PATCH')
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ id: 'bob', claims: { handle: 'im:bob@example.org', name: 'Bob' }, can_log_in: true })
    const stored = await f.repo.getUser('bob')
    expect(await verifyPassword('another long password', stored!.passwordHash!)).toBe(true)
    const off = await admin(f, '/admin/users/alice', { password: null }, 'PATCH')
    expect(await off.json()).toMatchObject({ id: 'alice', can_log_in: false, claims: { name: 'Alice Example' } })
  })
  it('applies the creation rules: reserved claim names, short passwords, unknown members, empty change', async () => {
    const cases: Array<[unknown, string]> = [
      [{ claims: { iss: 'https://evil.example' } }, 'ERR_ISSUER_RESERVED_CLAIM'],
      [{ claims: { '8': 'x' } }, 'ERR_ISSUER_RESERVED_CLAIM'],
      [{ password: 'short' }, 'ERR_ISSUER_ADMIN_INPUT'],
      [{ id: 'mallory' }, 'ERR_ISSUER_ADMIN_INPUT'],
      [{}, 'ERR_ISSUER_ADMIN_INPUT'],
    ]
    for (const [body, code] of cases) {
      const r = await admin(f, '/admin/users/bob', body, 'PATCH')
      expect(r.status).toBe(400)
      expect(((await r.json()) as { code: string }).code).toBe(code)
    }
    expect((await f.repo.getUser('bob'))?.claims).toMatchObject({ handle: 'im:bob@example.com' })
  })
  it('404 for an unknown user', async () => {
    const r = await admin(f, '/admin/users/nobody', { claims: { name: 'X' } }, 'PATCH')
    expect(r.status).toBe(404)
    expect(((await r.json()) as { code: string }).code).toBe('ERR_ISSUER_USER_NOT_FOUND')
  })
})

describe('DELETE /admin/users/{id}', () => {
  it('is refused while a credential is neither revoked nor expired (409), and nothing is removed', async () => {
    await issue('c1')
    const r = await admin(f, '/admin/users/alice', undefined, 'DELETE')
    expect(r.status).toBe(409)
    const body = (await r.json()) as { code: string; error_description: string }
    expect(body.code).toBe('ERR_ISSUER_USER_HAS_VALID_CREDENTIALS')
    expect(body.error_description).toContain('e2eid issuer revoke')
    expect((await get('/admin/users/alice')).status).toBe(200)
  })
  it('removes a user whose credentials are all revoked; their status list bits stay INVALID', async () => {
    const c = await issue('c1')
    expect((await admin(f, '/admin/credentials/c1/status', { status: 'revoked' })).status).toBe(200)
    const r = await admin(f, '/admin/users/alice', undefined, 'DELETE')
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ id: 'alice', removed: true, revoked: [], credentials: 1 })
    expect((await get('/admin/users/alice')).status).toBe(404)
    expect((await get('/admin/credentials/c1')).status).toBe(404)
    const list = await f.repo.getStatusList(c.statusListId)
    expect(getStatusValue(list!.data, list!.bits, c.statusIdx)).toBe(1)
    expect((await f.repo.checkIntegrity()).problems).toEqual([])
  })
  it('?revoke=true revokes the valid and suspended credentials first, then removes', async () => {
    const c1 = await issue('c1')
    const c2 = await issue('c2')
    await issue('c3', 'bob')
    expect((await admin(f, '/admin/credentials/c2/status', { status: 'suspended' })).status).toBe(200)
    const r = await admin(f, '/admin/users/alice?revoke=true', undefined, 'DELETE')
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ id: 'alice', removed: true, revoked: ['c1', 'c2'], credentials: 2 })
    const list = await f.repo.getStatusList(c1.statusListId)
    expect(getStatusValue(list!.data, list!.bits, c1.statusIdx)).toBe(1)
    expect(getStatusValue(list!.data, list!.bits, c2.statusIdx)).toBe(1)
    expect((await f.repo.getCredential('c3'))?.status).toBe(0)
    expect((await f.repo.checkIntegrity()).problems).toEqual([])
  })
  it('an expired, unrevoked credential does not block removal', async () => {
    await issue('old', 'alice', 10)
    f.clock.now += 11
    expect((await admin(f, '/admin/users/alice', undefined, 'DELETE')).status).toBe(200)
  })
  it('404 for an unknown user, 400 for a bad revoke value', async () => {
    expect((await admin(f, '/admin/users/nobody', undefined, 'DELETE')).status).toBe(404)
    expect((await admin(f, '/admin/users/alice?revoke=yes', undefined, 'DELETE')).status).toBe(400)
  })
})
