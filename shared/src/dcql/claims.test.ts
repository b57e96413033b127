import { describe, expect, it } from 'vitest'
import { dcqlCredentialSets, resolveDcqlClaimsQuery } from './claims.js'
import { zDcqlQuery } from './schema.js'

const claims = { nationalities: ['DE', 'FR'], address: { country: 'DE' }, '2': 'alice' }

describe('OpenID4VP 1.0 §6.3 Claims Query resolution (holder and verifier)', () => {
  it('all selected paths without values; only those with an exactly equal value with values; undefined when none', () => {
    expect(resolveDcqlClaimsQuery(claims, { path: ['nationalities', null] })).toEqual([['nationalities', 0], ['nationalities', 1]])
    expect(resolveDcqlClaimsQuery(claims, { path: ['nationalities', null], values: ['FR'] })).toEqual([['nationalities', 1]])
    expect(resolveDcqlClaimsQuery(claims, { path: ['address', 'country'], values: ['FR'] })).toBeUndefined()
    expect(resolveDcqlClaimsQuery(claims, { path: ['missing'] })).toBeUndefined()
  })
  it('SD-CWT JSON view only on request: an integer selects the label, sub aliases 2', () => {
    expect(resolveDcqlClaimsQuery(claims, { path: [2] })).toBeUndefined()
    expect(resolveDcqlClaimsQuery(claims, { path: [2] }, { integerSelectsObjectKey: true })).toEqual([['2']])
    expect(resolveDcqlClaimsQuery(claims, { path: ['sub'], values: ['alice'] }, { aliases: { sub: '2' } })).toEqual([['2']])
  })
})

describe('§6.4.2 credential sets', () => {
  it('without credential_sets, one required set whose one option is every query', () => {
    const q = zDcqlQuery.parse({ credentials: [{ id: 'a', format: 'application/sd-cwt', meta: {} }, { id: 'b', format: 'application/sd-cwt', meta: {} }] })
    expect(dcqlCredentialSets(q)).toEqual([{ options: [['a', 'b']], required: true }])
    const sets = [{ options: [['a'], ['b']], required: false }]
    expect(dcqlCredentialSets({ ...q, credential_sets: sets })).toBe(sets)
  })
})
