/**
 * @module storage/sqlite
 * The embedded backend: better-sqlite3 in WAL mode with foreign keys and a busy timeout. Every
 * multi-step operation is one `BEGIN IMMEDIATE` transaction, which takes SQLite's single write lock
 * up front: two processes on one file serialize instead of racing.
 *
 * Durability (default): what the issuer acknowledges is on disk, by group commit rather than one
 * fsync per commit (one fsync per commit limited issuance to ~200/s on one disk).
 * The writes of one event-loop turn share one SQLite transaction (BEGIN IMMEDIATE at the first write,
 * COMMIT at the end of the turn, by setImmediate): each operation runs in it as before (multi-step
 * ones in a savepoint, a failed statement rolls back alone), but the pages the turn's requests share
 * (table and index leaves, the status list row) go to the WAL once per turn instead of once per
 * operation (four commits per credential request cost ~100 µs of its CPU).
 * Transactions commit with synchronous=NORMAL (WAL: durable against a process crash, not yet against
 * power loss). An operation that wrote then resolves only after the next WAL flush: its turn's
 * COMMIT, then one fdatasync of the -wal file on the libuv threadpool (the event loop keeps serving
 * meanwhile) for every write committed before it started — the same sync synchronous=FULL does at each commit.
 * Checkpoints (synchronous=NORMAL) sync the WAL before and the database after copying.
 * Exceptions, resolved before their flush (any later flush, normally the same request's issuance,
 * covers them): saveNonce, consumeNonce, recordDpopJti, saveNotification, recordNotificationEvent,
 * purgeExpired, rateCounter. A crash (of the process, or power loss) can forget only their last few milliseconds:
 * a c_nonce or DPoP jti that no acknowledged credential used (the request that used it waits for
 * the commit of the same turn), a notification id, or a few rate-limit counts. Issuance records, status changes,
 * codes, tokens, users, offers and keys are on disk when their promise resolves.
 * Other processes on the same file wait for the end of a turn (busy_timeout) to write.
 * `synchronous: 'NORMAL'` turns the flushes off (process-crash safe only); `file:` URIs flush with a
 * synchronous=FULL commit instead of the -wal fdatasync.
 */
import { randomInt as cryptoRandomInt } from 'node:crypto'
import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { E2eidError } from '@e2eid/shared'
import { migrateSqlite } from './migrations-sqlite.js'
import { decideLoginAttempt, decideOfferFetch, decidePreAuthorized, windowStart } from './rules.js'
import type { LoginAttemptResult, LoginThrottlePolicy } from './rules.js'
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
  UserChange,
  RemoveUserResult,
  OfferFetchResult,
} from './repository.js'
import type { Row } from './rows.js'
import {
  numOrNull,
  bytes,
  integrityOf,
  STATUS_LIST_SQL,
  listGeometry,
  toAccessToken,
  toLoginFailure,
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
import { setStatusValue, statusByteLength } from './status-bits.js'
import { allocateInPage, choosePage, newFreeByPage } from './alloc-pages.js'

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
  // Migrating takes the write lock: first commit what other instances of this process hold of it.
  SqliteRepository.commitOpenBatches()
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
  const groupCommit = path !== ':memory:' && options.synchronous !== 'NORMAL'
  return new SqliteRepository(db, geometry, groupCommit, path.startsWith('file:') ? null : `${path}-wal`)
}

// The blocking flush for `file:` URIs: a real change, so that its FULL commit syncs the WAL.
const SYNC_SQL = "INSERT INTO settings (key, value) VALUES ('storage.last_sync', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
// Helpers of the class that are not repository operations (never wrapped).
const NOT_OPERATIONS = new Set(['constructor', 'prepared', 'get', 'all', 'run', 'immediate', 'begin', 'endBatch', 'checkBatch', 'failWaiters', 'insertCredential', 'allocate', 'durable', 'flush', 'migrate', 'close'])
const OPEN_ALLOCATOR_SQL = 'SELECT list_id AS id, size, allocated, free_by_page FROM status_list_allocators WHERE form = ? AND allocated < size ORDER BY seq LIMIT 1'
const ALLOC_PAGE_SQL = 'SELECT bits FROM status_list_alloc_pages WHERE list_id = ? AND page = ?'
const UPSERT_ALLOC_PAGE_SQL = 'INSERT INTO status_list_alloc_pages (list_id, page, bits) VALUES (?, ?, ?) ON CONFLICT (list_id, page) DO UPDATE SET bits = excluded.bits'
// One hit of a shared fixed-window counter: a new window restarts the count (rules.ts windowStart).
const RATE_COUNTER_HIT_SQL = `INSERT INTO rate_counters (key, window_start, count, expires_at) VALUES (?, ?, 1, ?)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_counters.window_start = excluded.window_start THEN rate_counters.count + 1 ELSE 1 END,
    window_start = excluded.window_start, expires_at = excluded.expires_at
  RETURNING count`
// Repositories of this process with an open turn transaction (see SqliteRepository.begin).
const openBatches = new Set<SqliteRepository>()
// Operations that do not wait for their flush (see the module comment).
const FLUSHED_LATER = new Set(['saveNonce', 'consumeNonce', 'recordDpopJti', 'saveNotification', 'recordNotificationEvent', 'purgeExpired', 'rateCounter'])

class SqliteRepository implements IssuerRepository {
  /** Transactions and statements that may have written (bumped by `run` and `immediate`). */
  private writes = 0
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = []
  private flushing = false
  private walFd: number | null = null
  /** Completed flushes (tests). */
  syncs = 0
  /** A transaction of this turn's writes is open (group commit only). */
  private batchOpen = false

  constructor(
    private readonly db: Database.Database,
    private readonly geometry: ReturnType<typeof listGeometry>,
    private readonly groupCommit: boolean,
    private readonly walPath: string | null = null,
  ) {
    if (!groupCommit) return
    // Operation bodies are synchronous (better-sqlite3), so the write counter changes only by the call wrapped.
    const self = this as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    for (const name of Object.getOwnPropertyNames(SqliteRepository.prototype)) {
      const op = self[name]
      if (NOT_OPERATIONS.has(name) || typeof op !== 'function') continue
      const wait = !FLUSHED_LATER.has(name)
      self[name] = async (...args: unknown[]) => {
        const before = this.writes
        let result: unknown
        try {
          result = await op.apply(this, args)
        } finally {
          this.checkBatch()
        }
        if (this.writes !== before) {
          const flushed = this.durable()
          if (wait) await flushed
          else flushed.catch(() => undefined) // a failed flush fails the next operation that waits
        }
        return result
      }
    }
  }

  /** Opens this turn's write transaction unless one is open (group commit only); it commits at the end of the turn. */
  private begin(): void {
    if (!this.groupCommit || this.db.inTransaction || !this.db.open) return
    // Another connection of this process (a second instance on the same file) holding its turn's write
    // lock would make BEGIN wait synchronously for a COMMIT that only this thread can run: commit it now.
    SqliteRepository.commitOpenBatches(this)
    this.db.exec('BEGIN IMMEDIATE')
    this.batchOpen = true
    openBatches.add(this)
    setImmediate(() => this.endBatch())
  }

  /** Commits the open turn transactions of this process's repositories (but `except`'s). */
  static commitOpenBatches(except?: SqliteRepository): void {
    for (const r of openBatches) if (r !== except) r.endBatch()
  }

  /** Commits the turn's transaction; if that fails, every write waiting for a flush fails with it. */
  private endBatch(): void {
    if (!this.batchOpen) return
    this.batchOpen = false
    openBatches.delete(this)
    try {
      if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT')
    } catch (e) {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
      } catch {
        // already rolled back
      }
      this.failWaiters(e)
    }
  }

  /** After each operation: SQLite rolls a whole transaction back on some errors (disk full, I/O); the turn's writes are then lost. */
  private checkBatch(): void {
    if (this.batchOpen && !this.db.inTransaction) {
      this.batchOpen = false
      openBatches.delete(this)
      this.failWaiters(new E2eidError('ERR_STORAGE_ROLLED_BACK', 'the transaction of this turn was rolled back'))
    }
  }

  /** Rejects the writes not yet flushed (their transaction did not commit). */
  private failWaiters(e: unknown): void {
    const lost = this.waiters
    this.waiters = []
    for (const w of lost) w.reject(e)
  }

  /** Resolves once every write committed so far is on disk. */
  private durable(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject })
      // Start at the end of this turn of the event loop, so that one flush takes every write of the turn.
      if (!this.flushing && this.waiters.length === 1) setImmediate(() => this.flush())
    })
  }

  private flush(): void {
    if (this.flushing || this.waiters.length === 0) return
    const batch = this.waiters
    this.waiters = []
    this.flushing = true
    const done = (err: unknown): void => {
      this.flushing = false
      if (err) for (const w of batch) w.reject(err)
      else {
        this.syncs++
        for (const w of batch) w.resolve()
      }
      this.flush()
    }
    // Closed meanwhile: closing the last connection checkpoints, which syncs the WAL and the database first.
    if (!this.db.open) return done(null)
    // The waiters' writes are in this turn's transaction (or an earlier, committed one): commit it first.
    if (this.batchOpen) {
      this.batchOpen = false
      openBatches.delete(this)
      try {
        if (this.db.inTransaction) this.db.exec('COMMIT')
      } catch (e) {
        try {
          if (this.db.inTransaction) this.db.exec('ROLLBACK')
        } catch {
          // already rolled back
        }
        return done(e)
      }
    }
    if (this.walPath === null) {
      try {
        this.db.pragma('synchronous = FULL')
        try {
          this.db.prepare(SYNC_SQL).run(String(this.syncs + 1))
        } finally {
          this.db.pragma('synchronous = NORMAL')
        }
        return done(null)
      } catch (e) {
        return done(e)
      }
    }
    try {
      if (this.walFd === null) {
        this.walFd = openSync(this.walPath, 'r+')
        // Once: the directory entry of the -wal file (SQLite syncs it on its own first WAL sync, which NORMAL skips).
        const dir = openSync(dirname(this.walPath), 'r')
        try {
          fsyncSync(dir)
        } finally {
          closeSync(dir)
        }
      }
    } catch (e) {
      return done(e)
    }
    fdatasync(this.walFd, done)
  }

  // Prepared once per SQL text (all statements are constant strings): preparing costs more than running them.
  private readonly statements = new Map<string, Database.Statement>()
  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql)
    if (st === undefined) {
      st = this.db.prepare(sql)
      this.statements.set(sql, st)
    }
    return st
  }
  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.prepared(sql).get(...params) as Row | undefined
  }
  private all(sql: string, ...params: unknown[]): Row[] {
    return this.prepared(sql).all(...params) as Row[]
  }
  private run(sql: string, ...params: unknown[]): number {
    this.writes++
    this.begin()
    try {
      return this.prepared(sql).run(...params).changes
    } catch (e) {
      mapError(e)
    }
  }
  private immediate<T>(fn: () => T): T {
    this.writes++
    this.begin()
    // Inside the turn's transaction better-sqlite3 runs `fn` in a savepoint: it commits or rolls back alone.
    return this.db.transaction(fn).immediate()
  }

  async migrate(): Promise<void> {
    SqliteRepository.commitOpenBatches(this)
    migrateSqlite(this.db, Math.floor(Date.now() / 1000))
  }
  async close(): Promise<void> {
    while (this.flushing || this.waiters.length > 0) await new Promise((r) => setImmediate(r))
    this.endBatch()
    if (this.walFd !== null) closeSync(this.walFd)
    this.walFd = null
    if (this.db.open) this.db.close()
  }

  async getSetting(key: string): Promise<string | null> {
    const r = this.get('SELECT value FROM settings WHERE key = ?', key)
    return r ? String(r.value) : null
  }
  async setSetting(key: string, value: string): Promise<void> {
    this.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value)
  }
  async setSettingIfAbsent(key: string, value: string): Promise<string> {
    this.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', key, value)
    return String(this.get('SELECT value FROM settings WHERE key = ?', key)!.value)
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
  async listUsersPage(after: string | null, limit: number): Promise<UserRecord[]> {
    return this.all('SELECT * FROM users WHERE id > ? ORDER BY id LIMIT ?', after ?? '', limit).map(toUser)
  }
  async updateUser(id: string, change: UserChange): Promise<boolean> {
    return this.immediate(() => {
      if (!this.get('SELECT id FROM users WHERE id = ?', id)) return false
      if (change.claims !== undefined) this.run('UPDATE users SET claims = ? WHERE id = ?', JSON.stringify(change.claims), id)
      if (change.passwordHash !== undefined) this.run('UPDATE users SET password_hash = ? WHERE id = ?', change.passwordHash, id)
      return true
    })
  }
  async removeUser(id: string, now: number): Promise<RemoveUserResult> {
    return this.immediate((): RemoveUserResult => {
      if (!this.get('SELECT id FROM users WHERE id = ?', id)) return { ok: false, reason: 'unknown' }
      const live = this.all('SELECT id FROM credentials WHERE user_id = ? AND status <> 1 AND expires_at > ? ORDER BY id', id, now)
      if (live.length > 0) return { ok: false, reason: 'valid_credentials', credentialIds: live.map((r) => String(r.id)) }
      const n = this.run(
        'INSERT INTO retired_status_entries (list_id, status_idx, status, credential_id, removed_at) SELECT status_list_id, status_idx, status, id, ? FROM credentials WHERE user_id = ?',
        now, id,
      )
      this.run('DELETE FROM notifications WHERE credential_id IN (SELECT id FROM credentials WHERE user_id = ?)', id)
      this.run('DELETE FROM credentials WHERE user_id = ?', id)
      this.run('DELETE FROM nonces WHERE access_token_hash IN (SELECT token_hash FROM access_tokens WHERE user_id = ?)', id)
      this.run('DELETE FROM access_tokens WHERE user_id = ?', id)
      this.run('DELETE FROM authorization_codes WHERE user_id = ?', id)
      this.run('DELETE FROM offers WHERE user_id = ?', id)
      this.run('DELETE FROM users WHERE id = ?', id)
      return { ok: true, credentials: n }
    })
  }

  async setUserPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    return this.run('UPDATE users SET password_hash = ? WHERE id = ?', passwordHash, id) === 1
  }

  async registerLoginAttempt(accountKey: string, now: number, policy: LoginThrottlePolicy): Promise<LoginAttemptResult> {
    return this.immediate(() => {
      const r = this.get('SELECT failures, locked_until, expires_at FROM login_failures WHERE account_hash = ?', accountKey)
      const { result, next } = decideLoginAttempt(r ? toLoginFailure(r) : null, now, policy)
      if (next !== null) {
        this.run(
          `INSERT INTO login_failures (account_hash, failures, locked_until, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_hash) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, expires_at = excluded.expires_at`,
          accountKey, next.failures, next.lockedUntil, next.expiresAt,
        )
      }
      return result
    })
  }
  async clearLoginFailures(accountKey: string): Promise<void> {
    this.run('DELETE FROM login_failures WHERE account_hash = ?', accountKey)
  }
  async rateCounter(key: string, windowSeconds: number, now: number, hit: boolean): Promise<number> {
    const start = windowStart(now, windowSeconds)
    if (!hit) {
      const r = this.get('SELECT count FROM rate_counters WHERE key = ? AND window_start = ?', key, start)
      return r ? Number(r.count) : 0
    }
    this.writes++
    this.begin()
    const r = this.get(RATE_COUNTER_HIT_SQL, key, start, start + windowSeconds)
    return Number(r?.count ?? 1)
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

  async fetchOfferOnce(id: string, now: number, referenceTtl: number): Promise<OfferFetchResult> {
    return this.immediate(() => {
      const r = this.get('SELECT * FROM offers WHERE id = ?', id)
      if (!r) return { ok: false, reason: 'unknown' } as const
      const decision = decideOfferFetch(toOffer(r), numOrNull(r.fetched_at), now, referenceTtl)
      if (decision.ok) this.run('UPDATE offers SET fetched_at = ? WHERE id = ?', now, id)
      return decision
    })
  }

  async consumePreAuthorizedCode(codeHash: string, txCodeHash: string | null, now: number, maxTxCodeFailures: number): Promise<PreAuthorizedCodeResult> {
    return this.immediate(() => {
      const r = this.get('SELECT * FROM offers WHERE pre_authorized_code_hash = ?', codeHash)
      if (!r) return { ok: false, reason: 'unknown' } as const
      const decision = decidePreAuthorized(toOffer(r), txCodeHash, now, maxTxCodeFailures)
      if (decision.kind === 'fail') {
        this.run('UPDATE offers SET tx_code_failures = tx_code_failures + 1 WHERE id = ?', decision.offerId)
        return { ok: false, reason: 'tx_code_invalid', triesLeft: decision.triesLeft } as const
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
  async countCredentialsIssued(tokenHash: string, n: number, cap: number, now: number): Promise<boolean> {
    return (
      this.run(
        'UPDATE access_tokens SET credentials_issued = credentials_issued + ? WHERE token_hash = ? AND expires_at > ? AND credentials_issued + ? <= ?',
        n, tokenHash, now, n, cap,
      ) === 1
    )
  }
  async saveNonce(nonceHash: string, accessTokenHash: string | null, expiresAt: number): Promise<void> {
    this.run('INSERT INTO nonces (nonce_hash, access_token_hash, expires_at) VALUES (?, ?, ?)', nonceHash, accessTokenHash, expiresAt)
  }
  async consumeNonce(nonceHash: string, accessTokenHash: string, now: number, boundOnly = false): Promise<boolean> {
    return (
      this.run(
        'DELETE FROM nonces WHERE nonce_hash = ? AND expires_at > ? AND (access_token_hash = ? OR (access_token_hash IS NULL AND ? = 0))',
        nonceHash, now, accessTokenHash, boundOnly ? 1 : 0,
      ) === 1
    )
  }
  async recordDpopJti(jti: string, expiresAt: number): Promise<boolean> {
    return this.run('INSERT INTO dpop_jtis (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING', jti, expiresAt) === 1
  }

  async recordIssuance(n: NewIssuance): Promise<IssuedCredentialRecord> {
    const randomInt = n.randomInt ?? this.geometry.randomInt ?? cryptoRandomInt
    if (this.groupCommit) {
      // In the turn's transaction: no savepoint (it costs ~27 us per issuance). The credential row
      // goes in first, so a refused insert (duplicate id, unknown user) has changed nothing; the allocation
      // follows in the same transaction, and the turn commits both or neither. A new list is made below.
      this.begin()
      const list = this.get(OPEN_ALLOCATOR_SQL, n.listForm)
      if (list && this.db.inTransaction) return this.allocate(n, list, randomInt, true)
    }
    return this.immediate(() => {
      let list = this.get(OPEN_ALLOCATOR_SQL, n.listForm)
      if (!list) {
        const { size, bits } = this.geometry
        const seq = Number(this.get('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM status_lists')?.next)
        const freeByPage = newFreeByPage(size)
        this.run(
          'INSERT INTO status_lists (id, seq, form, bits, size, data, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)',
          String(seq), seq, n.listForm, bits, size, new Uint8Array(statusByteLength(size, bits)), n.issuedAt,
        )
        this.run(
          'INSERT INTO status_list_allocators (list_id, form, seq, size, allocated, free_by_page) VALUES (?, ?, ?, ?, 0, ?)',
          String(seq), n.listForm, seq, size, freeByPage,
        )
        list = { id: String(seq), size, allocated: 0, free_by_page: freeByPage }
      }
      return this.allocate(n, list, randomInt, false)
    })
  }
  /**
   * Allocates an index of `list` (an allocator row) and inserts the credential. `undo`: the caller's transaction
   * has no savepoint, so a failed page or allocator write is undone by hand before the error goes on.
   */
  private allocate(n: NewIssuance, list: Row, randomInt: (n: number) => number, undo: boolean): IssuedCredentialRecord {
    const id = String(list.id)
    const size = Number(list.size)
    const freeByPage = bytes(list.free_by_page)
    const { page, rank } = choosePage(freeByPage, size, Number(list.allocated), randomInt)
    const stored = this.get(ALLOC_PAGE_SQL, id, page)?.bits
    const a = allocateInPage(freeByPage, size, page, rank, stored === undefined ? undefined : bytes(stored))
    const record = this.insertCredential(n, id, a.idx)
    try {
      this.run(UPSERT_ALLOC_PAGE_SQL, id, page, a.pageBits)
      this.run('UPDATE status_list_allocators SET allocated = allocated + 1, free_by_page = ? WHERE list_id = ?', a.freeByPage, id)
    } catch (e) {
      if (undo && this.db.inTransaction) {
        this.run('DELETE FROM credentials WHERE id = ?', record.id)
        if (stored === undefined) this.run('DELETE FROM status_list_alloc_pages WHERE list_id = ? AND page = ?', id, page)
        else this.run(UPSERT_ALLOC_PAGE_SQL, id, page, stored)
        this.run('UPDATE status_list_allocators SET allocated = ?, free_by_page = ? WHERE list_id = ?', list.allocated, freeByPage, id)
      }
      throw e
    }
    return record
  }
  private insertCredential(n: NewIssuance, statusListId: string, statusIdx: number): IssuedCredentialRecord {
    const record: IssuedCredentialRecord = {
      id: n.id, userId: n.userId, format: n.format, credentialConfigurationId: n.credentialConfigurationId,
      holderKeyThumbprint: n.holderKeyThumbprint, statusListId, statusIdx, status: 0,
      issuedAt: n.issuedAt, expiresAt: n.expiresAt,
    }
    this.run(
      `INSERT INTO credentials (id, user_id, format, credential_configuration_id, holder_key_thumbprint, status_list_id,
        status_idx, status, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      record.id, record.userId, record.format, record.credentialConfigurationId, record.holderKeyThumbprint,
      record.statusListId, record.statusIdx, record.issuedAt, record.expiresAt,
    )
    return record
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
    const r = this.get(`${STATUS_LIST_SQL.full} WHERE l.id = ?`, id)
    return r ? toStatusList(r) : null
  }
  async getStatusListMeta(id: string): Promise<Omit<StatusListRecord, 'data'> | null> {
    const r = this.get(`${STATUS_LIST_SQL.meta} WHERE l.id = ?`, id)
    return r ? toStatusListMeta(r) : null
  }
  async listStatusLists(): Promise<Omit<StatusListRecord, 'data'>[]> {
    return this.all(`${STATUS_LIST_SQL.meta} ORDER BY l.seq`).map(toStatusListMeta)
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
  async markSigningKeyCompromised(kid: string, since: number, now: number): Promise<boolean> {
    return this.run('UPDATE signing_keys SET compromised_since = ?, retired_at = COALESCE(retired_at, ?) WHERE kid = ?', since, now, kid) === 1
  }

  async purgeExpired(now: number): Promise<number> {
    return this.immediate(() =>
      ['pushed_authorization_requests', 'authorization_codes', 'nonces', 'dpop_jtis', 'access_tokens', 'login_failures', 'rate_counters'].reduce(
        (sum, table) => sum + this.run(`DELETE FROM ${table} WHERE expires_at <= ?`, now),
        0,
      ),
    )
  }
  async checkIntegrity(): Promise<IntegrityReport> {
    return this.db.transaction(() =>
      integrityOf(
        this.all(STATUS_LIST_SQL.integrityLists),
        this.all('SELECT * FROM credentials'),
        this.all(STATUS_LIST_SQL.integrityPages),
        this.all('SELECT * FROM retired_status_entries'),
      ),
    )()
  }
}
