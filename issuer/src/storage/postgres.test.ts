import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { V1_FIXTURE, describeRepositoryConformance, expectV1FixtureMigrated } from './conformance.js'
import { POSTGRES_MIGRATIONS } from './migrations-postgres.js'
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
      expect(res.rows.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5, 6])
    } finally {
      await repo.close()
      await dropSchema(schema)
    }
  })
  it('migrations 2-3 move a version-1 database\'s allocation bitmaps into pages: nothing lost, nothing handed out twice', async () => {
    const schema = `e2eid_test_${randomBytes(6).toString('hex')}`
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`)
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)')
      await client.query(POSTGRES_MIGRATIONS[0]!.sql)
      await client.query('INSERT INTO schema_migrations VALUES (1, $1, 0)', [POSTGRES_MIGRATIONS[0]!.name])
      await client.query("INSERT INTO users (id, claims, created_at) VALUES ('u1', '{}', 1)")
      for (const l of V1_FIXTURE.lists) {
        await client.query('INSERT INTO status_lists (id, seq, form, bits, size, allocated, data, alloc, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 1)', [
          l.id, l.seq, l.form, l.bits, l.size, l.allocated, l.data, l.alloc,
        ])
      }
      for (const c of V1_FIXTURE.credentials) {
        await client.query(
          "INSERT INTO credentials (id, user_id, format, credential_configuration_id, holder_key_thumbprint, status_list_id, status_idx, status, issued_at, expires_at) VALUES ($1, 'u1', 'f', 'x', 't', $2, $3, $4, 1, 9999999999)",
          [c.id, c.list, c.idx, c.status],
        )
      }
      const repo = await openPostgresRepository(url!, { schema, statusListSize: 64 })
      try {
        await expectV1FixtureMigrated(repo)
      } finally {
        await repo.close()
      }
      const columns = (await client.query('SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [schema, 'status_lists'])).rows.map((r) => r.column_name)
      expect(columns).not.toContain('alloc')
      expect(columns).not.toContain('allocated')
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
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
