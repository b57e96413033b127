/**
 * @module status-list/claims
 * The Status List Token claims common to the JWT and CWT forms (draft-20 §5.1, §5.2) and the
 * validation of §8.3 step 4: `sub` equals the uri the token was fetched from, `iat` present,
 * not expired (`exp`), `ttl` well-formed, and the historical-resolution check of §8.4
 * (`iat <= time <= exp`). Both forms throw the same ERR_STATUS_LIST_* codes.
 */
import { E2eidError } from '../errors.js'
import { systemNowSeconds } from '../jose/time.js'
import { checkTokenTimes } from '../token-times.js'
import type { TokenTimeRules } from '../token-times.js'

/** Status List Token claims, form-independent. Times are Unix seconds; `ttl` is seconds. */
export interface StatusListTokenClaims {
  sub: string
  iat: number
  exp?: number
  ttl?: number
  iss?: string
}

/** Validation policy for a Status List Token. */
export interface StatusListTokenPolicy {
  /** The uri the token was fetched from (the Referenced Token's `status_list.uri`); `sub` must equal it exactly. */
  uri: string
  /** Clock in Unix seconds (default: system clock). */
  now?: () => number
  /** Allowed clock skew, seconds (default 0). */
  skew?: number
  /** Reject a token without `exp` (RECOMMENDED claim). Default false. */
  requireExp?: boolean
  /** Local freshness policy (§8.3 step 4b): reject if `iat` is older than this many seconds. */
  maxAge?: number
  /**
   * Historical resolution (§8.4): the `time` the token was requested for. Then `iat <= time <= exp` is required
   * (a static host may ignore the query) and the token is not checked against the current time.
   */
  time?: number
}

function fail(code: string, message: string): never {
  throw new E2eidError(code, message)
}

function numericClaim(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('ERR_STATUS_LIST_CLAIM_INVALID', `Status List Token "${name}" must be a number`)
  return v
}

/** Validates the claim types (not the policy) and returns them; raw values come from JSON or a CBOR map. */
export function readStatusListClaims(raw: { sub: unknown; iat: unknown; exp: unknown; ttl: unknown; iss: unknown }): StatusListTokenClaims {
  if (raw.sub === undefined) fail('ERR_STATUS_LIST_CLAIM_MISSING', 'Status List Token has no "sub"')
  if (typeof raw.sub !== 'string') fail('ERR_STATUS_LIST_CLAIM_INVALID', 'Status List Token "sub" must be a string')
  const iat = numericClaim(raw.iat, 'iat')
  if (iat === undefined) fail('ERR_STATUS_LIST_CLAIM_MISSING', 'Status List Token has no "iat"')
  const out: StatusListTokenClaims = { sub: raw.sub, iat }
  const exp = numericClaim(raw.exp, 'exp')
  if (exp !== undefined) out.exp = exp
  const ttl = numericClaim(raw.ttl, 'ttl')
  if (ttl !== undefined) {
    // §5.1: "a positive number"; §5.2: an unsigned integer.
    if (!(ttl > 0)) fail('ERR_STATUS_LIST_CLAIM_INVALID', 'Status List Token "ttl" must be positive')
    out.ttl = ttl
  }
  if (raw.iss !== undefined) {
    if (typeof raw.iss !== 'string') fail('ERR_STATUS_LIST_CLAIM_INVALID', 'Status List Token "iss" must be a string')
    out.iss = raw.iss
  }
  return out
}

/** §8.3 step 4 time codes; a Status List Token has no nbf rule. */
const STATUS_LIST_TIMES = {
  invalid: { code: 'ERR_STATUS_LIST_CLAIM_INVALID', message: (claim: string) => `Status List Token "${claim}" must be a number` },
  expired: { code: 'ERR_STATUS_LIST_EXPIRED', message: 'Status List Token is expired' },
  iatInFuture: { code: 'ERR_STATUS_LIST_IAT_IN_FUTURE', message: 'Status List Token "iat" is in the future' },
  tooOld: { code: 'ERR_STATUS_LIST_TOO_OLD', message: 'Status List Token is older than the freshness policy allows' },
} as const satisfies TokenTimeRules

/**
 * Applies §8.3 step 4 and §8.4. Error codes: ERR_STATUS_LIST_SUB_MISMATCH, ERR_STATUS_LIST_EXPIRED,
 * ERR_STATUS_LIST_IAT_IN_FUTURE, ERR_STATUS_LIST_TOO_OLD, ERR_STATUS_LIST_CLAIM_MISSING, ERR_STATUS_LIST_TIME_MISMATCH.
 */
export function checkStatusListClaims(claims: StatusListTokenClaims, policy: StatusListTokenPolicy): void {
  // §8.3 step 4a: exact string comparison, no normalisation (a different spelling is a different list).
  if (claims.sub !== policy.uri) fail('ERR_STATUS_LIST_SUB_MISMATCH', `Status List Token "sub" ${JSON.stringify(claims.sub)} is not the uri it was fetched from`)
  const skew = policy.skew ?? 0
  if (claims.exp === undefined && policy.requireExp === true) fail('ERR_STATUS_LIST_CLAIM_MISSING', 'Status List Token has no "exp"')
  if (policy.time !== undefined) {
    if (claims.exp === undefined) fail('ERR_STATUS_LIST_TIME_MISMATCH', 'historical Status List Token has no "exp" to check "time" against')
    if (!(claims.iat <= policy.time && policy.time <= claims.exp)) {
      fail('ERR_STATUS_LIST_TIME_MISMATCH', `Status List Token is not valid at time ${policy.time} (iat ${claims.iat}, exp ${claims.exp})`)
    }
    return
  }
  const now = (policy.now ?? systemNowSeconds)()
  checkTokenTimes(claims, { now, skew, ...(policy.maxAge === undefined ? {} : { maxAge: policy.maxAge }), codes: STATUS_LIST_TIMES })
}
