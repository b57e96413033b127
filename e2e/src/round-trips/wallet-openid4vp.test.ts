import { createVerifierApp, createHttpClient, createTrustStore } from '@e2eid/verifier'
import { createWebCryptoProvider, parsePublicJwk } from '@e2eid/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultFormatHandlers, parseOpenid4vpRequest, planOpenid4vpResponse, respondOpenid4vp } from '@e2eid/wallet'
import { ISSUER, testIssuer } from '@e2eid/issuer/testing'
import { memoryWallet } from '@e2eid/wallet/testing'

const provider = createWebCryptoProvider()
let issuer: Awaited<ReturnType<typeof testIssuer>>
beforeEach(async () => {
  issuer = await testIssuer()
})
afterEach(async () => {
  await issuer.close()
})

async function verifierFor(format: string, vct: string) {
  const keys = (await issuer.jwks()).map((k) => parsePublicJwk(k))
  const trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: ISSUER, sources: [{ type: 'keys', keys }] }] })
  return createVerifierApp({
    publicUrl: 'https://verifier.example',
    trust,
    provider,
    policy: { credentialTypes: [vct], requiredClaims: [['handle']], status: 'skip' },
    dcqlQuery: { credentials: [{ id: 'mimi', format, meta: { vct_values: [vct] }, claims: [{ path: ['handle'] }] }] },
  })
}

describe('OpenID4VP 1.0 direct_post with the project verifier (issuer → wallet → verifier)', () => {
  for (const [configuration, format] of [['mimi_identity_sd_jwt', 'dc+sd-jwt'], ['mimi_identity_sd_cwt', 'application/sd-cwt']] as const) {
    it(`${format}: plan shows the disclosures, the response is accepted, only handle is disclosed`, async () => {
      const fetchAll: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input)
        return url.startsWith('https://verifier.example/') ? verifier.request(new Request(url, init)) : issuer.fetch(input, init)
      }
      const wallet = memoryWallet(defaultFormatHandlers(), { fetch: fetchAll, trustedIssuers: [ISSUER] })
      const [cred] = await wallet.receive((await issuer.offer(configuration)).offer_uri)
      const verifier = await verifierFor(format, cred!.metadata.vct!)
      const created = (await (await verifier.request('/requests', { method: 'POST' })).json()) as { id: string; request_uri: string }

      const plan = await planOpenid4vpResponse(wallet, created.request_uri)
      expect(plan.items).toHaveLength(1)
      expect(plan.items[0]!.preview.disclosed).toEqual([['handle']])
      expect(plan.items[0]!.preview.claims.email).toBeUndefined()

      const r = await respondOpenid4vp(wallet, created.request_uri, fetchAll)
      expect(r.status).toBe(200)
      // OpenID4VP §8.2: the answer's redirect_uri carries the response_code that reads the verdict.
      const code = new URL((r.body as { redirect_uri: string }).redirect_uri).searchParams.get('response_code')
      const result = (await (await verifier.request(`/results/${created.id}?response_code=${code}`)).json()) as { status: string; presentations: Array<{ claims: Record<string, unknown> }> }
      expect(result.status, JSON.stringify(result)).toBe('verified')
      expect(result.presentations[0]!.claims.handle).toBe('im:alice@example.com')
      expect(result.presentations[0]!.claims.email).toBeUndefined()
      expect((await wallet.history(cred!.id))[0]!.aud).toBe('redirect_uri:https://verifier.example/response')
    })
  }

  it('refuses requests it cannot authenticate or answer safely', () => {
    const base = { response_type: 'vp_token', response_mode: 'direct_post', response_uri: 'https://v.example/response', nonce: 'ab', dcql_query: '{}' }
    const uri = (o: Record<string, string>) => `openid4vp://?${new URLSearchParams(o).toString()}`
    expect(() => parseOpenid4vpRequest(uri({ ...base, client_id: 'redirect_uri:https://evil.example/response' }))).toThrow(expect.objectContaining({ code: 'ERR_WALLET_OPENID4VP_UNSUPPORTED' }))
    expect(() => parseOpenid4vpRequest(uri({ ...base, client_id: 'x509_san_dns:v.example' }))).toThrow(expect.objectContaining({ code: 'ERR_WALLET_OPENID4VP_UNSUPPORTED' }))
    expect(() => parseOpenid4vpRequest(uri({ ...base, client_id: 'redirect_uri:https://v.example/response', response_mode: 'fragment' }))).toThrow(expect.objectContaining({ code: 'ERR_WALLET_OPENID4VP_UNSUPPORTED' }))
    expect(() => parseOpenid4vpRequest('openid4vp://?request_uri=https%3A%2F%2Fv.example%2Fr')).toThrow(expect.objectContaining({ code: 'ERR_WALLET_OPENID4VP_UNSUPPORTED' }))
    expect(() => parseOpenid4vpRequest(uri({ ...base, response_uri: 'http://v.example/response', client_id: 'redirect_uri:http://v.example/response' }))).toThrow(expect.objectContaining({ code: 'ERR_WALLET_OPENID4VP_INVALID' }))
    expect(parseOpenid4vpRequest(uri({ ...base, client_id: 'redirect_uri:https://v.example/response' })).nonce).toBe('ab')
  })
})
