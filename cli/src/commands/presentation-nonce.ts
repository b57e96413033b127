/**
 * @module commands/presentation-nonce
 * What `e2eid verify` and `e2eid sd-cwt verify` agree on:
 * - `--nonce STR`: an SD-JWT KB-JWT `nonce` is the string; an SD-CWT KBT `cnonce` is a byte string, given as hex,
 *   or, when the value is not hex, as its UTF-8 text (so one value works with both commands).
 * - The KBT / KB-JWT may be at most {@link DEFAULT_MAX_KBT_AGE} seconds old (`--max-kbt-age N` changes it).
 * - Without `--nonce`, a presentation that carries a nonce anyway is refused (ERR_VERIFY_NONCE_UNEXPECTED):
 *   the verifier did not ask for one, so whatever nonce it holds was meant for someone else (a replay).
 *   `--any-nonce` accepts such a presentation without checking its nonce.
 */
import { E2eidError, SD_JWT_VC_FORMAT, decodeCbor, decodeCoseSign1, decodeJwtUnverified, hexDecode, utf8Encode } from '@e2eid/shared'
import type { OptionTable } from '../command-help.js'

/** Default largest age of a key-binding token (its `iat`), in seconds: the verifier library's default too. */
const DEFAULT_MAX_KBT_AGE = 300

/** The options both verify commands take the same way, defined once so that they keep agreeing. */
export const KEY_BINDING_OPTIONS = {
  'any-nonce': { type: 'boolean', desc: 'Accept a presentation whatever nonce it carries (the nonce is not checked).' },
  'max-kbt-age': {
    type: 'string',
    arg: 'N',
    desc: "The largest age of the key-binding token's iat (the KBT's for SD-CWT), in seconds.",
    defaultIs: String(DEFAULT_MAX_KBT_AGE),
  },
  now: { type: 'string', arg: 'UNIX', desc: 'The verification time in Unix seconds.', defaultIs: 'now' },
} as const satisfies OptionTable

const HEX = /^([0-9a-fA-F]{2})+$/

/** The SD-CWT `cnonce` a `--nonce` value stands for: hex bytes, else the UTF-8 bytes of the text. */
export function cnonceFromFlag(value: string): Uint8Array {
  return HEX.test(value) ? hexDecode(value.toLowerCase()) : utf8Encode(value)
}

/** Parses `--max-kbt-age` (seconds, 1 … 10 years; default {@link DEFAULT_MAX_KBT_AGE}). Throws a TypeError for a bad value. */
export function maxKbtAgeFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_KBT_AGE
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1 || Number(value) > 315_360_000) throw new TypeError('--max-kbt-age must be a number of seconds (1 or more)')
  return Number(value)
}

/** Whether a key-binding token (KB-JWT of a compact SD-JWT, or an SD-CWT KBT) carries a nonce. Run after verification. */
export function presentationHasNonce(p: { format: typeof SD_JWT_VC_FORMAT; compact: string } | { format: 'sd-cwt'; bytes: Uint8Array }): boolean {
  if (p.format === SD_JWT_VC_FORMAT) {
    const kb = p.compact.slice(p.compact.lastIndexOf('~') + 1)
    if (kb === '') return false
    return decodeJwtUnverified(kb).payload.nonce !== undefined
  }
  const payload = decodeCoseSign1(p.bytes).payload
  if (payload === null) return false
  const claims = decodeCbor(payload)
  return claims instanceof Map && claims.has(39)
}

/** Throws ERR_VERIFY_NONCE_UNEXPECTED when no nonce was expected, none is allowed, and the presentation has one. */
export function refuseUnexpectedNonce(hasNonce: boolean, expected: boolean, anyNonce: boolean): void {
  if (hasNonce && !expected && !anyNonce) {
    throw new E2eidError('ERR_VERIFY_NONCE_UNEXPECTED', 'the presentation carries a nonce but none was expected: give the nonce you issued (--nonce), or --any-nonce to accept any')
  }
}
