import { describe, expect, it } from 'vitest'
import { isE2eidError } from '@e2eid/shared'
import { NOW, VCT, issueSdJwt, makeAuthority, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import { createVerifierFromConfig, startVerifierServer } from './serve.js'

describe('verifier service from a configuration', () => {
  it('createVerifierFromConfig: in-process app; keys fetched only through the injected fetch', async () => {
    const auth = await makeAuthority('https://issuer.example', 'k1', 'EdDSA')
    const urls: string[] = []
    const fetch = async (u: string) => {
      urls.push(u)
      return u === 'https://issuer.example/.well-known/jwt-vc-issuer' ? Response.json({ issuer: auth.iss, jwks: { keys: [auth.publicJwk] } }) : new Response('no', { status: 404 })
    }
    const v = createVerifierFromConfig({
      config: { public_url: 'https://verifier.example', authorities: [{ issuer: auth.iss, jwt_vc_issuer: true }], policy: { credential_types: [VCT], formats: ['dc+sd-jwt'], status: 'if-present' } },
      fetch,
      provider,
      now: () => NOW,
    })
    const created = (await (await v.app.request('/requests', { method: 'POST' })).json()) as { id: string; request: { client_id: string; nonce: string; state: string } }
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'], created.request.client_id, created.request.nonce)
    const res = await v.app.request('/response', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ sd_jwt: [vp] }), state: created.request.state }).toString(),
    })
    expect(res.status).toBe(200)
    expect(urls).toEqual(['https://issuer.example/.well-known/jwt-vc-issuer'])
  })

  it('negative_cache_seconds (config) reaches the trust store: a down authority is fetched once per window; 0 turns it off', async () => {
    let now = NOW
    let fetched = 0
    const fetch = async () => (fetched++, new Response('down', { status: 503 }))
    const make = (negative_cache_seconds?: number) =>
      createVerifierFromConfig({
        config: {
          public_url: 'https://verifier.example',
          authorities: [{ issuer: 'https://down.example', jwks_uri: 'https://down.example/jwks.json' }],
          policy: { credential_types: [VCT] },
          ...(negative_cache_seconds === undefined ? {} : { negative_cache_seconds }),
        },
        fetch,
        provider,
        now: () => now,
      }).trust
    const q = { iss: 'https://down.example', kid: undefined, format: 'dc+sd-jwt' } as const
    const refused = (e: unknown) => isE2eidError(e)
    // 5 s: fetched again once the 5 s window has passed
    const short = make(5)
    for (let i = 0; i < 3; i++) await expect(short.issuerKeys(q)).rejects.toSatisfy(refused)
    expect(fetched).toBe(1)
    now += 6
    await expect(short.issuerKeys(q)).rejects.toSatisfy(refused)
    expect(fetched).toBe(2)
    // 0: every lookup fetches
    fetched = 0
    const off = make(0)
    for (let i = 0; i < 3; i++) await expect(off.issuerKeys(q)).rejects.toSatisfy(refused)
    expect(fetched).toBe(3)
    // unset: the trust store's default (30 s) still applies, so 6 s later nothing is fetched again
    fetched = 0
    const dflt = make()
    await expect(dflt.issuerKeys(q)).rejects.toSatisfy(refused)
    now += 6
    await expect(dflt.issuerKeys(q)).rejects.toSatisfy(refused)
    expect(fetched).toBe(1)
    // out of range: refused at load
    expect(() => make(-1)).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
    expect(() => make(1.5)).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
  })

  it('needs a public URL; a bad DCQL query in the config refuses to start and leaves no server behind', async () => {
    expect(() => createVerifierFromConfig({ config: { authorities: [{ issuer: 'x', did: true }] } })).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
    await expect(startVerifierServer({ port: 0, config: { authorities: [{ issuer: 'x', did: true }], dcql_query: { credentials: [] } } })).rejects.toSatisfy((e: unknown) => isE2eidError(e, 'ERR_DCQL_INVALID'))
  })
})
