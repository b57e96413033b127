import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { V1_FIXTURE, describeRepositoryConformance, expectV1FixtureMigrated } from './conformance.js'
import { SQLITE_MIGRATIONS } from './migrations-sqlite.js'
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
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }])
      db.close()
      const again = await openSqliteRepository(path, { synchronous: 'FULL' })
      await again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('migrations 2-3 move a version-1 database\'s allocation bitmaps into pages: nothing lost, nothing handed out twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2eid-sqlite-'))
    try {
      const path = join(dir, 'v1.sqlite')
      const db = new Database(path)
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
      db.exec(SQLITE_MIGRATIONS[0]!.sql)
      db.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(SQLITE_MIGRATIONS[0]!.name)
      db.prepare("INSERT INTO users (id, claims, created_at) VALUES ('u1', '{}', 1)").run()
      const list = db.prepare('INSERT INTO status_lists (id, seq, form, bits, size, allocated, data, alloc, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1)')
      for (const l of V1_FIXTURE.lists) list.run(l.id, l.seq, l.form, l.bits, l.size, l.allocated, l.data, l.alloc)
      const cred = db.prepare("INSERT INTO credentials (id, user_id, format, credential_configuration_id, holder_key_thumbprint, status_list_id, status_idx, status, issued_at, expires_at) VALUES (?, 'u1', 'f', 'x', 't', ?, ?, ?, 1, 9999999999)")
      for (const c of V1_FIXTURE.credentials) cred.run(c.id, c.list, c.idx, c.status)
      db.close()
      const repo = await openSqliteRepository(path, { statusListSize: 64 })
      try {
        await expectV1FixtureMigrated(repo)
      } finally {
        await repo.close()
      }
      const after = new Database(path)
      const columns = (after.prepare('PRAGMA table_info(status_lists)').all() as { name: string }[]).map((c) => c.name)
      after.close()
      expect(columns).not.toContain('alloc')
      expect(columns).not.toContain('allocated')
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
