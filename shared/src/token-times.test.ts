import { describe, expect, it } from 'vitest'
import { errorCode } from './test-helpers/error-code.js'
import { checkTokenTimes } from './token-times.js'
import type { TokenTimeRules } from './token-times.js'

const NOW = 1_700_000_000
const CODES = {
  invalid: { code: 'T_INVALID', message: (claim: string) => `${claim} bad` },
  missing: { code: 'T_MISSING', message: 'missing' },
  expired: { code: 'T_EXPIRED', message: 'expired' },
  notYetValid: { code: 'T_NBF', message: 'nbf' },
  iatInFuture: { code: 'T_IAT', message: 'iat' },
  tooOld: { code: 'T_OLD', message: 'old' },
} as const satisfies TokenTimeRules

describe('checkTokenTimes: RFC 7519 §4.1.4-4.1.6 / RFC 8392 §3.1.4-3.1.6 with skew and the caller\'s codes', () => {
  it('exp: invalid on or after exp, skew tolerated', async () => {
    expect(await errorCode(() => checkTokenTimes({ exp: NOW }, { now: NOW, skew: 0, codes: CODES }))).toBe('T_EXPIRED')
    expect(await errorCode(() => checkTokenTimes({ exp: NOW + 1 }, { now: NOW, skew: 0, codes: CODES }))).toBe('no error')
    expect(await errorCode(() => checkTokenTimes({ exp: NOW }, { now: NOW, skew: 1, codes: CODES }))).toBe('no error')
  })
  it('nbf after now and iat in the future beyond the skew; iat older than maxAge', async () => {
    expect(await errorCode(() => checkTokenTimes({ nbf: NOW + 1 }, { now: NOW, skew: 0, codes: CODES }))).toBe('T_NBF')
    expect(await errorCode(() => checkTokenTimes({ nbf: NOW }, { now: NOW, skew: 0, codes: CODES }))).toBe('no error')
    expect(await errorCode(() => checkTokenTimes({ iat: NOW + 2 }, { now: NOW, skew: 1, codes: CODES }))).toBe('T_IAT')
    expect(await errorCode(() => checkTokenTimes({ iat: NOW + 1 }, { now: NOW, skew: 1, codes: CODES }))).toBe('no error')
    expect(await errorCode(() => checkTokenTimes({ iat: NOW - 11 }, { now: NOW, skew: 0, maxAge: 10, codes: CODES }))).toBe('T_OLD')
    expect(await errorCode(() => checkTokenTimes({ iat: NOW - 10 }, { now: NOW, skew: 0, maxAge: 10, codes: CODES }))).toBe('no error')
  })
  it('types are checked first, then presence, then exp, nbf, iat in that order', async () => {
    expect(await errorCode(() => checkTokenTimes({ exp: NOW - 1, iat: '1' }, { now: NOW, skew: 0, codes: CODES }))).toBe('T_INVALID')
    expect(await errorCode(() => checkTokenTimes({ exp: Number.POSITIVE_INFINITY }, { now: NOW, skew: 0, codes: CODES }))).toBe('T_INVALID')
    expect(await errorCode(() => checkTokenTimes({ exp: 'x' }, { now: NOW, skew: 0, require: ['iat'], codes: CODES }))).toBe('T_INVALID')
    expect(await errorCode(() => checkTokenTimes({ exp: NOW - 1 }, { now: NOW, skew: 0, require: ['iat'], codes: CODES }))).toBe('T_MISSING')
    expect(await errorCode(() => checkTokenTimes({ exp: NOW - 1, nbf: NOW + 1, iat: NOW + 1 }, { now: NOW, skew: 0, codes: CODES }))).toBe('T_EXPIRED')
    expect(await errorCode(() => checkTokenTimes({ nbf: NOW + 1, iat: NOW + 1 }, { now: NOW, skew: 0, codes: CODES }))).toBe('T_NBF')
  })
  it('a check whose rule the caller leaves out is not made (a holder checks only exp)', async () => {
    const onlyExp = { invalid: CODES.invalid, expired: CODES.expired }
    expect(await errorCode(() => checkTokenTimes({ nbf: NOW + 100, iat: NOW + 100 }, { now: NOW, skew: 0, maxAge: 1, codes: onlyExp }))).toBe('no error')
    expect(await errorCode(() => checkTokenTimes({ exp: NOW }, { now: NOW, skew: 0, codes: onlyExp }))).toBe('T_EXPIRED')
  })
})
