/**
 * @module jose/time
 * JWT time claims (RFC 7519 §4.1.4-4.1.6) checked against an injected clock.
 */
import { E2eidError } from '../errors.js'

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

function numericDate(payload: Record<string, unknown>, name: string): number | undefined {
  const v = payload[name]
  if (v === undefined) return undefined
  // RFC 7519 §2 NumericDate: a JSON number (non-integer allowed), finite.
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new E2eidError('ERR_JWT_CLAIM_INVALID', `JWT "${name}" must be a NumericDate`)
  }
  return v
}

/**
 * Checks `exp`, `nbf` and `iat` of a JWT payload.
 * `exp`: the token is expired at or after `exp` (RFC 7519 §4.1.4 "on or after"), so `now == exp` is rejected.
 * `nbf`: rejected before `nbf`. `iat` in the future (beyond the skew) is rejected.
 * Throws ERR_JWT_EXPIRED, ERR_JWT_NOT_YET_VALID, ERR_JWT_IAT_IN_FUTURE, ERR_JWT_TOO_OLD,
 * ERR_JWT_CLAIM_MISSING or ERR_JWT_CLAIM_INVALID.
 */
export function checkJwtTimeClaims(payload: Record<string, unknown>, options: JwtTimeOptions = {}): void {
  const now = (options.now ?? systemNowSeconds)()
  const skew = options.skew ?? 0
  const exp = numericDate(payload, 'exp')
  const nbf = numericDate(payload, 'nbf')
  const iat = numericDate(payload, 'iat')
  if (exp === undefined && options.requireExp === true) throw new E2eidError('ERR_JWT_CLAIM_MISSING', 'JWT has no "exp"')
  if (iat === undefined && (options.requireIat === true || options.maxAge !== undefined)) {
    throw new E2eidError('ERR_JWT_CLAIM_MISSING', 'JWT has no "iat"')
  }
  if (exp !== undefined && now - skew >= exp) throw new E2eidError('ERR_JWT_EXPIRED', 'JWT is expired')
  if (nbf !== undefined && now + skew < nbf) throw new E2eidError('ERR_JWT_NOT_YET_VALID', 'JWT is not valid yet (nbf)')
  if (iat !== undefined && iat > now + skew) throw new E2eidError('ERR_JWT_IAT_IN_FUTURE', 'JWT "iat" is in the future')
  if (iat !== undefined && options.maxAge !== undefined && now - skew - iat > options.maxAge) {
    throw new E2eidError('ERR_JWT_TOO_OLD', 'JWT "iat" is older than the allowed age')
  }
}
