import { describe, expect, it } from 'vitest'
import { zVerifierPolicy } from './z-policy.js'
import { parseVerifierServiceConfig } from '../service/serve.js'
import { authoritiesFromConfig } from '../service/z-config.js'

describe('policy and service configuration files', () => {
  it('parses dotted and array claim paths, constraints, status and timing settings', () => {
    const p = zVerifierPolicy.parse({
      require_key_binding: true,
      formats: ['sd-cwt'],
      credential_types: ['urn:t'],
      required_claims: ['org', ['address', 'country'], 'roles.*', 'roles.0'],
      constraints: [{ path: 'org', equals: 'example.com' }, { path: ['sub'], one_of: ['im:a', 'im:b'] }],
      status: 'required',
      status_unavailable: 'grace-until-exp',
      max_age_seconds: 86400,
      clock_skew_seconds: 30,
      key_binding_max_age_seconds: 120,
    })
    expect(p).toEqual({
      requireKeyBinding: true,
      formats: ['sd-cwt'],
      credentialTypes: ['urn:t'],
      requiredClaims: [['org'], ['address', 'country'], ['roles', null], ['roles', 0]],
      constraints: [{ path: ['org'], equals: 'example.com' }, { path: ['sub'], oneOf: ['im:a', 'im:b'] }],
      status: 'required',
      statusUnavailable: 'grace-until-exp',
      maxAgeSeconds: 86400,
      clockSkewSeconds: 30,
      keyBindingMaxAgeSeconds: 120,
    })
  })

  it('refuses unknown members, empty path segments, constraints without a value', () => {
    expect(zVerifierPolicy.safeParse({ bogus: 1 }).success).toBe(false)
    expect(zVerifierPolicy.safeParse({ required_claims: ['a..b'] }).success).toBe(false)
    expect(zVerifierPolicy.safeParse({ constraints: [{ path: 'org' }] }).success).toBe(false)
    expect(zVerifierPolicy.safeParse({ status: 'maybe' }).success).toBe(false)
  })

  it('service config: authorities with their key sources; invalid config → ERR_VERIFY_CONFIG_INVALID', () => {
    const c = parseVerifierServiceConfig({
      authorities: [
        { issuer: 'https://i.example', jwt_vc_issuer: true, cose_key_set_uri: 'https://i.example/.well-known/cose-keys' },
        { issuer: 'did:web:i.example', did: true, formats: ['dc+sd-jwt'] },
      ],
    })
    expect(authoritiesFromConfig(c)).toEqual([
      { issuer: 'https://i.example', sources: [{ type: 'cose_key_set_uri', uri: 'https://i.example/.well-known/cose-keys' }, { type: 'jwt_vc_issuer' }] },
      { issuer: 'did:web:i.example', sources: [{ type: 'did' }], formats: ['dc+sd-jwt'] },
    ])
    for (const bad of [{}, { authorities: [] }, { authorities: [{ issuer: 'x' }] }, { authorities: [{ issuer: 'x', did: true }], extra: 1 }]) {
      expect(() => parseVerifierServiceConfig(bad)).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
    }
  })
})
