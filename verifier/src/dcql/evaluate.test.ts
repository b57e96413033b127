import { describe, expect, it } from 'vitest'
import { isE2eidError } from '@e2eid/shared'
import { evaluateDcqlResponse, matchCredentialQuery, parseDcqlQuery } from './evaluate.js'
import type { DcqlPresentation } from './evaluate.js'
import { SD_CWT_FORMAT_ID } from './format-ids.js'

const VCT = 'https://issuer.example/vct/mimi-identity'
const sdJwt = (claims: Record<string, unknown>, keyBound = true): DcqlPresentation => ({ format: 'dc+sd-jwt', credentialType: VCT, claims: claims as never, keyBound })
const sdCwt = (claims: Record<string, unknown>): DcqlPresentation => ({ format: 'sd-cwt', credentialType: undefined, claims: claims as never, keyBound: true })

function code(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    if (isE2eidError(e)) return e.code
    throw e
  }
  return 'OK'
}

// The §6 example of reference/openid4vci.md §18, adapted.
const query = parseDcqlQuery({
  credentials: [
    {
      id: 'mimi_identity',
      format: 'dc+sd-jwt',
      meta: { vct_values: [VCT] },
      claims: [
        { id: 'h', path: ['handle'] },
        { id: 'e', path: ['email'] },
        { id: 'd', path: ['org'], values: ['example.com'] },
      ],
      claim_sets: [['h', 'd'], ['h', 'e']],
    },
    { id: 'cwt', format: SD_CWT_FORMAT_ID, meta: {}, claims: [{ path: ['sub'] }, { path: ['roles', null] }] },
  ],
  credential_sets: [{ options: [['mimi_identity'], ['cwt']] }],
})

describe('DCQL (OpenID4VP 1.0 §6)', () => {
  it('§6.1/§6.3: rejects malformed queries (duplicate ids, unknown claim_sets ids, missing vct_values, bad paths)', () => {
    const base = { id: 'a', format: 'dc+sd-jwt', meta: { vct_values: [VCT] } }
    expect(code(() => parseDcqlQuery({ credentials: [base, base] }))).toBe('ERR_DCQL_INVALID')
    expect(code(() => parseDcqlQuery({ credentials: [{ ...base, claims: [{ id: 'x', path: ['a'] }], claim_sets: [['y']] }] }))).toBe('ERR_DCQL_INVALID')
    expect(code(() => parseDcqlQuery({ credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: {} }] }))).toBe('ERR_DCQL_INVALID')
    expect(code(() => parseDcqlQuery({ credentials: [{ ...base, claims: [{ path: [] }] }] }))).toBe('ERR_DCQL_INVALID')
    expect(code(() => parseDcqlQuery({ credentials: [{ ...base, claims: [{ path: ['a', -1] }] }] }))).toBe('ERR_DCQL_INVALID')
    expect(code(() => parseDcqlQuery({ credentials: [base], credential_sets: [{ options: [['zz']] }] }))).toBe('ERR_DCQL_INVALID')
    expect(code(() => parseDcqlQuery({ credentials: [] }))).toBe('ERR_DCQL_INVALID')
  })

  it('§6.4.1: claim_sets: the first satisfiable option suffices; values must match exactly', () => {
    const q = query.credentials[0]!
    expect(code(() => matchCredentialQuery(q, sdJwt({ handle: '@a', org: 'example.com' })))).toBe('OK')
    expect(code(() => matchCredentialQuery(q, sdJwt({ handle: '@a', email: 'a@example.com' })))).toBe('OK')
    expect(code(() => matchCredentialQuery(q, sdJwt({ handle: '@a', org: 'evil.example' })))).toBe('ERR_DCQL_CLAIM_SETS_UNSATISFIED')
    expect(code(() => matchCredentialQuery(q, sdJwt({ org: 'example.com', email: 'x' })))).toBe('ERR_DCQL_CLAIM_SETS_UNSATISFIED')
  })

  it('§6.1: format, vct_values and holder binding (default required)', () => {
    const q = query.credentials[0]!
    expect(code(() => matchCredentialQuery(q, sdCwt({ handle: '@a', org: 'example.com' })))).toBe('ERR_DCQL_FORMAT_MISMATCH')
    expect(code(() => matchCredentialQuery(q, { ...sdJwt({ handle: '@a', org: 'example.com' }), credentialType: 'urn:other' }))).toBe('ERR_DCQL_META_MISMATCH')
    expect(code(() => matchCredentialQuery(q, sdJwt({ handle: '@a', org: 'example.com' }, false)))).toBe('ERR_DCQL_HOLDER_BINDING_MISSING')
  })

  it('§7 claims path pointers: null selects all array elements; CWT names match integer labels', () => {
    const q = query.credentials[1]!
    expect(code(() => matchCredentialQuery(q, sdCwt({ '2': 'im:alice@example.com', roles: ['admin'] })))).toBe('OK')
    expect(code(() => matchCredentialQuery(q, sdCwt({ '2': 'im:alice@example.com', roles: [] })))).toBe('ERR_DCQL_CLAIM_MISSING')
  })

  it('§6.4.2: credential_sets, unknown query ids and multiple', () => {
    expect(evaluateDcqlResponse(query, { cwt: [sdCwt({ sub: 's', roles: ['x'] })] }).satisfiedQueries).toEqual(['cwt'])
    expect(code(() => evaluateDcqlResponse(query, {}))).toBe('ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED')
    expect(code(() => evaluateDcqlResponse(query, { other: [sdCwt({})] }))).toBe('ERR_DCQL_UNKNOWN_QUERY_ID')
    const p = sdCwt({ sub: 's', roles: ['x'] })
    expect(code(() => evaluateDcqlResponse(query, { cwt: [p, p] }))).toBe('ERR_DCQL_MULTIPLE_NOT_ALLOWED')
    // Without credential_sets every query is required.
    const all = parseDcqlQuery({ credentials: query.credentials.map((c) => ({ ...c, path: undefined })) })
    expect(code(() => evaluateDcqlResponse(all, { cwt: [p] }))).toBe('ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED')
  })
})
