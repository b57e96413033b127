/**
 * @module storage/postgres
 * The backend for several issuer instances behind a load balancer (pg Pool). What makes
 * it safe when instances race:
 * - single-use secrets (PAR, authorization codes, nonces) are consumed by one
 *   `DELETE ... RETURNING`; DPoP jtis by `INSERT ... ON CONFLICT DO NOTHING`;
 * - pre-authorized codes are read `FOR UPDATE` in a transaction (the tx_code failure count too);
 * - status index allocation takes a transaction-scoped advisory lock per list form, then the open list row
 *   `FOR UPDATE`, and a UNIQUE (status_list_id, status_idx) constraint backs it up;
 * - a status change locks the credential row and rewrites its one byte of the list with
 *   `set_byte`, which PostgreSQL re-evaluates on the newest row version (no lost update).
 */
import { randomInt as cryptoRandomInt } from 'node:crypto'
import pg from 'pg'
import type { PoolClient } from 'pg'
import { E2eidError } from '@e2eid/shared'
import { migratePostgres } from './migrations-postgres.js'
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
import { decideLoginAttempt, decideOfferFetch, decidePreAuthorized, windowStart } from './rules.js'
import type { LoginAttemptResult, LoginThrottlePolicy } from './rules.js'
import type { StatusBits } from './status-bits.js'
import { assertStatusFits, statusByteLength, statusBytePatch } from './status-bits.js'
import { allocateInPage, choosePage, newFreeByPage } from './alloc-pages.js'

/** PostgreSQL-specific options. */
export interface PostgresRepositoryOptions extends RepositoryOptions {
  /**
   * Schema for all tables (created if missing; becomes the connections' search_path). Default: the
   * server's search_path (normally `public`). Tests use a random one per run. Lowercase letters, digits, `_`.
   */
  schema?: string
  /** Pool size (default 10). */
  maxConnections?: number
}

type Queryable = Pick<PoolClient, 'query'>

const RETRYABLE = new Set(['40001', '40P01']) // serialization failure, deadlock detected

function mapError(e: unknown): never {
  const code = (e as { code?: unknown }).code
  if (code === '23505') throw new E2eidError('ERR_STORAGE_CONFLICT', 'a record with this key already exists', { cause: e, status: 409 })
  if (code === '23503') {
    throw new E2eidError('ERR_STORAGE_UNKNOWN_REFERENCE', 'the record refers to an unknown user or credential', { cause: e, status: 404 })
  }
  throw e
}

/**
 * Connects a pool to `connectionString` (`postgres://user:pass@host:port/db`) and applies migrations.
 * @example const repo = await openPostgresRepository(process.env.DATABASE_URL!, { schema: 'issuer' })
 */
export async function openPostgresRepository(connectionString: string, options: PostgresRepositoryOptions = {}): Promise<IssuerRepository> {
  const geometry = listGeometry(options)
  const schema = options.schema ?? null
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new E2eidError('ERR_STORAGE_OPTIONS', 'schema must match [a-z_][a-z0-9_]{0,62}')
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  })
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined)
  const repo = new PostgresRepository(pool, geometry, schema)
  try {
    await repo.migrate()
  } catch (e) {
    await pool.end()
    throw e
  }
  return repo
}

class PostgresRepository implements IssuerRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly geometry: ReturnType<typeof listGeometry>,
    private readonly schema: string | null,
  ) {}

  private async q(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<{ rows: Row[]; rowCount: number }> {
    try {
      const res = await on.query(sql, params)
      return { rows: res.rows as Row[], rowCount: res.rowCount ?? 0 }
    } catch (e) {
      mapError(e)
    }
  }
  private async one(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<Row | undefined> {
    return (await this.q(sql, params, on)).rows[0]
  }

  /** Runs `fn` in a transaction, retrying a few times on serialization failures and deadlocks. */
  private async tx<T>(fn: (c: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect()
      let broken: Error | undefined
      try {
        await client.query(begin)
        const out = await fn(client)
        await client.query('COMMIT')
        return out
      } catch (e) {
        await client.query('ROLLBACK').catch((err: unknown) => {
          broken = err instanceof Error ? err : new Error(String(err))
        })
        const cause = e instanceof E2eidError && e.cause !== undefined ? e.cause : e
        if (attempt < 5 && RETRYABLE.has(String((cause as { code?: unknown }).code))) continue
        throw e
      } finally {
        client.release(broken)
      }
    }
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect()
    try {
      await migratePostgres(client, this.schema, Math.floor(Date.now() / 1000))
    } finally {
      client.release()
    }
  }
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }

  async getSetting(key: string): Promise<string | null> {
    const r = await this.one('SELECT value FROM settings WHERE key = $1', [key])
    return r ? String(r.value) : null
  }
  async setSetting(key: string, value: string): Promise<void> {
    await this.q('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value])
  }
  async setSettingIfAbsent(key: string, value: string): Promise<string> {
    // ON CONFLICT DO NOTHING: the first committed writer wins; a later reader sees its row (READ COMMITTED).
    await this.q('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value])
    const r = await this.one('SELECT value FROM settings WHERE key = $1', [key])
    return String(r!.value)
  }

  async createUser(u: UserRecord): Promise<void> {
    await this.q('INSERT INTO users (id, claims, password_hash, created_at) VALUES ($1, $2, $3, $4)', [u.id, JSON.stringify(u.claims), u.passwordHash, u.createdAt])
  }
  async getUser(id: string): Promise<UserRecord | null> {
    const r = await this.one('SELECT * FROM users WHERE id = $1', [id])
    return r ? toUser(r) : null
  }
  async listUsers(): Promise<UserRecord[]> {
    return (await this.q('SELECT * FROM users ORDER BY created_at, id')).rows.map(toUser)
  }
  async listUsersPage(after: string | null, limit: number): Promise<UserRecord[]> {
    // COLLATE "C": the same byte order as SQLite's, whatever the database's collation.
    return (await this.q('SELECT * FROM users WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2', [after ?? '', limit])).rows.map(toUser)
  }
  async updateUser(id: string, change: UserChange): Promise<boolean> {
    const r = await this.q(
      `UPDATE users SET claims = CASE WHEN $2::boolean THEN $3 ELSE claims END,
         password_hash = CASE WHEN $4::boolean THEN $5 ELSE password_hash END WHERE id = $1`,
      [id, change.claims !== undefined, change.claims === undefined ? null : JSON.stringify(change.claims), change.passwordHash !== undefined, change.passwordHash ?? null],
    )
    return r.rowCount === 1
  }
  async removeUser(id: string, now: number): Promise<RemoveUserResult> {
    return this.tx(async (c): Promise<RemoveUserResult> => {
      // FOR UPDATE: an issuance inserting a credential for this user (its foreign key check takes KEY SHARE on the
      // row) waits for this transaction, then fails on the missing user; no credential slips in after the check.
      if (!(await this.one('SELECT id FROM users WHERE id = $1 FOR UPDATE', [id], c))) return { ok: false, reason: 'unknown' }
      const live = (await this.q('SELECT id FROM credentials WHERE user_id = $1 AND status <> 1 AND expires_at > $2 ORDER BY id', [id, now], c)).rows
      if (live.length > 0) return { ok: false, reason: 'valid_credentials', credentialIds: live.map((r) => String(r.id)) }
      const n = await this.q(
        'INSERT INTO retired_status_entries (list_id, status_idx, status, credential_id, removed_at) SELECT status_list_id, status_idx, status, id, $2 FROM credentials WHERE user_id = $1',
        [id, now], c,
      )
      await this.q('DELETE FROM notifications WHERE credential_id IN (SELECT id FROM credentials WHERE user_id = $1)', [id], c)
      await this.q('DELETE FROM credentials WHERE user_id = $1', [id], c)
      await this.q('DELETE FROM nonces WHERE access_token_hash IN (SELECT token_hash FROM access_tokens WHERE user_id = $1)', [id], c)
      await this.q('DELETE FROM access_tokens WHERE user_id = $1', [id], c)
      await this.q('DELETE FROM authorization_codes WHERE user_id = $1', [id], c)
      await this.q('DELETE FROM offers WHERE user_id = $1', [id], c)
      await this.q('DELETE FROM users WHERE id = $1', [id], c)
      return { ok: true, credentials: n.rowCount }
    })
  }

  async setUserPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    return (await this.q('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id])).rowCount === 1
  }

  async registerLoginAttempt(accountKey: string, now: number, policy: LoginThrottlePolicy): Promise<LoginAttemptResult> {
    return this.tx(async (c) => {
      // Row lock: two instances counting the same account serialize here (a missing row is created first).
      await this.q('INSERT INTO login_failures (account_hash, failures, locked_until, expires_at) VALUES ($1, 0, 0, 0) ON CONFLICT (account_hash) DO NOTHING', [accountKey], c)
      const r = await this.one('SELECT failures, locked_until, expires_at FROM login_failures WHERE account_hash = $1 FOR UPDATE', [accountKey], c)
      const { result, next } = decideLoginAttempt(r ? toLoginFailure(r) : null, now, policy)
      if (next !== null) {
        await this.q('UPDATE login_failures SET failures = $2, locked_until = $3, expires_at = $4 WHERE account_hash = $1', [accountKey, next.failures, next.lockedUntil, next.expiresAt], c)
      }
      return result
    })
  }
  async clearLoginFailures(accountKey: string): Promise<void> {
    await this.q('DELETE FROM login_failures WHERE account_hash = $1', [accountKey])
  }
  async rateCounter(key: string, windowSeconds: number, now: number, hit: boolean): Promise<number> {
    const start = windowStart(now, windowSeconds)
    if (!hit) {
      const r = await this.one('SELECT count FROM rate_counters WHERE key = $1 AND window_start = $2', [key, start])
      return r ? Number(r.count) : 0
    }
    // One statement: the upsert takes the row lock, so concurrent hits from several instances all count.
    const r = await this.one(
      `INSERT INTO rate_counters (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_counters.window_start = excluded.window_start THEN rate_counters.count + 1 ELSE 1 END,
         window_start = excluded.window_start, expires_at = excluded.expires_at
       RETURNING count`,
      [key, start, start + windowSeconds],
    )
    return Number(r?.count ?? 1)
  }

  async createOffer(o: OfferRecord): Promise<void> {
    await this.q(
      `INSERT INTO offers (id, user_id, credential_configuration_ids, pre_authorized_code_hash, tx_code_hash,
        tx_code_failures, issuer_state, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [o.id, o.userId, JSON.stringify(o.credentialConfigurationIds), o.preAuthorizedCodeHash, o.txCodeHash,
        o.txCodeFailures, o.issuerState, o.createdAt, o.expiresAt, o.usedAt],
    )
  }
  async getOffer(id: string): Promise<OfferRecord | null> {
    const r = await this.one('SELECT * FROM offers WHERE id = $1', [id])
    return r ? toOffer(r) : null
  }
  async getOfferByIssuerState(issuerState: string): Promise<OfferRecord | null> {
    const r = await this.one('SELECT * FROM offers WHERE issuer_state = $1', [issuerState])
    return r ? toOffer(r) : null
  }

  async fetchOfferOnce(id: string, now: number, referenceTtl: number): Promise<OfferFetchResult> {
    return this.tx(async (c) => {
      const r = await this.one('SELECT * FROM offers WHERE id = $1 FOR UPDATE', [id], c)
      if (!r) return { ok: false, reason: 'unknown' } as const
      const decision = decideOfferFetch(toOffer(r), numOrNull(r.fetched_at), now, referenceTtl)
      if (decision.ok) await this.q('UPDATE offers SET fetched_at = $1 WHERE id = $2', [now, id], c)
      return decision
    })
  }

  async consumePreAuthorizedCode(codeHash: string, txCodeHash: string | null, now: number, maxTxCodeFailures: number): Promise<PreAuthorizedCodeResult> {
    return this.tx(async (c) => {
      const r = await this.one('SELECT * FROM offers WHERE pre_authorized_code_hash = $1 FOR UPDATE', [codeHash], c)
      if (!r) return { ok: false, reason: 'unknown' } as const
      const decision = decidePreAuthorized(toOffer(r), txCodeHash, now, maxTxCodeFailures)
      if (decision.kind === 'fail') {
        await this.q('UPDATE offers SET tx_code_failures = tx_code_failures + 1 WHERE id = $1', [decision.offerId], c)
        return { ok: false, reason: 'tx_code_invalid', triesLeft: decision.triesLeft } as const
      }
      if (decision.kind === 'reject') return { ok: false, reason: decision.reason } as const
      await this.q('UPDATE offers SET used_at = $1 WHERE id = $2', [now, decision.offer.id], c)
      return { ok: true, offer: { ...decision.offer, usedAt: now } } as const
    })
  }

  async savePushedAuthorizationRequest(p: PushedAuthorizationRequestRecord): Promise<void> {
    await this.q(
      'INSERT INTO pushed_authorization_requests (request_uri_hash, client_id, params, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [p.requestUriHash, p.clientId, JSON.stringify(p.params), p.createdAt, p.expiresAt],
    )
  }
  async takePushedAuthorizationRequest(requestUriHash: string, now: number): Promise<PushedAuthorizationRequestRecord | null> {
    const r = await this.one('DELETE FROM pushed_authorization_requests WHERE request_uri_hash = $1 RETURNING *', [requestUriHash])
    return r && now < Number(r.expires_at) ? toPar(r) : null
  }
  async saveAuthorizationCode(c: AuthorizationCodeRecord): Promise<void> {
    await this.q(
      `INSERT INTO authorization_codes (code_hash, user_id, client_id, redirect_uri, code_challenge,
        credential_configuration_ids, dpop_jkt, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.codeHash, c.userId, c.clientId, c.redirectUri, c.codeChallenge, JSON.stringify(c.credentialConfigurationIds),
        c.dpopJkt, c.createdAt, c.expiresAt],
    )
  }
  async consumeAuthorizationCode(codeHash: string, now: number): Promise<AuthorizationCodeRecord | null> {
    const r = await this.one('DELETE FROM authorization_codes WHERE code_hash = $1 RETURNING *', [codeHash])
    return r && now < Number(r.expires_at) ? toAuthorizationCode(r) : null
  }

  async saveAccessToken(t: AccessTokenRecord): Promise<void> {
    await this.q(
      `INSERT INTO access_tokens (token_hash, user_id, client_id, credential_configuration_ids, dpop_jkt, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [t.tokenHash, t.userId, t.clientId, JSON.stringify(t.credentialConfigurationIds), t.dpopJkt, t.createdAt, t.expiresAt],
    )
  }
  async getAccessToken(tokenHash: string, now: number): Promise<AccessTokenRecord | null> {
    const r = await this.one('SELECT * FROM access_tokens WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now])
    return r ? toAccessToken(r) : null
  }
  async countCredentialsIssued(tokenHash: string, n: number, cap: number, now: number): Promise<boolean> {
    const res = await this.q(
      'UPDATE access_tokens SET credentials_issued = credentials_issued + $1 WHERE token_hash = $2 AND expires_at > $3 AND credentials_issued + $1 <= $4',
      [n, tokenHash, now, cap],
    )
    return res.rowCount === 1
  }
  async saveNonce(nonceHash: string, accessTokenHash: string | null, expiresAt: number): Promise<void> {
    await this.q('INSERT INTO nonces (nonce_hash, access_token_hash, expires_at) VALUES ($1, $2, $3)', [nonceHash, accessTokenHash, expiresAt])
  }
  async consumeNonce(nonceHash: string, accessTokenHash: string, now: number, boundOnly = false): Promise<boolean> {
    const res = await this.q(
      'DELETE FROM nonces WHERE nonce_hash = $1 AND expires_at > $2 AND (access_token_hash = $3 OR (access_token_hash IS NULL AND NOT $4::boolean))',
      [nonceHash, now, accessTokenHash, boundOnly],
    )
    return res.rowCount === 1
  }
  async recordDpopJti(jti: string, expiresAt: number): Promise<boolean> {
    return (await this.q('INSERT INTO dpop_jtis (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING', [jti, expiresAt])).rowCount === 1
  }

  async recordIssuance(n: NewIssuance): Promise<IssuedCredentialRecord> {
    const randomInt = n.randomInt ?? this.geometry.randomInt ?? cryptoRandomInt
    if (n.listForm !== 'cwt' && n.listForm !== 'jwt') throw new E2eidError('ERR_STORAGE_LIST_FORM', 'listForm must be cwt or jwt', { status: 400 })
    // One allocator at a time per list form and schema, across all instances; released at COMMIT/ROLLBACK.
    // Sent with BEGIN in one round trip (listForm is one of two literals, checked above).
    const begin = `BEGIN; SELECT pg_advisory_xact_lock(hashtext('e2eid:alloc:${n.listForm}:' || current_schema()))`
    return this.tx(async (c) => {
      let list = await this.one(
        'SELECT list_id AS id, size, allocated, free_by_page FROM status_list_allocators WHERE form = $1 AND allocated < size ORDER BY seq LIMIT 1 FOR UPDATE',
        [n.listForm], c,
      )
      if (!list) {
        const { size, bits } = this.geometry
        // List ids are one sequence over both forms: creating a list is serialized across forms too
        // (always taken after the form lock, so the two locks cannot deadlock).
        await this.q("SELECT pg_advisory_xact_lock(hashtext('e2eid:new-list:' || current_schema()))", [], c)
        const seq = Number((await this.one('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM status_lists', [], c))?.next)
        const freeByPage = newFreeByPage(size)
        await this.q(
          `WITH list AS (
             INSERT INTO status_lists (id, seq, form, bits, size, data, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id)
           INSERT INTO status_list_allocators (list_id, form, seq, size, allocated, free_by_page) SELECT id, $3, $2, $5, 0, $8 FROM list`,
          [String(seq), seq, n.listForm, bits, size, new Uint8Array(statusByteLength(size, bits)), n.issuedAt, freeByPage], c,
        )
        list = { id: String(seq), size, allocated: 0, free_by_page: freeByPage }
      }
      const listId = String(list.id)
      const size = Number(list.size)
      const freeByPage = bytes(list.free_by_page)
      const { page, rank } = choosePage(freeByPage, size, Number(list.allocated), randomInt)
      const stored = (await this.one('SELECT bits FROM status_list_alloc_pages WHERE list_id = $1 AND page = $2', [listId, page], c))?.bits
      const a = allocateInPage(freeByPage, size, page, rank, stored === undefined ? undefined : bytes(stored))
      const record: IssuedCredentialRecord = {
        id: n.id, userId: n.userId, format: n.format, credentialConfigurationId: n.credentialConfigurationId,
        holderKeyThumbprint: n.holderKeyThumbprint, statusListId: listId, statusIdx: a.idx, status: 0,
        issuedAt: n.issuedAt, expiresAt: n.expiresAt,
      }
      // Record and allocation in one statement (data-modifying CTEs always run; any failing fails all), in the
      // transaction that holds the form's lock and the allocator row.
      await this.q(
        `WITH credential AS (
           INSERT INTO credentials (id, user_id, format, credential_configuration_id, holder_key_thumbprint, status_list_id,
             status_idx, status, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9) RETURNING id),
         page AS (
           INSERT INTO status_list_alloc_pages (list_id, page, bits) VALUES ($6, $10, $11)
           ON CONFLICT (list_id, page) DO UPDATE SET bits = EXCLUDED.bits RETURNING page)
         UPDATE status_list_allocators SET allocated = allocated + 1, free_by_page = $12 WHERE list_id = $6`,
        [record.id, record.userId, record.format, record.credentialConfigurationId, record.holderKeyThumbprint,
          record.statusListId, record.statusIdx, record.issuedAt, record.expiresAt, page, a.pageBits, a.freeByPage], c,
      )
      return record
    }, begin)
  }
  async getCredential(id: string): Promise<IssuedCredentialRecord | null> {
    const r = await this.one('SELECT * FROM credentials WHERE id = $1', [id])
    return r ? toCredential(r) : null
  }
  async listCredentials(userId: string): Promise<IssuedCredentialRecord[]> {
    return (await this.q('SELECT * FROM credentials WHERE user_id = $1 ORDER BY issued_at, id', [userId])).rows.map(toCredential)
  }
  async setCredentialStatus(id: string, status: StatusValue, now: number): Promise<IssuedCredentialRecord> {
    return this.tx(async (c) => {
      const r = await this.one(
        'SELECT c.*, l.bits AS list_bits FROM credentials c JOIN status_lists l ON l.id = c.status_list_id WHERE c.id = $1 FOR UPDATE OF c',
        [id], c,
      )
      if (!r) throw new E2eidError('ERR_STORAGE_NOT_FOUND', `no credential ${id}`, { status: 404 })
      const record = toCredential(r)
      const bits = Number(r.list_bits) as StatusBits
      assertStatusFits(bits, status)
      if (record.status === status) return record
      const patch = statusBytePatch(bits, record.statusIdx, status)
      await this.q('UPDATE credentials SET status = $1 WHERE id = $2', [status, id], c)
      await this.q(
        `UPDATE status_lists SET data = set_byte(data, $1::int, (get_byte(data, $1::int) & $2::int) | $3::int),
           version = version + 1, updated_at = $4 WHERE id = $5`,
        [patch.byteIndex, patch.clearMask, patch.setBits, now, record.statusListId], c,
      )
      return { ...record, status }
    })
  }
  async getStatusList(id: string): Promise<StatusListRecord | null> {
    const r = await this.one(`${STATUS_LIST_SQL.full} WHERE l.id = $1`, [id])
    return r ? toStatusList(r) : null
  }
  async getStatusListMeta(id: string): Promise<Omit<StatusListRecord, 'data'> | null> {
    const r = await this.one(`${STATUS_LIST_SQL.meta} WHERE l.id = $1`, [id])
    return r ? toStatusListMeta(r) : null
  }
  async listStatusLists(): Promise<Omit<StatusListRecord, 'data'>[]> {
    return (await this.q(`${STATUS_LIST_SQL.meta} ORDER BY l.seq`)).rows.map(toStatusListMeta)
  }

  async saveNotification(n: NotificationRecord): Promise<void> {
    await this.q(
      'INSERT INTO notifications (notification_id, credential_id, event, description, received_at) VALUES ($1, $2, $3, $4, $5)',
      [n.notificationId, n.credentialId, n.event, n.description, n.receivedAt],
    )
  }
  async recordNotificationEvent(notificationId: string, event: string, description: string | null, now: number): Promise<boolean> {
    const res = await this.q('UPDATE notifications SET event = $1, description = $2, received_at = $3 WHERE notification_id = $4', [event, description, now, notificationId])
    return res.rowCount === 1
  }

  async getNotification(notificationId: string): Promise<NotificationRecord | null> {
    const r = await this.one('SELECT * FROM notifications WHERE notification_id = $1', [notificationId])
    return r ? toNotification(r) : null
  }

  async saveSigningKey(k: SigningKeyRecord): Promise<void> {
    await this.q(
      'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [k.kid, k.alg, k.privateJwk, k.publicJwk, k.createdAt, k.retiredAt],
    )
  }
  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    return (await this.q('SELECT * FROM signing_keys ORDER BY created_at, kid')).rows.map(toSigningKey)
  }
  async retireSigningKey(kid: string, now: number): Promise<boolean> {
    return (await this.q('UPDATE signing_keys SET retired_at = $1 WHERE kid = $2 AND retired_at IS NULL', [now, kid])).rowCount === 1
  }
  async markSigningKeyCompromised(kid: string, since: number, now: number): Promise<boolean> {
    return (await this.q('UPDATE signing_keys SET compromised_since = $1, retired_at = COALESCE(retired_at, $2) WHERE kid = $3', [since, now, kid])).rowCount === 1
  }

  async purgeExpired(now: number): Promise<number> {
    return this.tx(async (c) => {
      let total = 0
      for (const table of ['pushed_authorization_requests', 'authorization_codes', 'nonces', 'dpop_jtis', 'access_tokens', 'login_failures', 'rate_counters']) {
        total += (await this.q(`DELETE FROM ${table} WHERE expires_at <= $1`, [now], c)).rowCount
      }
      return total
    })
  }
  async checkIntegrity(): Promise<IntegrityReport> {
    return this.tx(
      async (c) =>
        integrityOf(
          (await this.q(STATUS_LIST_SQL.integrityLists, [], c)).rows,
          (await this.q('SELECT * FROM credentials', [], c)).rows,
          (await this.q(STATUS_LIST_SQL.integrityPages, [], c)).rows,
          (await this.q('SELECT * FROM retired_status_entries', [], c)).rows,
        ),
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    )
  }
}
