import { describe, expect, it } from 'vitest'
import { E2eidError } from '../errors.js'
import { mlsGroupAudience, mlsKeyPackageAudience } from './audience.js'

describe('specs/mls-profile.md §4: KBT aud convention', () => {
  it('names the group by its group_id under the service, and KeyPackages by the service', () => {
    expect(mlsGroupAudience('https://chat.example/', Uint8Array.of(0xfb, 0xff, 0x00))).toBe('https://chat.example/mls/groups/-_8A')
    expect(mlsKeyPackageAudience('https://chat.example')).toBe('https://chat.example/mls/key-packages')
  })
  it('different groups get different audiences, distinct from the KeyPackage audience', () => {
    const a = mlsGroupAudience('https://chat.example', Uint8Array.of(1))
    const b = mlsGroupAudience('https://chat.example', Uint8Array.of(2))
    expect(a).not.toBe(b)
    expect(a).not.toBe(mlsKeyPackageAudience('https://chat.example'))
  })
  it('refuses a relative service, a query and an empty group id', () => {
    for (const fn of [() => mlsKeyPackageAudience('chat'), () => mlsKeyPackageAudience('https://a.example/?x=1'), () => mlsGroupAudience('https://a.example', new Uint8Array())]) {
      expect(fn).toThrow(E2eidError)
    }
  })
})
