/**
 * @module storage
 * Public storage API of the issuer: the repository interface, its two backends and `openRepository`.
 * (conformance.ts is test-only and deliberately not exported.)
 */
export type {
  StatusValue,
  CredentialFormatId,
  StatusListForm,
  UserRecord,
  OfferRecord,
  PushedAuthorizationRequestRecord,
  AuthorizationCodeRecord,
  AccessTokenRecord,
  IssuedCredentialRecord,
  StatusListRecord,
  SigningKeyRecord,
  NotificationRecord,
  NewIssuance,
  PreAuthorizedCodeResult,
  IssuerRepository,
  RepositoryOptions,
  IntegrityReport,
} from './repository.js'
export type { LoginAttemptResult, LoginThrottlePolicy } from './rules.js'
export { LOGIN_THROTTLE } from './rules.js'
export { DEFAULT_STATUS_LIST_SIZE, DEFAULT_STATUS_LIST_BITS } from './repository.js'
export { openSqliteRepository } from './sqlite.js'
export type { SqliteRepositoryOptions } from './sqlite.js'
export { openPostgresRepository } from './postgres.js'
export type { PostgresRepositoryOptions } from './postgres.js'
export { openRepository, sqlitePath } from './open.js'
export type { OpenRepositoryOptions } from './open.js'
export { getStatusValue, setStatusValue, statusByteLength } from './status-bits.js'
export type { StatusBits } from './status-bits.js'
