/**
 * @module token-times
 * The one validity-time check of every token (JWT, SD-JWT, KB-JWT, SD-CWT, KBT, Status List Token):
 * RFC 7519 §4.1.4-4.1.6 / RFC 8392 §3.1.4-3.1.6 against the caller's clock, with skew. Each caller passes
 * its own error codes as literal constants, so the codes stay those its tests and users know.
 */
import { E2eidError } from './errors.js'
import type { ErrorCode } from './errors.js'

/** The error a rule raises; the message may show the offending claim and value. */
interface TimeRule {
  readonly code: ErrorCode
  readonly message: string | ((claim: 'exp' | 'nbf' | 'iat', value: unknown) => string)
}

/**
 * The codes of one kind of token. A check whose rule is absent is not made (e.g. a holder checks only
 * `exp`); `invalid` is for a present claim that is not a finite number (RFC 7519 §2 NumericDate).
 */
export interface TokenTimeRules {
  readonly invalid: TimeRule
  /** A claim named in `require` is absent. */
  readonly missing?: TimeRule
  /** exp: invalid on or after it (RFC 7519 §4.1.4 "on or after"; RFC 8392 §3.1.4): now − skew ≥ exp. */
  readonly expired?: TimeRule
  /** nbf: invalid before it: now + skew < nbf. */
  readonly notYetValid?: TimeRule
  /** iat: issued in the future: iat > now + skew. */
  readonly iatInFuture?: TimeRule
  /** iat older than `maxAge`: now − skew − iat > maxAge (only with `maxAge`). */
  readonly tooOld?: TimeRule
}

/** Clock, skew and freshness of {@link checkTokenTimes}, all in seconds. */
export interface TokenTimeOptions {
  readonly now: number
  readonly skew: number
  /** Refuse an `iat` older than this (needs `codes.tooOld`). */
  readonly maxAge?: number
  /** Claims that must be present (checked after the types, with `codes.missing`). */
  readonly require?: readonly ('exp' | 'nbf' | 'iat')[]
  readonly codes: TokenTimeRules
}

function fail(rule: TimeRule, claim: 'exp' | 'nbf' | 'iat', value: unknown): never {
  throw new E2eidError(rule.code, typeof rule.message === 'string' ? rule.message : rule.message(claim, value))
}

function numericDate(value: unknown, claim: 'exp' | 'nbf' | 'iat', rules: TokenTimeRules): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(rules.invalid, claim, value)
  return value
}

/**
 * Type-checks exp, nbf and iat, then checks the `require`d ones are present, then checks exp, nbf, iat
 * (each when present and its rule given) in that order. Throws E2eidError with the caller's codes.
 */
export function checkTokenTimes(times: { readonly exp?: unknown; readonly nbf?: unknown; readonly iat?: unknown }, o: TokenTimeOptions): void {
  const { now, skew, codes } = o
  const exp = numericDate(times.exp, 'exp', codes)
  const nbf = numericDate(times.nbf, 'nbf', codes)
  const iat = numericDate(times.iat, 'iat', codes)
  for (const claim of o.require ?? []) {
    if (times[claim] === undefined) fail(codes.missing ?? codes.invalid, claim, undefined)
  }
  if (codes.expired !== undefined && exp !== undefined && now - skew >= exp) fail(codes.expired, 'exp', exp)
  if (codes.notYetValid !== undefined && nbf !== undefined && now + skew < nbf) fail(codes.notYetValid, 'nbf', nbf)
  if (codes.iatInFuture !== undefined && iat !== undefined && iat > now + skew) fail(codes.iatInFuture, 'iat', iat)
  if (codes.tooOld !== undefined && o.maxAge !== undefined && iat !== undefined && now - skew - iat > o.maxAge) fail(codes.tooOld, 'iat', iat)
}
