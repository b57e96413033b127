/**
 * @module storage/repository
 * The one storage interface of the identity authority. Two backends implement it
 * (SQLite by default, PostgreSQL for several instances behind a load balancer) and
 * one conformance suite runs against both. Every operation that must be atomic
 * (single-use codes and nonces, status index allocation, revocation) is one method,
 * so that each backend can make it one transaction.
 *
 * Secrets (codes, tokens, nonces) are stored and looked up by their SHA-256 hash
 * (base64url), never in the clear. Times are UNIX seconds.
 */

/** A status value of the Token Status List: VALID 0, INVALID 1 (revoked), SUSPENDED 2, or application-specific. */
export type StatusValue = number

export type CredentialFormatId = 'sd-cwt' | 'dc+sd-jwt'
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
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'tx_code_required' | 'tx_code_invalid' | 'locked' }

export interface IssuerRepository {
  /** Applies pending migrations (idempotent; safe when several instances start at once). */
  migrate(): Promise<void>
  close(): Promise<void>

  // Settings (issuer identifier, admin token hash, ...)
  getSetting(key: string): Promise<string | null>
  setSetting(key: string, value: string): Promise<void>

  // Users
  createUser(user: UserRecord): Promise<void>
  getUser(id: string): Promise<UserRecord | null>
  listUsers(): Promise<UserRecord[]>

  // Credential offers and the pre-authorized code grant
  createOffer(offer: OfferRecord): Promise<void>
  getOffer(id: string): Promise<OfferRecord | null>
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
  /** Stores a c_nonce bound to an access token (or to none, for the nonce endpoint before a token exists). */
  saveNonce(nonceHash: string, accessTokenHash: string | null, expiresAt: number): Promise<void>
  /** Atomically consumes a c_nonce: true only the first time, if unexpired and bound to this token (or unbound). */
  consumeNonce(nonceHash: string, accessTokenHash: string, now: number): Promise<boolean>
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
  listStatusLists(): Promise<Omit<StatusListRecord, 'data'>[]>

  // Notifications (OpenID4VCI §11)
  saveNotification(n: NotificationRecord): Promise<void>
  recordNotificationEvent(notificationId: string, event: string, description: string | null, now: number): Promise<boolean>

  // Signing keys
  saveSigningKey(key: SigningKeyRecord): Promise<void>
  listSigningKeys(): Promise<SigningKeyRecord[]>
  retireSigningKey(kid: string, now: number): Promise<boolean>
}
