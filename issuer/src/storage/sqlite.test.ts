import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { describeRepositoryConformance } from './conformance.js'
import { openSqliteRepository } from './sqlite.js'

describeRepositoryConformance({
  name: 'SQLite',
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'e2eid-sqlite-'))
    const path = join(dir, 'issuer.sqlite')
    return {
      open: (options) => openSqliteRepository(path, options),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  },
})

describe('SQLite specifics', () => {
  it('uses WAL, foreign keys, FULL sync and records the applied migration versions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2eid-sqlite-'))
    try {
      const path = join(dir, 'i.sqlite')
      const repo = await openSqliteRepository(path)
      await repo.close()
      const db = new Database(path)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }])
      db.close()
      const again = await openSqliteRepository(path, { synchronous: 'FULL' })
      await again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('creates a new database file (and its directory) readable by its owner only: it holds the signing keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2eid-sqlite-'))
    try {
      const path = join(dir, 'state', 'issuer.sqlite')
      const repo = await openSqliteRepository(path)
      await repo.saveSigningKey({ kid: 'k', alg: 'ES256', privateJwk: '{}', publicJwk: '{}', createdAt: 1, retiredAt: null })
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(path + '-wal').mode & 0o077).toBe(0)
      await repo.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it(':memory: works (no WAL) for tests of other modules', async () => {
    const repo = await openSqliteRepository(':memory:')
    await repo.createUser({ id: 'u', claims: {}, passwordHash: null, createdAt: 1 })
    const c = await repo.recordIssuance({ id: 'c', userId: 'u', format: 'dc+sd-jwt', credentialConfigurationId: 'x', holderKeyThumbprint: 't', listForm: 'jwt', issuedAt: 1, expiresAt: 2 })
    expect((await repo.getStatusList(c.statusListId))?.size).toBe(131_072)
    expect((await repo.getStatusList(c.statusListId))?.data.length).toBe(32_768)
    await repo.close()
  })
})
