/**
 * @module storage/migrations-sqlite
 * Versioned SQLite schema. Append new migrations; never edit an applied one.
 * Applied in one `BEGIN IMMEDIATE` transaction, so two processes opening the same
 * file at once serialize on SQLite's write lock and the second sees the work done.
 */
import type Database from 'better-sqlite3'
import { pagesFromBitmap } from './alloc-pages.js'
import { bytes } from './rows.js'

/** One schema step: `sql`, then `run` (data that SQL alone cannot move), in the migration's transaction. */
export interface Migration {
  version: number
  name: string
  sql: string
  run?: (db: Database.Database) => void
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  id TEXT PRIMARY KEY, claims TEXT NOT NULL, password_hash TEXT, created_at INTEGER NOT NULL
);
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  credential_configuration_ids TEXT NOT NULL,
  pre_authorized_code_hash TEXT UNIQUE,
  tx_code_hash TEXT,
  tx_code_failures INTEGER NOT NULL DEFAULT 0,
  issuer_state TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE TABLE pushed_authorization_requests (
  request_uri_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, params TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
);
CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL,
  credential_configuration_ids TEXT NOT NULL, dpop_jkt TEXT,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
);
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT, credential_configuration_ids TEXT NOT NULL, dpop_jkt TEXT,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
);
CREATE TABLE nonces (nonce_hash TEXT PRIMARY KEY, access_token_hash TEXT, expires_at INTEGER NOT NULL);
CREATE TABLE dpop_jtis (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
CREATE TABLE status_lists (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  form TEXT NOT NULL CHECK (form IN ('cwt', 'jwt')),
  bits INTEGER NOT NULL CHECK (bits IN (1, 2, 4, 8)),
  size INTEGER NOT NULL CHECK (size > 0),
  allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
  data BLOB NOT NULL,
  alloc BLOB NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);
CREATE INDEX status_lists_open ON status_lists (form, seq) WHERE allocated < size;
CREATE TABLE credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  format TEXT NOT NULL,
  credential_configuration_id TEXT NOT NULL,
  holder_key_thumbprint TEXT NOT NULL,
  status_list_id TEXT NOT NULL REFERENCES status_lists(id),
  status_idx INTEGER NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  UNIQUE (status_list_id, status_idx)
);
CREATE INDEX credentials_user ON credentials (user_id, issued_at);
CREATE TABLE notifications (
  notification_id TEXT PRIMARY KEY,
  credential_id TEXT NOT NULL REFERENCES credentials(id),
  event TEXT, description TEXT, received_at INTEGER
);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY, alg TEXT NOT NULL, private_jwk TEXT NOT NULL, public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL, retired_at INTEGER
);
`,
  },
  {
    // The allocation bitmap and counter lived in the list's row next to its status bits, so every
    // issuance read and rewrote the whole row (~0.1 ms at 2^17 entries, ~12 ms at 2^24). Now an issuance
    // touches one 512-byte page and a small allocator row (storage/alloc-pages.ts).
    version: 2,
    name: 'status index allocation in pages',
    sql: `
CREATE TABLE status_list_allocators (
  list_id TEXT PRIMARY KEY REFERENCES status_lists(id),
  form TEXT NOT NULL CHECK (form IN ('cwt', 'jwt')),
  seq INTEGER NOT NULL UNIQUE,
  size INTEGER NOT NULL CHECK (size > 0),
  allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
  free_by_page BLOB NOT NULL
);
CREATE INDEX status_list_allocators_open ON status_list_allocators (form, seq) WHERE allocated < size;
CREATE TABLE status_list_alloc_pages (
  list_id TEXT NOT NULL REFERENCES status_lists(id),
  page INTEGER NOT NULL CHECK (page >= 0),
  bits BLOB NOT NULL,
  PRIMARY KEY (list_id, page)
) WITHOUT ROWID;
`,
    run(db) {
      const lists = db.prepare('SELECT id, form, seq, size, allocated, alloc FROM status_lists').all() as Record<string, unknown>[]
      const allocator = db.prepare('INSERT INTO status_list_allocators (list_id, form, seq, size, allocated, free_by_page) VALUES (?, ?, ?, ?, ?, ?)')
      const page = db.prepare('INSERT INTO status_list_alloc_pages (list_id, page, bits) VALUES (?, ?, ?)')
      for (const l of lists) {
        const { pages, freeByPage } = pagesFromBitmap(bytes(l.alloc), Number(l.size))
        allocator.run(l.id, l.form, l.seq, l.size, l.allocated, freeByPage)
        for (const [p, bits] of pages) page.run(l.id, p, bits)
      }
    },
  },
  {
    version: 3,
    name: 'status lists without their allocation columns',
    sql: `
DROP INDEX status_lists_open;
ALTER TABLE status_lists DROP COLUMN alloc;
ALTER TABLE status_lists DROP COLUMN allocated;
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
  locked_until INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE rate_counters (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 0),
  expires_at INTEGER NOT NULL
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
  removed_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, status_idx)
);
`,
  },
  {
    // Offers by reference are fetched once; credentials per grant are counted; a signing key can
    // be marked compromised (nothing it signed from that time on is trusted).
    version: 6,
    name: 'offer fetch, credentials per grant, compromised keys',
    sql: `
ALTER TABLE offers ADD COLUMN fetched_at INTEGER;
ALTER TABLE access_tokens ADD COLUMN credentials_issued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN compromised_since INTEGER;
`,
  },
]

/** Applies pending migrations in one immediate transaction. */
export function migrateSqlite(db: Database.Database, now: number): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    )
    const insert = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    for (const m of SQLITE_MIGRATIONS) {
      if (applied.has(m.version)) continue
      db.exec(m.sql)
      m.run?.(db)
      insert.run(m.version, m.name, now)
    }
  }).immediate()
}
