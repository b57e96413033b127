import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain .mjs script without type declarations
import { crashTestSqlite } from '../../scripts/crash-test.mjs'
import { openRepository } from './open.js'

interface CrashResult { issuedAcks: number; statusAcks: number; credentials: number; problems: string[] }

describe('crash safety (issue 8): kill -9 during a burst of issuance and revocations', () => {
  it('SQLite: after kill -9 of two writers every acknowledged revocation and issuance is there and no status index is used twice', async () => {
    // Two worker processes on one SQLite file, killed together; they run this source tree through tsx
    // (npm run crash-test runs the compiled dist, more rounds, and PostgreSQL too).
    const result = (await crashTestSqlite({
      rounds: 1,
      processes: 2,
      minMs: 300,
      maxMs: 700,
      listSize: 64,
      module: fileURLToPath(new URL('./index.ts', import.meta.url)),
      nodeArgs: ['--import', 'tsx'],
      openRepository,
    })) as CrashResult
    expect(result.problems).toEqual([])
    // The check only means something if the worker really got work acknowledged before each kill.
    expect(result.issuedAcks).toBeGreaterThan(5)
    expect(result.statusAcks).toBeGreaterThan(0)
    expect(result.credentials).toBeGreaterThanOrEqual(result.issuedAcks)
  }, 120_000)
})
