/**
 * @module jose/time
 * JWT time claims (RFC 7519 §4.1.4-4.1.6) checked against an injected clock.
 */
import { checkTokenTimes } from '../token-times.js'
import type { TokenTimeRules } from '../token-times.js'

/** Options for {@link checkJwtTimeClaims}. */
export interface JwtTimeOptions {
  /** The clock, in Unix seconds (default: the system clock). Inject it in tests. */
  now?: () => number
  /** Allowed clock skew in seconds (default 0). */
  skew?: number
  /** Reject a token without `exp` (ERR_JWT_CLAIM_MISSING). Default false. */
  requireExp?: boolean
  /** Reject a token without `iat` (ERR_JWT_CLAIM_MISSING). Default false. */
  requireIat?: boolean
  /** Reject a token whose `iat` is older than this many seconds (ERR_JWT_TOO_OLD). Needs `iat`. */
  maxAge?: number
}

/** The system clock in Unix seconds (fractional). */
export function systemNowSeconds(): number {
  return Date.now() / 1000
}

/** The JWT time codes (RFC 7519 §4.1.4-4.1.6). */
const JWT_TIMES: TokenTimeRules = {
  invalid: { code: 'ERR_JWT_CLAIM_INVALID', message: (claim) => `JWT "${claim}" must be a NumericDate` },
  missing: { code: 'ERR_JWT_CLAIM_MISSING', message: (claim) => `JWT has no "${claim}"` },
  expired: { code: 'ERR_JWT_EXPIRED', message: 'JWT is expired' },
  notYetValid: { code: 'ERR_JWT_NOT_YET_VALID', message: 'JWT is not valid yet (nbf)' },
  iatInFuture: { code: 'ERR_JWT_IAT_IN_FUTURE', message: 'JWT "iat" is in the future' },
  tooOld: { code: 'ERR_JWT_TOO_OLD', message: 'JWT "iat" is older than the allowed age' },
}

/**
 * Checks `exp`, `nbf` and `iat` of a JWT payload.
 * `exp`: the token is expired at or after `exp` (RFC 7519 §4.1.4 "on or after"), so `now == exp` is rejected.
 * `nbf`: rejected before `nbf`. `iat` in the future (beyond the skew) is rejected.
 * Throws ERR_JWT_EXPIRED, ERR_JWT_NOT_YET_VALID, ERR_JWT_IAT_IN_FUTURE, ERR_JWT_TOO_OLD,
 * ERR_JWT_CLAIM_MISSING or ERR_JWT_CLAIM_INVALID.
 */
export function checkJwtTimeClaims(payload: Record<string, unknown>, options: JwtTimeOptions = {}): void {
  const require: ('exp' | 'iat')[] = []
  if (options.requireExp === true) require.push('exp')
  if (options.requireIat === true || options.maxAge !== undefined) require.push('iat')
  checkTokenTimes(payload, {
    now: (options.now ?? systemNowSeconds)(),
    skew: options.skew ?? 0,
    ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
    require,
    codes: JWT_TIMES,
  })
}
