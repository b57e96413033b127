import { describe, expect, it } from 'vitest'
import { errorCode } from './test-helpers/error-code.js'
import { formatDottedClaimPath, formatSdCwtClaimPath, parseClaimsPathPointer, parseDottedClaimPath, parseSdCwtClaimPath, selectByClaimsPath } from './claim-path.js'

describe('dotted claim paths (CLI, configs, SD-JWT holder)', () => {
  it('digits are indices, * a wildcard only where allowed, the caller\'s code on empty paths or segments', async () => {
    expect(parseDottedClaimPath('address.country', { code: 'X' })).toEqual(['address', 'country'])
    expect(parseDottedClaimPath('roles.1', { code: 'X' })).toEqual(['roles', 1])
    expect(parseDottedClaimPath('roles.*', { code: 'X' })).toEqual(['roles', '*'])
    expect(parseDottedClaimPath('roles.*', { code: 'X', wildcard: true })).toEqual(['roles', null])
    for (const bad of ['', 'a..b', '.a', 'a.']) expect(await errorCode(() => parseDottedClaimPath(bad, { code: 'X_PATH' }))).toBe('X_PATH')
    expect(formatDottedClaimPath(['roles', null, 0])).toBe('roles.*.0')
  })
  it('SD-CWT form: integer labels, quoted text labels, round trip', async () => {
    expect(parseSdCwtClaimPath('503.country')).toEqual([503, 'country'])
    expect(parseSdCwtClaimPath('"503"."a.b".-1')).toEqual(['503', 'a.b', -1])
    expect(formatSdCwtClaimPath(['503', 'a.b', -1, 'x'])).toBe('"503"."a.b".-1.x')
    expect(await errorCode(() => parseSdCwtClaimPath('a.'))).toBe('ERR_SDCWT_PATH_INVALID')
  })
})

describe('OpenID4VP 1.0 §7 claims path pointers', () => {
  const claims = { sub: 'x', '2': 'cwt-sub', roles: ['a', 'b'], address: { country: 'DE' }, list: [{ n: 1 }, { m: 2 }] }
  it('validation: non-empty array of strings, null and non-negative integers, at most 32', async () => {
    expect(parseClaimsPathPointer(['roles', null, 0], 'P')).toEqual(['roles', null, 0])
    for (const bad of [[], 'a', [-1], [1.5], [true], Array(33).fill('a')]) expect(await errorCode(() => parseClaimsPathPointer(bad, 'P'))).toBe('P')
  })
  it('§7.1 selection with concrete paths; an integer selects array elements only unless asked', async () => {
    expect(selectByClaimsPath(claims, ['roles', null])).toEqual([{ path: ['roles', 0], value: 'a' }, { path: ['roles', 1], value: 'b' }])
    expect(selectByClaimsPath(claims, ['list', null, 'n'])).toEqual([{ path: ['list', 0, 'n'], value: 1 }])
    expect(selectByClaimsPath(claims, ['roles', 5])).toEqual([])
    expect(selectByClaimsPath(claims, [2])).toEqual([])
    expect(selectByClaimsPath(claims, [2], { integerSelectsObjectKey: true })).toEqual([{ path: ['2'], value: 'cwt-sub' }])
    expect(selectByClaimsPath({ '2': 'cwt-sub' }, ['sub'], { aliases: { sub: '2' } })).toEqual([{ path: ['2'], value: 'cwt-sub' }])
    expect(selectByClaimsPath(claims, ['toString'])).toEqual([])
  })
})
