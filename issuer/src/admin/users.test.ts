/**
 * The user directory refuses attribute names the credential formats set themselves: the registered JWT/SD-JWT VC
 * claims, and integer-looking names that would sit beside the SD-CWT's integer labels (CWT iss 1, cnf 8, status 65535).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Fixture } from '../test-helpers/holder.js'
import { admin, makeFixture } from '../test-helpers/holder.js'

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
})
afterEach(async () => {
  await f.close()
})

describe('POST /admin/users: reserved claim names', () => {
  it.each(['iss', 'cnf', 'status', 'vct', '1', '8', '-2', '65535'])('refuses a user record with claim %s (ERR_ISSUER_RESERVED_CLAIM)', async (name) => {
    const r = await admin(f, '/admin/users', { id: 'mallory', claims: { sub: 'mimi://example.com/u/mallory', [name]: 'x' } })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { code: string }).code).toBe('ERR_ISSUER_RESERVED_CLAIM')
    expect((await admin(f, '/admin/users/mallory', undefined, 'GET')).status).toBe(404)
  })
  it('accepts text names, digits inside a name included', async () => {
    const r = await admin(f, '/admin/users', { id: 'bob', claims: { sub: 'mimi://example.com/u/bob', org: 'example.com', room101: 'yes' } })
    expect(r.status).toBeLessThan(300)
    expect(await r.json()).toEqual({ id: 'bob' })
  })
})
