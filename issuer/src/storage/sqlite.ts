/**
 * @module storage/sqlite
 * The embedded backend: better-sqlite3 in WAL mode with foreign keys and a busy timeout. Every
 * multi-step operation is one `BEGIN IMMEDIATE` transaction, which takes SQLite's single write lock
 * up front: two processes on one file serialize instead of racing.
 *
 * Durability (default): a write's promise resolves only once the write is on disk, so an
 * acknowledged issuance or revocation survives kill -9 and power loss — by group commit rather than
 * one fsync per commit. Transactions commit with synchronous=NORMAL (in WAL mode: durable against a
 * process crash, not yet against power loss); each write then awaits a barrier, shared by every
 * write made before it runs: one small transaction committed with synchronous=FULL, whose WAL sync
 * also flushes all earlier WAL frames (PRAGMA synchronous may change between transactions). Under
 * load one fsync covers many requests (issue 7: ~200 → thousands of writes/s on one disk).
 * `synchronous: 'NORMAL'` skips the barrier (process-crash safe only).
 */
import { randomInt as cryptoRandomInt } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { E2eidError } from '@e2eid/shared'
import { migrateSqlite } from './migrations-sqlite.js'
import { decidePreAuthorized } from './rules.js'
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  IntegrityReport,
  IssuedCredentialRecord,
  IssuerRepository,
  NewIssuance,
  NotificationRecord,
  OfferRecord,
  PreAuthorizedCodeResult,
  PushedAuthorizationRequestRecord,
  RepositoryOptions,
  SigningKeyRecord,
  StatusListRecord,
  StatusValue,
  UserRecord,
} from './repository.js'
import type { Row } from './rows.js'
import {
  bytes,
  integrityOf,
  listGeometry,
  toAccessToken,
  toAuthorizationCode,
  toCredential,
  toNotification,
  toOffer,
  toPar,
  toSigningKey,
  toStatusList,
  toStatusListMeta,
  toUser,
} from './rows.js'
import type { StatusBits } from './status-bits.js'
import { markAllocated, pickUnusedIndex, setStatusValue, statusByteLength } from './status-bits.js'

/** SQLite-specific options. */
export interface SqliteRepositoryOptions extends RepositoryOptions {
  /** Milliseconds to wait for another process's write lock (default 10000). */
  busyTimeoutMs?: number
  /** `FULL` (default): writes resolve once on disk (group commit); `NORMAL` survives a process crash but not power loss. */
  synchronous?: 'FULL' | 'NORMAL'
}

function mapError(e: unknown): never {
  const code = (e as { code?: unknown }).code
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw new E2eidError('ERR_STORAGE_CONFLICT', 'a record with this key already exists', { cause: e, status: 409 })
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new E2eidError('ERR_STORAGE_UNKNOWN_REFERENCE', 'the record refers to an unknown user or credential', { cause: e, status: 404 })
  }
  throw e
}

/**
 * Opens (creating if needed, with its directory, mode 0600) a SQLite database at `path` (or `':memory:'`)
 * and applies migrations.
 * @example const repo = await openSqliteRepository('./e2eid-issuer.sqlite')
 */
export async function openSqliteRepository(path: string, options: SqliteRepositoryOptions = {}): Promise<IssuerRepository> {
  const geometry = listGeometry(options)
  if (path !== ':memory:' && !path.startsWith('file:') && !existsSync(path)) {
    // The database holds the private signing keys: create it readable by its owner only
    // (SQLite gives the -wal and -shm files the same permissions).
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    closeSync(openSync(path, 'a', 0o600))
  }
  const db = new Database(path)
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`)
    if (path !== ':memory:') db.pragma('journal_mode = WAL')
    // FULL on a file is reached through the group-commit barrier (see the module comment); :memory: has no disk.
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' || path !== ':memory:' ? 'NORMAL' : 'FULL'}`)
    db.pragma('foreign_keys = ON')
    migrateSqlite(db, Math.floor(Date.now() / 1000))
  } catch (e) {
    db.close()
    throw e
  }
  return new SqliteRepository(db, geometry, path !== ':memory:' && options.synchronous !== 'NORMAL')
}

// The barrier's write: a real change, so that its commit writes (and, under FULL, syncs) the WAL.
const SYNC_SQL = "INSERT INTO settings (key, value) VALUES ('storage.last_sync', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
// Helpers of the class that are not repository operations (never wrapped).
const NOT_OPERATIONS = new Set(['constructor', 'get', 'all', 'run', 'immediate', 'durable', 'migrate', 'close'])

class SqliteRepository implements IssuerRepository {
  /** Transactions and statements that may have written (bumped by `run` and `immediate`). */
  private writes = 0
  private barrier: Promise<void> | null = null
  private syncs = 0

  constructor(
    private readonly db: Database.Database,
    private readonly geometry: ReturnType<typeof listGeometry>,
    groupCommit: boolean,
  ) {
    if (!groupCommit) return
    // Every operation that wrote resolves only after the next barrier. Operation bodies are synchronous
    // (better-sqlite3), so the write counter changes only by the call being wrapped.
    const self = this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    for (const name of Object.getOwnPropertyNames(SqliteRepository.prototype)) {
      const op = self[name]
      if (NOT_OPERATIONS.has(name) || typeof op !== 'function') continue
      self[name] = async (...args: unknown[]) => {
        const before = this.writes
        const result = await op.apply(this, args)
        if (this.writes !== before) await this.durable()
        return result
      }
    }
  }

  /** Resolves once every write committed so far is on disk: one synchronous=FULL commit for all waiters. */
  private durable(): Promise<void> {
    this.barrier ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.barrier = null
        // Closed meanwhile: closing the last connection checkpoints, which syncs the WAL and the database first.
        if (!this.db.open) return resolve()
        try {
          this.db.pragma('synchronous = FULL')
          try {
            this.db.prepare(SYNC_SQL).run(String(++this.syncs))
          } finally {
            this.db.pragma('synchronous = NORMAL')
          }
          resolve()
        } catch (e) {
          reject(e)
        }
      })
    })
    return this.barrier
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.db.prepare(sql).get(...params) as Row | undefined
  }
  private all(sql: string, ...params: unknown[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[]
  }
  private run(sql: string, ...params: unknown[]): number {
    this.writes++
    try {
      return this.db.prepare(sql).run(...params).changes
    } catch (e) {
      mapError(e)
    }
  }
  private immediate<T>(fn: () => T): T {
    this.writes++
    return this.db.transaction(fn).immediate()
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.db, Math.floor(Date.now() / 1000))
  }
  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }

  async getSetting(key: string): Promise<string | null> {
    const r = this.get('SELECT value FROM settings WHERE key = ?', key)
    return r ? String(r.value) : null
  }
  async setSetting(key: string, value: string): Promise<void> {
    this.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value)
  }

  async createUser(u: UserRecord): Promise<void> {
    this.run('INSERT INTO users (id, claims, password_hash, created_at) VALUES (?, ?, ?, ?)', u.id, JSON.stringify(u.claims), u.passwordHash, u.createdAt)
  }
  async getUser(id: string): Promise<UserRecord | null> {
    const r = this.get('SELECT * FROM users WHERE id = ?', id)
    return r ? toUser(r) : null
  }
  async listUsers(): Promise<UserRecord[]> {
    return this.all('SELECT * FROM users ORDER BY created_at, id').map(toUser)
  }

  async createOffer(o: OfferRecord): Promise<void> {
    this.run(
      `INSERT INTO offers (id, user_id, credential_configuration_ids, pre_authorized_code_hash, tx_code_hash,
        tx_code_failures, issuer_state, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.id, o.userId, JSON.stringify(o.credentialConfigurationIds), o.preAuthorizedCodeHash, o.txCodeHash,
      o.txCodeFailures, o.issuerState, o.createdAt, o.expiresAt, o.usedAt,
    )
  }
  async getOffer(id: string): Promise<OfferRecord | null> {
    const r = this.get('SELECT * FROM offers WHERE id = ?', id)
    return r ? toOffer(r) : null
  }
  async getOfferByIssuerState(issuerState: string): Promise<OfferRecord | null> {
    const r = this.get('SELECT * FROM offers WHERE issuer_state = ?', issuerState)
    return r ? toOffer(r) : null
  }

  async consumePreAuthorizedCode(codeHash: string, txCodeHash: string | null, now: number, maxTxCodeFailures: number): Promise<PreAuthorizedCodeResult> {
    return this.immediate(() => {
      const r = this.get('SELECT * FROM offers WHERE pre_authorized_code_hash = ?', codeHash)
      if (!r) return { ok: false, reason: 'unknown' } as const
      const decision = decidePreAuthorized(toOffer(r), txCodeHash, now, maxTxCodeFailures)
      if (decision.kind === 'fail') {
        this.run('UPDATE offers SET tx_code_failures = tx_code_failures + 1 WHERE id = ?', decision.offerId)
        return { ok: false, reason: 'tx_code_invalid' } as const
      }
      if (decision.kind === 'reject') return { ok: false, reason: decision.reason } as const
      this.run('UPDATE offers SET used_at = ? WHERE id = ?', now, decision.offer.id)
      return { ok: true, offer: { ...decision.offer, usedAt: now } } as const
    })
  }

  async savePushedAuthorizationRequest(p: PushedAuthorizationRequestRecord): Promise<void> {
    this.run(
      'INSERT INTO pushed_authorization_requests (request_uri_hash, client_id, params, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      p.requestUriHash, p.clientId, JSON.stringify(p.params), p.createdAt, p.expiresAt,
    )
  }
  async takePushedAuthorizationRequest(requestUriHash: string, now: number): Promise<PushedAuthorizationRequestRecord | null> {
    const r = this.get('DELETE FROM pushed_authorization_requests WHERE request_uri_hash = ? RETURNING *', requestUriHash)
    return r && now < Number(r.expires_at) ? toPar(r) : null
  }
  async saveAuthorizationCode(c: AuthorizationCodeRecord): Promise<void> {
    this.run(
      `INSERT INTO authorization_codes (code_hash, user_id, client_id, redirect_uri, code_challenge,
        credential_configuration_ids, dpop_jkt, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      c.codeHash, c.userId, c.clientId, c.redirectUri, c.codeChallenge, JSON.stringify(c.credentialConfigurationIds),
      c.dpopJkt, c.createdAt, c.expiresAt,
    )
  }
  async consumeAuthorizationCode(codeHash: string, now: number): Promise<AuthorizationCodeRecord | null> {
    const r = this.get('DELETE FROM authorization_codes WHERE code_hash = ? RETURNING *', codeHash)
    return r && now < Number(r.expires_at) ? toAuthorizationCode(r) : null
  }

  async saveAccessToken(t: AccessTokenRecord): Promise<void> {
    this.run(
      `INSERT INTO access_tokens (token_hash, user_id, client_id, credential_configuration_ids, dpop_jkt, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      t.tokenHash, t.userId, t.clientId, JSON.stringify(t.credentialConfigurationIds), t.dpopJkt, t.createdAt, t.expiresAt,
    )
  }
  async getAccessToken(tokenHash: string, now: number): Promise<AccessTokenRecord | null> {
    const r = this.get('SELECT * FROM access_tokens WHERE token_hash = ? AND expires_at > ?', tokenHash, now)
    return r ? toAccessToken(r) : null
  }
  async saveNonce(nonceHash: string, accessTokenHash: string | null, expiresAt: number): Promise<void> {
    this.run('INSERT INTO nonces (nonce_hash, access_token_hash, expires_at) VALUES (?, ?, ?)', nonceHash, accessTokenHash, expiresAt)
  }
  async consumeNonce(nonceHash: string, accessTokenHash: string, now: number): Promise<boolean> {
    return (
      this.run(
        'DELETE FROM nonces WHERE nonce_hash = ? AND expires_at > ? AND (access_token_hash IS NULL OR access_token_hash = ?)',
        nonceHash, now, accessTokenHash,
      ) === 1
    )
  }
  async recordDpopJti(jti: string, expiresAt: number): Promise<boolean> {
    return this.run('INSERT INTO dpop_jtis (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING', jti, expiresAt) === 1
  }

  async recordIssuance(n: NewIssuance): Promise<IssuedCredentialRecord> {
    const randomInt = n.randomInt ?? this.geometry.randomInt ?? cryptoRandomInt
    return this.immediate(() => {
      let list = this.get('SELECT id, size, allocated, alloc FROM status_lists WHERE form = ? AND allocated < size ORDER BY seq LIMIT 1', n.listForm)
      if (!list) {
        const { size, bits } = this.geometry
        const seq = Number(this.get('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM status_lists')?.next)
        this.run(
          'INSERT INTO status_lists (id, seq, form, bits, size, allocated, data, alloc, version, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, 1, ?)',
          String(seq), seq, n.listForm, bits, size, new Uint8Array(statusByteLength(size, bits)), new Uint8Array(size / 8), n.issuedAt,
        )
        list = { id: String(seq), size, allocated: 0, alloc: new Uint8Array(size / 8) }
      }
      const alloc = bytes(list.alloc)
      const idx = pickUnusedIndex(alloc, Number(list.size), Number(list.allocated), randomInt)
      markAllocated(alloc, idx)
      this.run('UPDATE status_lists SET alloc = ?, allocated = allocated + 1 WHERE id = ?', alloc, list.id)
      const record: IssuedCredentialRecord = {
        id: n.id, userId: n.userId, format: n.format, credentialConfigurationId: n.credentialConfigurationId,
        holderKeyThumbprint: n.holderKeyThumbprint, statusListId: String(list.id), statusIdx: idx, status: 0,
        issuedAt: n.issuedAt, expiresAt: n.expiresAt,
      }
      this.run(
        `INSERT INTO credentials (id, user_id, format, credential_configuration_id, holder_key_thumbprint, status_list_id,
          status_idx, status, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        record.id, record.userId, record.format, record.credentialConfigurationId, record.holderKeyThumbprint,
        record.statusListId, record.statusIdx, record.issuedAt, record.expiresAt,
      )
      return record
    })
  }
  async getCredential(id: string): Promise<IssuedCredentialRecord | null> {
    const r = this.get('SELECT * FROM credentials WHERE id = ?', id)
    return r ? toCredential(r) : null
  }
  async listCredentials(userId: string): Promise<IssuedCredentialRecord[]> {
    return this.all('SELECT * FROM credentials WHERE user_id = ? ORDER BY issued_at, id', userId).map(toCredential)
  }
  async setCredentialStatus(id: string, status: StatusValue, now: number): Promise<IssuedCredentialRecord> {
    return this.immediate(() => {
      const r = this.get('SELECT c.*, l.bits AS list_bits, l.data AS list_data FROM credentials c JOIN status_lists l ON l.id = c.status_list_id WHERE c.id = ?', id)
      if (!r) throw new E2eidError('ERR_STORAGE_NOT_FOUND', `no credential ${id}`, { status: 404 })
      const record = toCredential(r)
      const data = bytes(r.list_data)
      setStatusValue(data, Number(r.list_bits) as StatusBits, record.statusIdx, status)
      if (record.status === status) return record
      this.run('UPDATE credentials SET status = ? WHERE id = ?', status, id)
      this.run('UPDATE status_lists SET data = ?, version = version + 1, updated_at = ? WHERE id = ?', data, now, record.statusListId)
      return { ...record, status }
    })
  }
  async getStatusList(id: string): Promise<StatusListRecord | null> {
    const r = this.get('SELECT * FROM status_lists WHERE id = ?', id)
    return r ? toStatusList(r) : null
  }
  async listStatusLists(): Promise<Omit<StatusListRecord, 'data'>[]> {
    return this.all('SELECT id, form, bits, size, allocated, version, updated_at FROM status_lists ORDER BY seq').map(toStatusListMeta)
  }

  async saveNotification(n: NotificationRecord): Promise<void> {
    this.run(
      'INSERT INTO notifications (notification_id, credential_id, event, description, received_at) VALUES (?, ?, ?, ?, ?)',
      n.notificationId, n.credentialId, n.event, n.description, n.receivedAt,
    )
  }
  async recordNotificationEvent(notificationId: string, event: string, description: string | null, now: number): Promise<boolean> {
    return this.run('UPDATE notifications SET event = ?, description = ?, received_at = ? WHERE notification_id = ?', event, description, now, notificationId) === 1
  }

  async getNotification(notificationId: string): Promise<NotificationRecord | null> {
    const r = this.get('SELECT * FROM notifications WHERE notification_id = ?', notificationId)
    return r ? toNotification(r) : null
  }

  async saveSigningKey(k: SigningKeyRecord): Promise<void> {
    this.run(
      'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
      k.kid, k.alg, k.privateJwk, k.publicJwk, k.createdAt, k.retiredAt,
    )
  }
  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    return this.all('SELECT * FROM signing_keys ORDER BY created_at, kid').map(toSigningKey)
  }
  async retireSigningKey(kid: string, now: number): Promise<boolean> {
    return this.run('UPDATE signing_keys SET retired_at = ? WHERE kid = ? AND retired_at IS NULL', now, kid) === 1
  }

  async purgeExpired(now: number): Promise<number> {
    return this.immediate(() =>
      ['pushed_authorization_requests', 'authorization_codes', 'nonces', 'dpop_jtis', 'access_tokens'].reduce(
        (sum, table) => sum + this.run(`DELETE FROM ${table} WHERE expires_at <= ?`, now),
        0,
      ),
    )
  }
  async checkIntegrity(): Promise<IntegrityReport> {
    return this.db.transaction(() => integrityOf(this.all('SELECT * FROM status_lists'), this.all('SELECT * FROM credentials')))()
  }
}
