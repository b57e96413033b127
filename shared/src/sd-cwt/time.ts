/**
 * @module sd-cwt/time
 * Time rules of §9 steps 3 and 7, within each token, between the two tokens, and
 * against the verifier's clock (RFC 8392 §3.1.4-3.1.6: valid while now < exp and now >= nbf), with skew.
 */
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import { CWT_CLAIM } from './constants.js'
import { checkTokenTimes } from '../token-times.js'
import type { TokenTimeRules } from '../token-times.js'

/** exp / nbf / iat of a token (seconds since the epoch; floats allowed). */
export interface TokenTimes {
  exp?: number
  nbf?: number
  iat?: number
}

/** A clock: seconds since the epoch, or a function returning them. */
export type Clock = number | (() => number)

/** The current time of a clock (default: the system clock). */
export function nowOf(clock: Clock | undefined): number {
  const t = clock === undefined ? Date.now() / 1000 : typeof clock === 'function' ? clock() : clock
  if (!Number.isFinite(t)) throw new E2eidError('ERR_SDCWT_CLOCK_INVALID', 'the clock returned a non-finite time')
  return t
}

function timeClaim(claims: Map<unknown, unknown>, label: number, what: string, code: ErrorCode): number | undefined {
  const v = claims.get(label)
  if (v === undefined) return undefined
  // §2: int, or a float within ±2^53; never NaN or ±Infinity.
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 2 ** 53) throw new E2eidError(code, `${what} must be a finite number`)
  return v
}

/** Reads and type-checks exp, nbf, iat. */
export function readTimes(claims: Map<unknown, unknown>, kbt: boolean): TokenTimes {
  const code = kbt ? 'ERR_SDCWT_KBT_TIME_INVALID' : 'ERR_SDCWT_TIME_INVALID'
  const t: TokenTimes = {}
  const exp = timeClaim(claims, CWT_CLAIM.exp, 'exp', code)
  const nbf = timeClaim(claims, CWT_CLAIM.nbf, 'nbf', code)
  const iat = timeClaim(claims, CWT_CLAIM.iat, 'iat', code)
  if (exp !== undefined) t.exp = exp
  if (nbf !== undefined) t.nbf = nbf
  if (iat !== undefined) t.iat = iat
  return t
}

/** Within one token: nbf ≤ iat, iat < exp, nbf < exp (each when both exist). */
export function checkTimesConsistent(t: TokenTimes, kbt: boolean): void {
  const code = kbt ? 'ERR_SDCWT_KBT_TIME_INCONSISTENT' : 'ERR_SDCWT_TIME_INCONSISTENT'
  const who = kbt ? 'KBT' : 'SD-CWT'
  if (t.nbf !== undefined && t.iat !== undefined && !(t.nbf <= t.iat)) throw new E2eidError(code, `${who} nbf is after its iat`)
  if (t.iat !== undefined && t.exp !== undefined && !(t.iat < t.exp)) throw new E2eidError(code, `${who} iat is not before its exp`)
  if (t.nbf !== undefined && t.exp !== undefined && !(t.nbf < t.exp)) throw new E2eidError(code, `${who} nbf is not before its exp`)
}

/** The SD-CWT and KBT time codes (§9 steps 3 and 7). */
const SD_CWT_TIMES = {
  invalid: { code: 'ERR_SDCWT_TIME_INVALID', message: (claim: string) => `${claim} must be a finite number` },
  expired: { code: 'ERR_SDCWT_EXPIRED', message: (_: string, v: unknown) => `SD-CWT expired at ${String(v)}` },
  notYetValid: { code: 'ERR_SDCWT_NOT_YET_VALID', message: (_: string, v: unknown) => `SD-CWT is not valid before ${String(v)}` },
  iatInFuture: { code: 'ERR_SDCWT_IAT_IN_FUTURE', message: (_: string, v: unknown) => `SD-CWT iat ${String(v)} is in the future` },
} as const satisfies TokenTimeRules
const KBT_TIMES = {
  invalid: { code: 'ERR_SDCWT_KBT_TIME_INVALID', message: (claim: string) => `${claim} must be a finite number` },
  expired: { code: 'ERR_SDCWT_KBT_EXPIRED', message: (_: string, v: unknown) => `KBT expired at ${String(v)}` },
  notYetValid: { code: 'ERR_SDCWT_KBT_NOT_YET_VALID', message: (_: string, v: unknown) => `KBT is not valid before ${String(v)}` },
  iatInFuture: { code: 'ERR_SDCWT_KBT_IAT_IN_FUTURE', message: (_: string, v: unknown) => `KBT iat ${String(v)} is in the future` },
  tooOld: { code: 'ERR_SDCWT_KBT_TOO_OLD', message: 'the KBT iat is older than allowed' },
} as const satisfies TokenTimeRules

/** Against the clock: now < exp + skew, now ≥ nbf − skew, iat ≤ now + skew; a KBT's iat not older than `maxAge`. */
export function checkTimesAgainstNow(t: TokenTimes, now: number, skew: number, kbt: boolean, maxAge?: number): void {
  checkTokenTimes(t, { now, skew, ...(maxAge === undefined ? {} : { maxAge }), codes: kbt ? KBT_TIMES : SD_CWT_TIMES })
}

/**
 * Between the tokens (§9 step 7): KBT exp ≤ SD-CWT exp; KBT nbf ≥ SD-CWT nbf; KBT iat ≥ SD-CWT iat;
 * KBT nbf < SD-CWT exp; KBT iat < SD-CWT exp; KBT iat ≥ SD-CWT nbf. The KBT is never valid when the SD-CWT is not.
 */
export function checkTimesBetween(kbt: TokenTimes, sd: TokenTimes): void {
  if (kbt.exp !== undefined && sd.exp !== undefined && !(kbt.exp <= sd.exp)) throw new E2eidError('ERR_SDCWT_KBT_OUTLIVES_SD_CWT', 'KBT exp is after the SD-CWT exp')
  if (kbt.nbf !== undefined && sd.nbf !== undefined && !(kbt.nbf >= sd.nbf)) throw new E2eidError('ERR_SDCWT_KBT_BEFORE_SD_CWT', 'KBT nbf is before the SD-CWT nbf')
  if (kbt.iat !== undefined && sd.iat !== undefined && !(kbt.iat >= sd.iat)) throw new E2eidError('ERR_SDCWT_KBT_BEFORE_SD_CWT', 'KBT iat is before the SD-CWT iat')
  if (kbt.iat !== undefined && sd.nbf !== undefined && !(kbt.iat >= sd.nbf)) throw new E2eidError('ERR_SDCWT_KBT_BEFORE_SD_CWT', 'KBT iat is before the SD-CWT nbf')
  if (kbt.nbf !== undefined && sd.exp !== undefined && !(kbt.nbf < sd.exp)) throw new E2eidError('ERR_SDCWT_KBT_AFTER_SD_CWT_EXPIRY', 'KBT nbf is not before the SD-CWT exp')
  if (kbt.iat !== undefined && sd.exp !== undefined && !(kbt.iat < sd.exp)) throw new E2eidError('ERR_SDCWT_KBT_AFTER_SD_CWT_EXPIRY', 'KBT iat is not before the SD-CWT exp')
}
