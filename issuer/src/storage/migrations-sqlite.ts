/**
 * @module storage/migrations-sqlite
 * Versioned SQLite schema. Append new migrations; never edit an applied one.
 * Applied in one `BEGIN IMMEDIATE` transaction, so two processes opening the same
 * file at once serialize on SQLite's write lock and the second sees the work done.
 */
import type Database from 'better-sqlite3'

/** One schema step. */
export interface Migration {
  version: number
  name: string
  sql: string
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
      insert.run(m.version, m.name, now)
    }
  }).immediate()
}
