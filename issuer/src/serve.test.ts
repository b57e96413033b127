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

describe('startIssuerServer: two instances on one database (issue 15)', () => {
  it("the second instance's start leaves the first one's admin token working; each keeps its own token file", async () => {
    const db = `sqlite:${join(dir, 'shared.sqlite')}`
    const first = await startIssuerServer({ port: 0, stateDir: join(dir, 'a'), db })
    const second = await startIssuerServer({ port: 0, stateDir: join(dir, 'b'), db })
    try {
      const a = (await readFile(first.adminTokenFile!, 'utf8')).trim()
      const b = (await readFile(second.adminTokenFile!, 'utf8')).trim()
      expect(a).not.toBe(b)
      for (const [url, token] of [[first.url, a], [first.url, b], [second.url, a], [second.url, b]] as const) {
        expect((await fetch(`${url}/admin/keys`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
      }
    } finally {
      await second.close()
      await first.close()
    }
  })
})

describe('startIssuerServer housekeeping (repository.purgeExpired)', () => {
  it('purges expired rows periodically while running, and stops purging on close', async () => {
    const running = await startIssuerServer({ port: 0, stateDir: dir, purgeIntervalMs: 25 })
    const calls: number[] = []
    const purgeExpired = running.repository.purgeExpired.bind(running.repository)
    running.repository.purgeExpired = async (now: number) => {
      calls.push(now)
      return purgeExpired(now)
    }
    try {
      // An expired DPoP jti (RFC 9449 §11.1 replay record): recorded once, refused while kept, free again once purged.
      const past = Math.floor(Date.now() / 1000) - 10
      expect(await running.repository.recordDpopJti('jti-expired', past)).toBe(true)
      expect(await running.repository.recordDpopJti('jti-expired', past)).toBe(false)
      await expect.poll(() => calls.length, { timeout: 5000, interval: 10 }).toBeGreaterThan(0)
      expect(Math.abs(calls[0]! - Date.now() / 1000)).toBeLessThan(5)
      await expect.poll(() => running.repository.recordDpopJti('jti-expired', past), { timeout: 5000, interval: 20 }).toBe(true)
    } finally {
      await running.close()
    }
    const after = calls.length
    await new Promise((r) => setTimeout(r, 100))
    expect(calls.length).toBe(after)
  })
})
