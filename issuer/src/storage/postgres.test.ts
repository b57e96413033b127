import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { describeRepositoryConformance } from './conformance.js'
import { openRepository } from './open.js'
import { openPostgresRepository } from './postgres.js'

// CI (.ci/run) starts Debian's postgresql and sets E2EID_TEST_PG; there a missing variable is a failure.
const url = process.env.E2EID_TEST_PG
const ci = process.env.CI === 'true'

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}

if (url === undefined && ci) {
  it('PostgreSQL conformance needs E2EID_TEST_PG (set by .ci/run)', () => {
    throw new Error('E2EID_TEST_PG is not set but CI=true: the PostgreSQL backend would go untested')
  })
}

describe.skipIf(url === undefined)('PostgreSQL backend', () => {
  describeRepositoryConformance({
    name: 'PostgreSQL',
    async createDatabase() {
      // A fresh schema per test: parallel runs and leftovers never collide.
      const schema = `e2eid_test_${randomBytes(6).toString('hex')}`
      return {
        open: (options) => openPostgresRepository(url!, { ...options, schema, maxConnections: 4 }),
        drop: () => dropSchema(schema),
      }
    },
  })

  it('records applied migrations in schema_migrations of its own schema', async () => {
    const schema = `e2eid_test_${randomBytes(6).toString('hex')}`
    const repo = await openPostgresRepository(url!, { schema })
    try {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      const res = await client.query(`SELECT version FROM ${schema}.schema_migrations`)
      await client.end()
      expect(res.rows).toEqual([{ version: 1 }])
    } finally {
      await repo.close()
      await dropSchema(schema)
    }
  })
  it('openRepository(--db postgresql://...) picks PostgreSQL and honours a search_path in the URL', async () => {
    const schema = `e2eid_test_${randomBytes(6).toString('hex')}`
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(`CREATE SCHEMA ${schema}`)
      const u = new URL(url!)
      u.protocol = 'postgresql:'
      u.searchParams.set('options', `-c search_path=${schema}`)
      const repo = await openRepository(u.toString())
      await repo.setSetting('issuer', 'https://id.example')
      await repo.close()
      expect((await client.query(`SELECT value FROM ${schema}.settings`)).rows).toEqual([{ value: 'https://id.example' }])
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  })
  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgresRepository(url!, { schema: 'x; DROP TABLE users' })).rejects.toMatchObject({ code: 'ERR_STORAGE_OPTIONS' })
  })
})
