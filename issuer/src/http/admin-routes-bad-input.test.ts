/**
 * Bad input never crashes (issue 14 review): the admin routes added by issues 13/14 (PATCH/DELETE /admin/users/{id},
 * POST /admin/keys/{kid}/compromise, GET /admin/users?…) and the new public routes (/openapi.json, /nonce, offers by
 * reference, did.json) answer 2xx or 4xx, never 5xx, to odd ids, bodies, queries and methods. fuzz-endpoints.test.ts
 * covers the older admin routes with random input; these are targeted edge cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Fixture } from '../test-helpers/holder.js'
import { UNLIMITED_RATES, admin, makeFixture } from '../test-helpers/holder.js'

let f: Fixture
beforeAll(async () => {
  f = await makeFixture({ ...UNLIMITED_RATES })
  await admin(f, '/admin/users', { id: 'alice', claims: { name: 'Alice' }, password: 'correct horse battery' })
})
afterAll(async () => {
  await f.close()
})

describe('new issuer routes: odd input is 2xx or 4xx, never 5xx', () => {
  it('PATCH/DELETE/GET /admin/users/{id}, /admin/keys/{kid}/compromise, /admin/users queries, public routes with odd methods', async () => {
    const bad: string[] = []
    const bodies: unknown[] = [null, 1, 'x', [], {}, { claims: null }, { claims: { iss: 1 } }, { claims: { ['__proto__']: 1 } }, { password: null }, { password: 'short' }, { claims: { a: 'b' }, password: 'x'.repeat(257) }, { unset: ['name'] }, { remove_claims: ['x'] }, { claims: { name: 'x'.repeat(100000) } }, { since: 1e300 }, { since: -1 }, { since: '1969-01-01T00:00:00Z' }, { since: '+275760-09-13T00:00:00Z' }, { since: '9999-12-31T23:59:59.999999999Z' }, { since: 9007199254740993 }, { since: 1.5 }, { since: '2026-01-01T00:00:00+01:00' }, { since: '' }]
    const ids = ['alice', 'nobody', '%00', '..', 'a'.repeat(1000), '%E0%A4%A', '__proto__', 'constructor', 'x%2Fy']
    for (const id of ids) {
      for (const body of bodies) {
        for (const [m, p] of [['PATCH', `/admin/users/${id}`], ['POST', `/admin/keys/${id}/compromise`], ['GET', `/admin/users/${id}`], ['GET', `/admin/users/${id}/credentials`]] as const) {
          const r = await admin(f, p, m === 'GET' ? undefined : body, m)
          if (r.status >= 500) bad.push(`${m} ${p} ${JSON.stringify(body)?.slice(0, 80)} -> ${r.status} ${await r.text()}`)
          else await r.body?.cancel()
        }
      }
      for (const q of ['', '?revoke=true', '?revoke=1', '?revoke=true&revoke=false', '?revoke']) {
        const r = await admin(f, `/admin/users/${id}${q}`, undefined, 'DELETE')
        if (r.status >= 500) bad.push(`DELETE ${id}${q} -> ${r.status} ${await r.text()}`)
      }
    }
    for (const q of ['?limit=0', '?limit=abc', '?limit=1e9', '?after=', '?after=%00', '?limit=1&limit=2', '?cursor=x', '?offset=-1', '?limit=Infinity']) {
      const r = await admin(f, `/admin/users${q}`, undefined, 'GET')
      if (r.status >= 500) bad.push(`GET users${q} -> ${r.status} ${await r.text()}`)
    }
    // compromise a real key with odd since values
    const keys = (await (await admin(f, '/admin/keys', undefined, 'GET')).json()) as Array<{ kid: string }>
    for (const since of [1e300, '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', 0]) {
      const r = await admin(f, `/admin/keys/${keys[0]!.kid}/compromise`, { since })
      if (r.status >= 500) bad.push(`compromise since=${since} -> ${r.status} ${await r.text()}`)
      else await r.body?.cancel()
    }
    for (const p of ['/openapi.json', '/nonce', '/offers/x', '/offers/' + 'a'.repeat(100), '/offers/%00', '/.well-known/did.json', '/.well-known/jwks.json', '/status-lists/%00']) {
      for (const m of ['GET', 'POST', 'OPTIONS', 'PUT']) {
        const r = await f.app.request(p, { method: m, headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', authorization: 'DPoP x', dpop: 'x' } })
        if (r.status >= 500) bad.push(`${m} ${p} -> ${r.status} ${await r.text()}`)
      }
    }
    expect(bad).toEqual([])
  }, 120000)
})
