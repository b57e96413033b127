/**
 * SQLite durability by group commit (sqlite.ts module comment): a write resolves only after a synchronous=FULL
 * barrier commit that came after it, and one barrier serves every write made before it.
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

describe('SQLite group commit (acknowledged writes are on disk)', () => {
  it('concurrent writes share one FULL barrier; each resolves after it; reads wait for none', async () => {
    await withDir(async (dir) => {
      const repo = await openSqliteRepository(join(dir, 'db.sqlite'))
      const user = (id: string) => ({ id, claims: { name: id }, passwordHash: null, createdAt: 1 })
      // Ten writes in one turn of the event loop: one barrier.
      await Promise.all(Array.from({ length: 10 }, (_, i) => repo.createUser(user(`u${i}`))))
      expect(await repo.getSetting('storage.last_sync')).toBe('1')
      // Each later write waits for a barrier of its own turn.
      await repo.setSetting('a', 'b')
      expect(await repo.getSetting('storage.last_sync')).toBe('2')
      // Reads never trigger a barrier.
      await repo.listUsers()
      await repo.getUser('u1')
      expect(await repo.getSetting('storage.last_sync')).toBe('2')
      // A failed write (conflict) rolls back and is not waited on; the error is the repository's.
      await expect(repo.createUser(user('u1'))).rejects.toMatchObject({ code: 'ERR_STORAGE_CONFLICT' })
      await repo.close()
      // Another connection sees everything (checkpointed on close).
      const db = new Database(join(dir, 'db.sqlite'), { readonly: true })
      expect((db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n).toBe(10)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      db.close()
    })
  })

  it("synchronous: 'NORMAL' and :memory: skip the barrier", async () => {
    await withDir(async (dir) => {
      for (const repo of [await openSqliteRepository(join(dir, 'n.sqlite'), { synchronous: 'NORMAL' }), await openSqliteRepository(':memory:')]) {
        await repo.setSetting('a', 'b')
        expect(await repo.getSetting('storage.last_sync')).toBeNull()
        await repo.close()
      }
    })
  })
})
