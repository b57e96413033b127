/**
 * @module storage/repository
 *
 * Changes by H3 (all additive; backends sqlite.ts and postgres.ts, chosen by open.ts `openRepository(dbUrl)`):
 * - `RepositoryOptions` (status list size, default 2^17, and bits, default 2; randomInt) for every factory.
 * - New methods: `getOfferByIssuerState`, `getNotification`, `purgeExpired` (call it periodically),
 *   `checkIntegrity`; `retireSigningKey` is false for an unknown or already retired kid.
 * - Errors (E2eidError): duplicate key → `ERR_STORAGE_CONFLICT` (409); a user/credential reference that
 *   does not exist → `ERR_STORAGE_UNKNOWN_REFERENCE` (404); `setCredentialStatus` on an unknown id →
 *   `ERR_STORAGE_NOT_FOUND` (404); a status that does not fit the list's bits →
 *   `ERR_STORAGE_STATUS_OUT_OF_RANGE` (400); bad `--db` → `ERR_STORAGE_DB_URL` (400).
 * - Expiry everywhere: a record is live while `now < expiresAt`.
 * - Status list ids are decimal strings "1", "2", ... (one sequence for both forms); a new list is
 *   opened only when the current one of that form is full. Indices are uniform over the unused ones.
 * - PostgreSQL schema: `openPostgresRepository(url, { schema })` (created if missing), or an existing one
 *   named in the URL: `postgres://u:p@host/db?options=-c%20search_path%3Dname`.
 *
 * The one storage interface of the identity authority. Two backends implement it
 * (SQLite by default, PostgreSQL for several instances behind a load balancer) and
 * one conformance suite runs against both. Every operation that must be atomic
 * (single-use codes and nonces, status index allocation, revocation) is one method,
 * so that each backend can make it one transaction.
 *
 * Secrets (codes, tokens, nonces) are stored and looked up by their SHA-256 hash
 * (base64url), never in the clear. Times are UNIX seconds.
 */
import type { LoginAttemptResult, LoginThrottlePolicy } from './rules.js'
import type { SD_JWT_VC_FORMAT } from '@e2eid/shared'

/** A status value of the Token Status List: VALID 0, INVALID 1 (revoked), SUSPENDED 2, or application-specific. */
export type StatusValue = number

export type CredentialFormatId = 'sd-cwt' | typeof SD_JWT_VC_FORMAT
/** Status list token form: statuslist+cwt for SD-CWT credentials, statuslist+jwt for SD-JWT VC. */
export type StatusListForm = 'cwt' | 'jwt'

export interface UserRecord {
  id: string
  /** The identity attributes this authority vouches for (what goes into credentials). */
  claims: Record<string, unknown>
  /** scrypt/PBKDF2 hash for the login page of the authorization code flow; null if the user cannot log in. */
  passwordHash: string | null
  createdAt: number
}

export interface OfferRecord {
  id: string
  userId: string
  credentialConfigurationIds: string[]
  /** Hash of the pre-authorized code (null for an authorization-code offer). */
  preAuthorizedCodeHash: string | null
  /** Hash of the tx_code, or null when none is required. */
  txCodeHash: string | null
  txCodeFailures: number
  /** Issuer state for the authorization code flow (optional). */
  issuerState: string | null
  createdAt: number
  expiresAt: number
  /** When the code was exchanged (single use), else null. */
  usedAt: number | null
}

export interface PushedAuthorizationRequestRecord {
  /** Hash of the request_uri reference. */
  requestUriHash: string
  clientId: string
  /** The validated request parameters (redirect_uri, code_challenge, scope, authorization_details, state, issuer_state, ...). */
  params: Record<string, string>
  createdAt: number
  expiresAt: number
}

export interface AuthorizationCodeRecord {
  codeHash: string
  userId: string
  clientId: string
  redirectUri: string
  codeChallenge: string
  credentialConfigurationIds: string[]
  /** DPoP key thumbprint bound at PAR/authorization time, if any (RFC 9449 §10). */
  dpopJkt: string | null
  createdAt: number
  expiresAt: number
}

export interface AccessTokenRecord {
  tokenHash: string
  userId: string
  clientId: string | null
  credentialConfigurationIds: string[]
  /** RFC 9449 DPoP binding: JWK thumbprint of the client's DPoP key (null = bearer). */
  dpopJkt: string | null
  createdAt: number
  expiresAt: number
}

export interface IssuedCredentialRecord {
  id: string
  userId: string
  format: CredentialFormatId
  credentialConfigurationId: string
  /** RFC 7638 / RFC 9679 thumbprint of the holder key (cnf) the credential is bound to. */
  holderKeyThumbprint: string
  statusListId: string
  statusIdx: number
  status: StatusValue
  issuedAt: number
  expiresAt: number
}

export interface StatusListRecord {
  id: string
  form: StatusListForm
  bits: 1 | 2 | 4 | 8
  /** Number of entries (indices 0..size-1). */
  size: number
  /** How many indices have been handed out (the list is full when allocated == size). */
  allocated: number
  /** The uncompressed list, LSB-first packing (draft-ietf-oauth-status-list §4.1). */
  data: Uint8Array
  /** Increases with every change; lets publishers cache the signed token. */
  version: number
  updatedAt: number
}

export interface SigningKeyRecord {
  kid: string
  alg: string
  /** Private JWK as JSON text. Kept in the database so a restart loses nothing (see README: key storage). */
  privateJwk: string
  publicJwk: string
  createdAt: number
  /** When set, the key no longer signs but stays published until it may have signed nothing still valid. */
  retiredAt: number | null
  /**
   * When set (UNIX seconds), the key is compromised: it no longer signs, is no longer published, and
   * nothing it signed from this time on is to be trusted. Absent/null: not compromised.
   */
  compromisedSince?: number | null
}

export interface NotificationRecord {
  notificationId: string
  credentialId: string
  event: string | null
  description: string | null
  receivedAt: number | null
}

/** Input of {@link IssuerRepository.recordIssuance}. */
export interface NewIssuance {
  id: string
  userId: string
  format: CredentialFormatId
  credentialConfigurationId: string
  holderKeyThumbprint: string
  listForm: StatusListForm
  issuedAt: number
  expiresAt: number
  /** Random source for index choice (herd privacy); injectable for tests. Returns a uniform integer in [0, n). */
  randomInt?: (n: number) => number
}

/** Result of consuming a pre-authorized code. */
export type PreAuthorizedCodeResult =
  | { ok: true; offer: OfferRecord }
  | { ok: false; reason: 'tx_code_invalid'; triesLeft: number }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'tx_code_required' | 'tx_code_unexpected' | 'locked' }

/** Change of {@link IssuerRepository.updateUser}: absent members stay as they are (`passwordHash: null` disables login). */
export interface UserChange {
  claims?: Record<string, unknown>
  passwordHash?: string | null
}

/**
 * Result of {@link IssuerRepository.removeUser}. `valid_credentials` lists the ids of the user's credentials that are
 * neither revoked nor expired (suspended ones included): they would stay unrevocable once their records were gone.
 */
export type RemoveUserResult =
  | { ok: true; credentials: number }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'valid_credentials'; credentialIds: string[] }

/** Result of {@link IssuerRepository.fetchOfferOnce}. */
export type OfferFetchResult =
  | { ok: true; offer: OfferRecord }
  | { ok: false; reason: 'unknown' | 'fetched' | 'used' | 'expired' }

/** Options every backend factory accepts. Only new status lists use the size and bits. */
export interface RepositoryOptions {
  /**
   * Entries per status list. Default {@link DEFAULT_STATUS_LIST_SIZE} = 2^17 (131,072): the herd-privacy size
   * the status list reference recommends (also the W3C 16KB minimum); with 2 bits that is 32 KiB raw and
   * a few dozen bytes compressed while mostly VALID. Must be a positive multiple of 8, at most 2^24.
   */
  statusListSize?: number
  /** Bits per entry. Default 2: VALID 0, INVALID 1, SUSPENDED 2 (1 bit cannot hold SUSPENDED). */
  statusListBits?: 1 | 2 | 4 | 8
  /** Default random source for index choice (uniform integer in [0, n)); `NewIssuance.randomInt` overrides it. */
  randomInt?: (n: number) => number
}

/** 2^17 entries per status list (see {@link RepositoryOptions.statusListSize}). */
export const DEFAULT_STATUS_LIST_SIZE = 131_072
/** 2 bits per status entry. */
export const DEFAULT_STATUS_LIST_BITS = 2

/** Result of {@link IssuerRepository.checkIntegrity}: empty `problems` means consistent. */
export interface IntegrityReport {
  credentials: number
  statusLists: number
  /** Human-readable descriptions of each inconsistency found (index used twice, bits disagreeing with records, ...). */
  problems: string[]
}

export interface IssuerRepository {
  /** Applies pending migrations (idempotent; safe when several instances start at once). */
  migrate(): Promise<void>
  close(): Promise<void>

  // Settings (issuer identifier, admin token hash, ...)
  getSetting(key: string): Promise<string | null>
  setSetting(key: string, value: string): Promise<void>
  /**
   * Stores `value` under `key` only if the key is absent (insert-if-absent, never overwrites) and returns the
   * value stored afterwards: the first writer's. For secrets created lazily and shared by several instances.
   */
  setSettingIfAbsent(key: string, value: string): Promise<string>

  // Users
  createUser(user: UserRecord): Promise<void>
  getUser(id: string): Promise<UserRecord | null>
  listUsers(): Promise<UserRecord[]>
  /** Replaces a user's password hash (rehash with stronger parameters on login); false if the user is unknown. */
  setUserPasswordHash(id: string, passwordHash: string): Promise<boolean>

  // Abuse limits that must hold across instances
  /**
   * Counts one login attempt for `accountKey` (atomically, across instances) under `policy`: refused while
   * the account is locked out, else counted as a failure until {@link clearLoginFailures}.
   */
  registerLoginAttempt(accountKey: string, now: number, policy: LoginThrottlePolicy): Promise<LoginAttemptResult>
  /** Forgets the failures of `accountKey` (after a successful login). */
  clearLoginFailures(accountKey: string): Promise<void>
  /**
   * A fixed-window counter shared by every instance: with `hit`, counts one event of `key` in the window of
   * `windowSeconds` that contains `now`; returns the number of events in that window (0 in a new one).
   */
  rateCounter(key: string, windowSeconds: number, now: number, hit: boolean): Promise<number>

  /** Up to `limit` users ordered by id, those after `after` (exclusive; null = from the first). */
  listUsersPage(after: string | null, limit: number): Promise<UserRecord[]>
  /** Replaces a user's claims and/or password hash; false if the id is unknown. */
  updateUser(id: string, change: UserChange): Promise<boolean>
  /**
   * In one transaction: refuses while the user has a credential that is not revoked and not expired at `now`;
   * otherwise deletes the user with its offers, authorization codes, access tokens (and their nonces),
   * notifications and credential records. Each removed credential's status list entry stays allocated with its
   * bits unchanged (revoked stays revoked; the index is never handed out again), recorded in
   * `retired_status_entries` so that {@link checkIntegrity} still accounts for it.
   */
  removeUser(id: string, now: number): Promise<RemoveUserResult>

  // Credential offers and the pre-authorized code grant
  createOffer(offer: OfferRecord): Promise<void>
  getOffer(id: string): Promise<OfferRecord | null>
  /** The offer whose `issuerState` equals this value (authorization code flow), or null. */
  getOfferByIssuerState(issuerState: string): Promise<OfferRecord | null>
  /**
   * Atomically exchanges a pre-authorized code: checks existence, expiry, single use and the tx_code
   * (counting failures and locking the offer after `maxTxCodeFailures`), and marks it used on success.
   */
  consumePreAuthorizedCode(
    codeHash: string,
    txCodeHash: string | null,
    now: number,
    maxTxCodeFailures: number,
  ): Promise<PreAuthorizedCodeResult>

  /**
   * Atomically marks an offer fetched by reference (§4.1.3) and returns it, only the first time and only while
   * it is unused, `now < expiresAt` and `now < createdAt + referenceTtl`; otherwise says why not.
   */
  fetchOfferOnce(id: string, now: number, referenceTtl: number): Promise<OfferFetchResult>

  // Authorization code flow (PAR + PKCE)
  savePushedAuthorizationRequest(par: PushedAuthorizationRequestRecord): Promise<void>
  /** Returns and deletes (single use) an unexpired PAR record. */
  takePushedAuthorizationRequest(requestUriHash: string, now: number): Promise<PushedAuthorizationRequestRecord | null>
  saveAuthorizationCode(code: AuthorizationCodeRecord): Promise<void>
  /** Returns and deletes (single use) an unexpired authorization code. */
  consumeAuthorizationCode(codeHash: string, now: number): Promise<AuthorizationCodeRecord | null>

  // Access tokens, c_nonces, DPoP replay cache
  saveAccessToken(token: AccessTokenRecord): Promise<void>
  getAccessToken(tokenHash: string, now: number): Promise<AccessTokenRecord | null>
  /**
   * Atomically adds `n` to the credentials issued under this access token (one grant) if the total stays at
   * most `cap`; false (and nothing counted) otherwise or when the token is unknown/expired.
   */
  countCredentialsIssued(tokenHash: string, n: number, cap: number, now: number): Promise<boolean>
  /** Stores a c_nonce bound to an access token (or to none, for the nonce endpoint before a token exists). */
  saveNonce(nonceHash: string, accessTokenHash: string | null, expiresAt: number): Promise<void>
  /** Atomically consumes a c_nonce: true only the first time, if unexpired and bound to this token (or unbound, unless `boundOnly`). */
  consumeNonce(nonceHash: string, accessTokenHash: string, now: number, boundOnly?: boolean): Promise<boolean>
  /** Records a DPoP proof jti (RFC 9449 §11.1); false if it was already seen (replay). */
  recordDpopJti(jti: string, expiresAt: number): Promise<boolean>

  // Issued credentials and status lists
  /**
   * In one transaction: picks a random unused index in a status list of `listForm` (creating a new list when
   * all are full), marks it allocated, and inserts the credential record with status VALID. Never gives two
   * credentials one index.
   */
  recordIssuance(issuance: NewIssuance): Promise<IssuedCredentialRecord>
  getCredential(id: string): Promise<IssuedCredentialRecord | null>
  listCredentials(userId: string): Promise<IssuedCredentialRecord[]>
  /** In one transaction: sets the credential's status and its bits in the status list (bumping the list version). */
  setCredentialStatus(id: string, status: StatusValue, now: number): Promise<IssuedCredentialRecord>
  getStatusList(id: string): Promise<StatusListRecord | null>
  /** The list without its data (cheap: lets a publisher check its signed-token cache by version first); null if unknown. */
  getStatusListMeta(id: string): Promise<Omit<StatusListRecord, 'data'> | null>
  listStatusLists(): Promise<Omit<StatusListRecord, 'data'>[]>

  // Notifications (OpenID4VCI §11)
  saveNotification(n: NotificationRecord): Promise<void>
  /** Stores the event of a notification request; false if the notification_id is unknown (then: invalid_notification_id). */
  recordNotificationEvent(notificationId: string, event: string, description: string | null, now: number): Promise<boolean>
  getNotification(notificationId: string): Promise<NotificationRecord | null>

  // Signing keys
  saveSigningKey(key: SigningKeyRecord): Promise<void>
  listSigningKeys(): Promise<SigningKeyRecord[]>
  /** Marks an active key retired; false if the kid is unknown or already retired. */
  retireSigningKey(kid: string, now: number): Promise<boolean>
  /** Marks a key compromised since `since` (and retired, if it was not); false if the kid is unknown. */
  markSigningKeyCompromised(kid: string, since: number, now: number): Promise<boolean>

  // Housekeeping
  /** Deletes expired PAR records, authorization codes, access tokens, nonces, DPoP jtis, login failure and rate counter rows; returns how many rows. */
  purgeExpired(now: number): Promise<number>
  /** Cross-checks issued credentials against status list bits and allocation (used by the crash test). */
  checkIntegrity(): Promise<IntegrityReport>
}
