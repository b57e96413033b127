/**
 * @module storage/rules
 * Decisions both backends share; each backend runs them inside its own transaction.
 */
import { bytesEqual, utf8Encode } from '@e2eid/shared'
import type { OfferRecord } from './repository.js'

/** Hash comparison without early exit (the hashes are of secrets). */
function sameHash(a: string, b: string): boolean {
  return bytesEqual(utf8Encode(a), utf8Encode(b))
}

/** What {@link decidePreAuthorized} concluded about one pre-authorized code exchange. */
export type PreAuthorizedDecision =
  | { kind: 'accept'; offer: OfferRecord }
  | { kind: 'fail'; offerId: string; triesLeft: number }
  | { kind: 'reject'; reason: 'used' | 'expired' | 'tx_code_required' | 'tx_code_unexpected' | 'locked' }

/**
 * The rules of the pre-authorized code grant (OpenID4VCI 1.0 §6.1, §13.x tx_code brute force), shared by
 * both backends: single use, expiry, lock after `maxTxCodeFailures` wrong tx_codes. A wrong tx_code
 * counts a failure (`fail`); a missing one does not (it guesses nothing). A tx_code sent for an offer
 * that requires none is refused (§6.3 invalid_request) without using the code up, so a wallet that
 * mistook the offer can retry without it.
 */
export function decidePreAuthorized(offer: OfferRecord, txCodeHash: string | null, now: number, maxTxCodeFailures: number): PreAuthorizedDecision {
  if (offer.usedAt !== null) return { kind: 'reject', reason: 'used' }
  if (now >= offer.expiresAt) return { kind: 'reject', reason: 'expired' }
  if (offer.txCodeFailures >= maxTxCodeFailures) return { kind: 'reject', reason: 'locked' }
  if (offer.txCodeHash !== null) {
    if (txCodeHash === null) return { kind: 'reject', reason: 'tx_code_required' }
    // The wallet can tell the person how many tries are left (this one counted).
    if (!sameHash(offer.txCodeHash, txCodeHash)) return { kind: 'fail', offerId: offer.id, triesLeft: Math.max(0, maxTxCodeFailures - offer.txCodeFailures - 1) }
  } else if (txCodeHash !== null) {
    return { kind: 'reject', reason: 'tx_code_unexpected' }
  }
  return { kind: 'accept', offer }
}

/**
 * The rules of fetching an offer by reference (OpenID4VCI 1.0 §4.1.3): the
 * `credential_offer_uri` is a bearer secret, so it serves the offer once, and only for `referenceTtl`
 * seconds after the offer was made (shorter than the code's own life), never after the code was used.
 */
export function decideOfferFetch(
  offer: OfferRecord,
  fetchedAt: number | null,
  now: number,
  referenceTtl: number,
): { ok: true; offer: OfferRecord } | { ok: false; reason: 'fetched' | 'used' | 'expired' } {
  if (offer.usedAt !== null) return { ok: false, reason: 'used' }
  if (fetchedAt !== null) return { ok: false, reason: 'fetched' }
  if (now >= offer.expiresAt || now >= offer.createdAt + referenceTtl) return { ok: false, reason: 'expired' }
  return { ok: true, offer }
}

/** How failed logins are throttled per account (login brute force). */
export interface LoginThrottlePolicy {
  /** Attempts allowed before the first lockout. */
  freeAttempts: number
  /** First lockout (s); each further attempt after a lockout doubles it. */
  baseLockSeconds: number
  /** Cap of the lockout (s). */
  maxLockSeconds: number
  /** The count is forgotten this long after the last attempt (or the end of the lockout). */
  forgetAfterSeconds: number
}

/** The default: 5 free attempts, then 30 s, 60 s, 120 s, ... at most 1 h; forgotten after a day. */
export const LOGIN_THROTTLE: LoginThrottlePolicy = { freeAttempts: 5, baseLockSeconds: 30, maxLockSeconds: 3600, forgetAfterSeconds: 24 * 3600 }

/** One account's login failure row. */
export interface LoginFailureRow {
  failures: number
  lockedUntil: number
  expiresAt: number
}

/** Result of {@link IssuerRepository.registerLoginAttempt}. */
export type LoginAttemptResult = { allowed: true; failures: number } | { allowed: false; retryAfter: number }

/**
 * The per-account login rule both backends share. An attempt is counted as a failure BEFORE the password
 * is checked (a success clears the count), so parallel guesses cannot all slip in before any failure is
 * recorded. While locked, nothing is counted and the password is not checked.
 */
export function decideLoginAttempt(
  row: LoginFailureRow | null,
  now: number,
  policy: LoginThrottlePolicy,
): { result: LoginAttemptResult; next: LoginFailureRow | null } {
  const live = row !== null && row.expiresAt > now ? row : null
  if (live !== null && live.lockedUntil > now) return { result: { allowed: false, retryAfter: live.lockedUntil - now }, next: null }
  const failures = (live?.failures ?? 0) + 1
  let lockedUntil = live?.lockedUntil ?? 0
  if (failures >= policy.freeAttempts) {
    const doublings = Math.min(30, failures - policy.freeAttempts)
    lockedUntil = now + Math.min(policy.maxLockSeconds, policy.baseLockSeconds * 2 ** doublings)
  }
  return { result: { allowed: true, failures }, next: { failures, lockedUntil, expiresAt: Math.max(lockedUntil, now) + policy.forgetAfterSeconds } }
}

/** Start of the fixed window of `windowSeconds` that contains `now`. */
export function windowStart(now: number, windowSeconds: number): number {
  return Math.floor(now / windowSeconds) * windowSeconds
}
