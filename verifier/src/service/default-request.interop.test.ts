/**
 * Issue 13, interop out of the box: the default OpenID4VP request names only formats third-party wallets parse.
 * The `dcql` package 3.x (used by Credo and oid4vc-ts) must accept its `dcql_query`; SD-CWT
 * (`application/sd-cwt`, project-defined) is asked for only when configured, because that package refuses a whole
 * query naming a format it does not know.
 */
import { DcqlQuery } from 'dcql'
import { describe, expect, it } from 'vitest'
import { createHttpClient } from '../http.js'
import { parseAuthorizationRequestUri } from '../openid4vp/request.js'
import { createTrustStore } from '../trust/trust-store.js'
import { NOW, VCT, provider } from '../test-helpers/fixtures.js'
import { createVerifierApp, defaultDcqlQuery } from './app.js'
import { createVerifierFromConfig } from './serve.js'

const trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: 'https://issuer.example', sources: [{ type: 'jwt_vc_issuer' }] }] })
const policy = { credentialTypes: [VCT], requiredClaims: [['org']], constraints: [{ path: ['org'], equals: 'example.com' }] }

async function newRequest(app: ReturnType<typeof createVerifierApp>) {
  const res = await app.request('/requests', { method: 'POST' })
  expect(res.status).toBe(201)
  return (await res.json()) as { request: { dcql_query: unknown; client_metadata: { vp_formats_supported: Record<string, unknown> } }; request_uri: string }
}

/** What a dcql-3.x wallet does with the request's query: parse, then validate (throws on failure). */
function dcqlParse(query: unknown) {
  const parsed = DcqlQuery.parse(query as DcqlQuery.Input)
  DcqlQuery.validate(parsed)
  return parsed
}

describe('default OpenID4VP request (OpenID4VP 1.0 §6, App. B.3.5) parsed by the dcql package 3.x', () => {
  it('asks for dc+sd-jwt only, and dcql parses and validates its dcql_query (JSON and openid4vp:// forms)', async () => {
    const app = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => NOW, policy })
    const r = await newRequest(app)
    const parsed = dcqlParse(r.request.dcql_query)
    expect(parsed.credentials.map((c) => c.format)).toEqual(['dc+sd-jwt'])
    expect(parsed.credentials[0]).toMatchObject({ meta: { vct_values: [VCT] }, claims: [{ path: ['org'] }] })
    expect(Object.keys(r.request.client_metadata.vp_formats_supported)).toEqual(['dc+sd-jwt'])
    const byUri = parseAuthorizationRequestUri(r.request_uri)
    expect(dcqlParse(byUri.dcql_query).credentials).toHaveLength(1)
  })

  it('SD-CWT only when configured (request_sd_cwt): a second credential_sets option, which dcql 3.x refuses', async () => {
    const { app } = createVerifierFromConfig({
      publicUrl: 'https://verifier.example',
      provider,
      config: { authorities: [{ issuer: 'https://issuer.example', jwt_vc_issuer: true }], policy: { credential_types: [VCT] }, request_sd_cwt: true },
    })
    const r = await newRequest(app)
    const q = r.request.dcql_query as { credentials: Array<{ id: string; format: string }>; credential_sets: unknown }
    expect(q.credentials.map((c) => c.format)).toEqual(['dc+sd-jwt', 'application/sd-cwt'])
    expect(q.credential_sets).toEqual([{ options: [['sd_jwt'], ['sd_cwt']] }])
    expect(Object.keys(r.request.client_metadata.vp_formats_supported)).toEqual(['dc+sd-jwt', 'application/sd-cwt'])
    // The reason it is not the default: the whole query, SD-JWT VC part included, is refused by a dcql-3.x wallet.
    expect(() => dcqlParse(q)).toThrow()
  })

  it('a policy accepting SD-CWT alone asks for SD-CWT; SD-JWT VC without credential types is a configuration error', () => {
    expect(defaultDcqlQuery({ formats: ['sd-cwt'] }).credentials.map((c) => c.format)).toEqual(['application/sd-cwt'])
    expect(defaultDcqlQuery({ credentialTypes: [VCT] })).toEqual({ credentials: [{ id: 'sd_jwt', format: 'dc+sd-jwt', meta: { vct_values: [VCT] } }] })
    expect(() => defaultDcqlQuery({})).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
  })
})
