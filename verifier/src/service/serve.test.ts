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

  it('needs a public URL; a bad DCQL query in the config refuses to start and leaves no server behind', async () => {
    expect(() => createVerifierFromConfig({ config: { authorities: [{ issuer: 'x', did: true }] } })).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
    await expect(startVerifierServer({ port: 0, config: { authorities: [{ issuer: 'x', did: true }], dcql_query: { credentials: [] } } })).rejects.toSatisfy((e: unknown) => isE2eidError(e, 'ERR_DCQL_INVALID'))
  })
})
