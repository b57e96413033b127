/**
 * startIssuerServer over a real socket (port 0) on a SQLite FILE: the first start generates the signing
 * key and the admin token file; a restart on the same file keeps keys, users and the token (nothing lost).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startIssuerServer } from './serve.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-issuer-serve-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('startIssuerServer (embedded SQLite, real socket)', () => {
  it('keeps keys, users and the admin token across a restart', async () => {
    const first = await startIssuerServer({ port: 0, stateDir: dir })
    let kid: string
    let token: string
    try {
      expect(first.db).toBe(`sqlite:${join(dir, 'issuer.sqlite')}`)
      expect(first.issuerUrl).toBe(first.url)
      token = (await readFile(first.adminTokenFile!, 'utf8')).trim()
      const md = (await (await fetch(`${first.url}/.well-known/openid-credential-issuer`)).json()) as { credential_issuer: string }
      expect(md.credential_issuer).toBe(first.url)
      kid = ((await (await fetch(`${first.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid
      const add = await fetch(`${first.url}/admin/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'alice', claims: { name: 'Alice' } }),
      })
      expect(add.status).toBe(201)
    } finally {
      await first.close()
    }
    const second = await startIssuerServer({ port: 0, stateDir: dir })
    try {
      expect((await readFile(second.adminTokenFile!, 'utf8')).trim()).toBe(token)
      const keys = ((await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys
      expect(keys.map((k) => k.kid)).toEqual([kid])
      const u = await fetch(`${second.url}/admin/users/alice`, { headers: { authorization: `Bearer ${token}` } })
      expect(u.status).toBe(200)
      expect(((await u.json()) as { claims: unknown }).claims).toEqual({ name: 'Alice' })
    } finally {
      await second.close()
    }
  })
})
