/**
 * SQLite durability by group commit (sqlite.ts module comment): an operation that wrote resolves only after a
 * flush of the WAL that started after its write, and one flush serves every write of an event-loop turn; the
 * writes of a turn share one SQLite transaction, each operation still atomic on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openSqliteRepository } from './sqlite.js'

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'e2eid-sqlite-gc-'))
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }))
}

const syncs = (repo: unknown) => (repo as { syncs: number }).syncs
const user = (id: string) => ({ id, claims: { name: id }, passwordHash: null, createdAt: 1 })

describe('SQLite group commit (acknowledged writes are on disk)', () => {
  it('concurrent writes share one WAL flush; each resolves after it; reads and ephemeral writes wait for none', async () => {
    await withDir(async (dir) => {
      const repo = await openSqliteRepository(join(dir, 'db.sqlite'))
      // Ten writes in one turn of the event loop: one flush.
      await Promise.all(Array.from({ length: 10 }, (_, i) => repo.createUser(user(`u${i}`))))
      expect(syncs(repo)).toBe(1)
      // Each later write waits for a flush of its own turn.
      await repo.setSetting('a', 'b')
      expect(syncs(repo)).toBe(2)
      // Reads never flush; ephemeral writes (a c_nonce) do not wait for theirs, the next waiting write covers them.
      await repo.listUsers()
      await repo.getUser('u1')
      await repo.saveNonce('h', null, 10)
      expect(syncs(repo)).toBe(2)
      await repo.setSetting('c', 'd')
      expect(syncs(repo)).toBe(3)
      // A failed write (conflict) rolls back and raises the repository's error.
      await expect(repo.createUser(user('u1'))).rejects.toMatchObject({ code: 'ERR_STORAGE_CONFLICT' })
      await repo.close()
      // Another connection sees everything (checkpointed on close).
      const db = new Database(join(dir, 'db.sqlite'), { readonly: true })
      expect((db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n).toBe(10)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      db.close()
    })
  })

  it('the writes of one turn share one transaction: a failing operation in it rolls back alone, the others commit and another connection sees them once acknowledged', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'db.sqlite')
      const repo = await openSqliteRepository(file)
      await repo.createUser(user('u0'))
      const before = syncs(repo)
      // One turn: good writes, a conflicting insert, a failing multi-step operation (savepoint) and an ephemeral write.
      const results = await Promise.allSettled([
        repo.createUser(user('a')),
        repo.createUser(user('u0')),
        repo.setCredentialStatus('no-such-credential', 1, 5),
        repo.createUser(user('b')),
        repo.saveNonce('n1', null, 10),
        repo.recordIssuance({ id: 'c1', userId: 'a', format: 'dc+sd-jwt', credentialConfigurationId: 'x', holderKeyThumbprint: 't', listForm: 'jwt', issuedAt: 1, expiresAt: 2 }),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'])
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_STORAGE_CONFLICT' })
      expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' })
      expect(syncs(repo)).toBe(before + 1)
      // Acknowledged = committed: a second connection (as another process would) sees every good write now.
      const other = new Database(file, { readonly: true })
      try {
        expect((other.prepare("SELECT COUNT(*) AS n FROM users WHERE id IN ('a', 'b')").get() as { n: number }).n).toBe(2)
        expect((other.prepare("SELECT COUNT(*) AS n FROM nonces WHERE nonce_hash = 'n1'").get() as { n: number }).n).toBe(1)
        expect((other.prepare("SELECT status_idx FROM credentials WHERE id = 'c1'").get() as { status_idx: number } | undefined)?.status_idx).toBeTypeOf('number')
      } finally {
        other.close()
      }
      expect((await repo.checkIntegrity()).problems).toEqual([])
      // The turn's transaction is closed at its end: another connection can write between turns.
      await new Promise((r) => setImmediate(r))
      const writer = new Database(file)
      try {
        writer.pragma('busy_timeout = 0')
        writer.prepare("INSERT INTO settings (key, value) VALUES ('other', 'process')").run()
      } finally {
        writer.close()
      }
      expect(await repo.getSetting('other')).toBe('process')
      await repo.close()
    })
  })

  it('an issuance whose allocation write fails inside the turn leaves nothing behind (no savepoint: undone by hand); the others of the turn commit', async () => {
    await withDir(async (dir) => {
      const file = join(dir, 'db.sqlite')
      const repo = await openSqliteRepository(file, { statusListSize: 64 })
      await repo.createUser(user('u'))
      const issue = (id: string, r = 0) => repo.recordIssuance({ id, userId: 'u', format: 'dc+sd-jwt', credentialConfigurationId: 'x', holderKeyThumbprint: 't', listForm: 'jwt', issuedAt: 1, expiresAt: 2, randomInt: () => r })
      await issue('first') // makes the list (index 0)
      // The allocator update fails (statement aborted, transaction open) for one credential only: its row, its
      // allocation page and the allocator must come back as they were.
      const other = new Database(file)
      other.exec("CREATE TRIGGER fail_one BEFORE UPDATE ON status_list_allocators WHEN EXISTS (SELECT 1 FROM credentials WHERE id = 'doomed') BEGIN SELECT RAISE(ABORT, 'injected'); END")
      other.close()
      const [ok1, doomed, ok2] = await Promise.allSettled([issue('ok1'), issue('doomed', 5), issue('ok2')])
      expect(ok1.status).toBe('fulfilled')
      expect(doomed.status).toBe('rejected')
      expect(ok2.status).toBe('fulfilled')
      expect(await repo.getCredential('doomed')).toBeNull()
      expect((await repo.listStatusLists()).map((l) => l.allocated)).toEqual([3])
      expect(await repo.checkIntegrity()).toEqual({ credentials: 3, statusLists: 1, problems: [] })
      // The index the failed issuance took is free again: the next one with the same draw gets it.
      const idx = new Set([0, (await repo.getCredential('ok1'))!.statusIdx, (await repo.getCredential('ok2'))!.statusIdx])
      expect(idx).toEqual(new Set([0, 1, 2]))
      await repo.close()
    })
  })

  it("synchronous: 'NORMAL' and :memory: do not flush", async () => {
    await withDir(async (dir) => {
      for (const repo of [await openSqliteRepository(join(dir, 'n.sqlite'), { synchronous: 'NORMAL' }), await openSqliteRepository(':memory:')]) {
        await repo.setSetting('a', 'b')
        expect(syncs(repo)).toBe(0)
        await repo.close()
      }
    })
  })
})
