import { describe, expect, it } from 'vitest'
import type { StoredCredential } from '../storage/schema.js'
import { matchDcql } from './dcql.js'

function cred(id: string, format: string, claims: Record<string, unknown>, disclosable: string[], vct?: string): StoredCredential {
  return {
    id, format, raw: '', issuer: 'https://i', credentialConfigurationId: 'c', keyId: 'k', claims,
    disclosablePaths: disclosable.map((p) => [p]), metadata: vct === undefined ? {} : { vct }, receivedAt: 0,
  }
}

const jwt = cred('j', 'dc+sd-jwt', { handle: '@alice', email: 'a@x', domain: 'example.com', iss: 'https://i' }, ['handle', 'email'], 'urn:mimi')
const cwt = cred('c', 'application/sd-cwt', { handle: '@alice', email: 'a@x' }, ['handle', 'email'])

describe('DCQL matching (OpenID4VP 1.0 §6)', () => {
  it('§6.1 claims without claim_sets: all listed claims are disclosed', () => {
    const m = matchDcql({ credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: ['urn:mimi'] }, claims: [{ path: ['handle'] }, { path: ['email'] }] }] }, [jwt, cwt])
    expect(m).toEqual([{ queryId: 'q', credentialId: 'j', paths: [['handle'], ['email']] }])
  })

  it('§6.1 no claims: nothing selectively disclosable is sent', () => {
    expect(matchDcql({ credentials: [{ id: 'q', format: 'application/sd-cwt', meta: {} }] }, [jwt, cwt])).toEqual([{ queryId: 'q', credentialId: 'c', paths: [] }])
  })

  it('claim_sets: the satisfiable option with the fewest disclosures wins', () => {
    const q = {
      credentials: [{
        id: 'q', format: 'dc+sd-jwt', meta: {},
        claims: [{ id: 'h', path: ['handle'] }, { id: 'e', path: ['email'] }, { id: 'd', path: ['domain'], values: ['example.com'] }],
        claim_sets: [['h', 'e'], ['d'], ['h']],
      }],
    }
    // `domain` is always visible: option ['d'] costs no disclosure at all.
    expect(matchDcql(q, [jwt])[0]?.paths).toEqual([['domain']])
  })

  it('§6.3 values: a value mismatch makes the query unsatisfiable', () => {
    const q = { credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: {}, claims: [{ path: ['domain'], values: ['other.org'] }] }] }
    expect(() => matchDcql(q, [jwt])).toThrow(expect.objectContaining({ code: 'ERR_WALLET_DCQL_UNSATISFIED' }))
  })

  it('meta.vct_values filters credentials', () => {
    const q = { credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } }] }
    expect(() => matchDcql(q, [jwt])).toThrow(expect.objectContaining({ code: 'ERR_WALLET_DCQL_UNSATISFIED' }))
  })

  it('optional credential sets may stay unsatisfied', () => {
    const q = {
      credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: {} }, { id: 'b', format: 'mso_mdoc', meta: {} }],
      credential_sets: [{ options: [['a']] }, { options: [['b']], required: false }],
    }
    expect(matchDcql(q, [jwt]).map((m) => m.queryId)).toEqual(['a'])
  })

  it('a malformed query is refused', () => {
    expect(() => matchDcql({ credentials: [] }, [jwt])).toThrow(expect.objectContaining({ code: 'ERR_WALLET_DCQL_INVALID' }))
  })

  it('§7 null path segment: every element of the array; values keep only matching elements', () => {
    const c = cred('a', 'dc+sd-jwt', { nationalities: ['DE', 'FR'], handle: '@a' }, ['nationalities'])
    expect(matchDcql({ credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: {}, claims: [{ path: ['nationalities', null] }] }] }, [c])[0]?.paths).toEqual([['nationalities', 0], ['nationalities', 1]])
    expect(matchDcql({ credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: {}, claims: [{ path: ['nationalities', null], values: ['FR'] }] }] }, [c])[0]?.paths).toEqual([['nationalities', 1]])
  })

  it('inherited object members are not claims', () => {
    const q = { credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: {}, claims: [{ path: ['constructor'] }] }] }
    expect(() => matchDcql(q, [jwt])).toThrow(expect.objectContaining({ code: 'ERR_WALLET_DCQL_UNSATISFIED' }))
  })
})
