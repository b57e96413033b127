/**
 * @module storage/migrations-postgres
 * Versioned PostgreSQL schema. Append new migrations; never edit an applied one.
 * All pending migrations run in ONE transaction that first takes a transaction-scoped
 * advisory lock keyed by the schema name: when several issuer instances start at once,
 * one migrates and the others wait, then find nothing left to do (PostgreSQL DDL is transactional).
 */
import type { PoolClient } from 'pg'
import { pagesFromBitmap } from './alloc-pages.js'
import { bytes } from './rows.js'

/** One schema step: `sql`, then `run` (data that SQL alone cannot move), in the migrations' transaction. */
export interface PostgresMigration {
  version: number
  name: string
  sql: string
  run?: (client: PoolClient) => Promise<void>
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  id TEXT PRIMARY KEY, claims TEXT NOT NULL, password_hash TEXT, created_at BIGINT NOT NULL
);
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  credential_configuration_ids TEXT NOT NULL,
  pre_authorized_code_hash TEXT UNIQUE,
  tx_code_hash TEXT,
  tx_code_failures BIGINT NOT NULL DEFAULT 0,
  issuer_state TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE TABLE pushed_authorization_requests (
  request_uri_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, params TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL
);
CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL,
  credential_configuration_ids TEXT NOT NULL, dpop_jkt TEXT,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL
);
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT, credential_configuration_ids TEXT NOT NULL, dpop_jkt TEXT,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL
);
CREATE TABLE nonces (nonce_hash TEXT PRIMARY KEY, access_token_hash TEXT, expires_at BIGINT NOT NULL);
CREATE TABLE dpop_jtis (jti TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
CREATE TABLE status_lists (
  id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL UNIQUE,
  form TEXT NOT NULL CHECK (form IN ('cwt', 'jwt')),
  bits BIGINT NOT NULL CHECK (bits IN (1, 2, 4, 8)),
  size BIGINT NOT NULL CHECK (size > 0),
  allocated BIGINT NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
  data BYTEA NOT NULL,
  alloc BYTEA NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);
CREATE INDEX status_lists_open ON status_lists (form, seq) WHERE allocated < size;
CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  format TEXT NOT NULL,
  credential_configuration_id TEXT NOT NULL,
  holder_key_thumbprint TEXT NOT NULL,
  status_list_id TEXT NOT NULL REFERENCES status_lists(id),
  status_idx BIGINT NOT NULL,
  status BIGINT NOT NULL DEFAULT 0,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  UNIQUE (status_list_id, status_idx)
);
CREATE INDEX credentials_user ON credentials (user_id, issued_at);
CREATE TABLE notifications (
  notification_id TEXT PRIMARY KEY,
  credential_id TEXT NOT NULL REFERENCES credentials(id),
  event TEXT, description TEXT, received_at BIGINT
);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY, alg TEXT NOT NULL, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL, retired_at BIGINT
);
`,
  },
  {
    // As SQLite migration 2 — an issuance touches one 512-byte page and a small allocator row instead of
    // rewriting the list's bitmap (and reading it whole into the process).
    version: 2,
    name: 'status index allocation in pages',
    sql: `
CREATE TABLE status_list_allocators (
  list_id TEXT PRIMARY KEY REFERENCES status_lists(id),
  form TEXT NOT NULL CHECK (form IN ('cwt', 'jwt')),
  seq BIGINT NOT NULL UNIQUE,
  size BIGINT NOT NULL CHECK (size > 0),
  allocated BIGINT NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
  free_by_page BYTEA NOT NULL
);
CREATE INDEX status_list_allocators_open ON status_list_allocators (form, seq) WHERE allocated < size;
CREATE TABLE status_list_alloc_pages (
  list_id TEXT NOT NULL REFERENCES status_lists(id),
  page INTEGER NOT NULL CHECK (page >= 0),
  bits BYTEA NOT NULL,
  PRIMARY KEY (list_id, page)
);
`,
    async run(client) {
      const lists = (await client.query('SELECT id, form, seq, size, allocated, alloc FROM status_lists')).rows as Record<string, unknown>[]
      for (const l of lists) {
        const { pages, freeByPage } = pagesFromBitmap(bytes(l.alloc), Number(l.size))
        await client.query('INSERT INTO status_list_allocators (list_id, form, seq, size, allocated, free_by_page) VALUES ($1, $2, $3, $4, $5, $6)', [
          l.id, l.form, l.seq, l.size, l.allocated, freeByPage,
        ])
        for (const [p, bits] of pages) await client.query('INSERT INTO status_list_alloc_pages (list_id, page, bits) VALUES ($1, $2, $3)', [l.id, p, bits])
      }
    },
  },
  {
    version: 3,
    name: 'status lists without their allocation columns',
    sql: `
DROP INDEX status_lists_open;
ALTER TABLE status_lists DROP COLUMN alloc, DROP COLUMN allocated;
`,
  },
  {
    // Login failures count per account (not per login session) and abuse limits hold across
    // instances. Accounts are keyed by a hash of the typed user id (a mistyped password is never stored).
    version: 4,
    name: 'login failures per account and shared rate counters',
    sql: `
CREATE TABLE login_failures (
  account_hash TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  locked_until BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE rate_counters (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  expires_at BIGINT NOT NULL
);
`,
  },
  {
    // User removal: a removed user's credential records go, their status list entries stay allocated with
    // their bits (revoked stays revoked, never reused); this table accounts for them.
    version: 5,
    name: 'status entries of removed users',
    sql: `
CREATE TABLE retired_status_entries (
  list_id TEXT NOT NULL REFERENCES status_lists(id),
  status_idx INTEGER NOT NULL,
  status INTEGER NOT NULL,
  credential_id TEXT NOT NULL,
  removed_at BIGINT NOT NULL,
  PRIMARY KEY (list_id, status_idx)
);
`,
  },
  {
    // As SQLite migration 6.
    version: 6,
    name: 'offer fetch, credentials per grant, compromised keys',
    sql: `
ALTER TABLE offers ADD COLUMN fetched_at BIGINT;
ALTER TABLE access_tokens ADD COLUMN credentials_issued BIGINT NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN compromised_since BIGINT;
`,
  },
]

/**
 * Applies pending migrations on `client` (not in a transaction yet). `schema`, when set, is created
 * first; the caller's connections must have it as their search_path.
 */
export async function migratePostgres(client: PoolClient, schema: string | null, now: number): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`e2eid:migrate:${schema ?? ''}`])
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)')
    const res = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(res.rows.map((r) => Number(r.version)))
    for (const m of POSTGRES_MIGRATIONS) {
      if (applied.has(m.version)) continue
      await client.query(m.sql)
      await m.run?.(client)
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now])
    }
    await client.query('COMMIT')
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw e
  }
}

/** Double-quotes an SQL identifier. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
