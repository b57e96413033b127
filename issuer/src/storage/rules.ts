/**
 * @module storage/rules
 * Decisions both backends share; each backend runs them inside its own transaction.
 */
import { bytesEqual, utf8Encode } from '@e2eid/shared'
import type { OfferRecord } from './repository.js'

/** Hash comparison without early exit (the hashes are of secrets). */
export function sameHash(a: string, b: string): boolean {
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
    // Issue 15: the wallet can tell the person how many tries are left (this one counted).
    if (!sameHash(offer.txCodeHash, txCodeHash)) return { kind: 'fail', offerId: offer.id, triesLeft: Math.max(0, maxTxCodeFailures - offer.txCodeFailures - 1) }
  } else if (txCodeHash !== null) {
    return { kind: 'reject', reason: 'tx_code_unexpected' }
  }
  return { kind: 'accept', offer }
}
