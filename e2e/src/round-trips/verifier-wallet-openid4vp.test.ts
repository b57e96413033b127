/**
 * Issue 6: the OpenID4VP round trip with presentations built by the wallet's own format handlers (@e2eid/wallet),
 * from the request URI the service hands out: request → wallet → direct_post → verdict.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { base64urlEncode } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { defaultFormatHandlers } from '@e2eid/wallet'
import { createHttpClient, SD_CWT_FORMAT_ID, parseAuthorizationRequestUri, createTrustStore, createVerifierApp } from '@e2eid/verifier'
import { NOW, VCT, issueSdCwtFor, issueSdJwt, makeAuthority, provider } from '@e2eid/verifier/testing'
import type { Authority } from '@e2eid/verifier/testing'

let auth: Authority
beforeAll(async () => {
  auth = await makeAuthority('https://issuer.example', 'k1', 'EdDSA')
})

const handlers = defaultFormatHandlers({ provider })
const signer = (kp: KeyPair) => ({
  alg: 'EdDSA' as const,
  publicJwk: kp.publicJwk,
  sign: (data: Uint8Array) => provider.sign('EdDSA', kp.privateJwk, data),
  withPrivateKey: <T>(use: (jwk: typeof kp.privateJwk) => Promise<T>) => use(kp.privateJwk),
})

describe('OpenID4VP round trip with the wallet format handlers', () => {
  for (const format of ['dc+sd-jwt', SD_CWT_FORMAT_ID] as const) {
    it(`${format}: the wallet answers the openid4vp:// request and the verifier accepts it`, async () => {
      const trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
      const app = createVerifierApp({
        publicUrl: 'https://verifier.example',
        trust,
        provider,
        now: () => NOW,
        policy: { credentialTypes: [VCT], requiredClaims: [['org']], constraints: [{ path: ['org'], equals: 'example.com' }], status: 'if-present' },
        dcqlQuery: { credentials: [{ id: 'id1', format, meta: { vct_values: [VCT] }, claims: [{ path: ['org'] }] }] },
      })
      const created = (await (await app.request('/requests', { method: 'POST' })).json()) as { id: string; request_uri: string; result_token: string }
      // Wallet side: only the URI.
      const req = parseAuthorizationRequestUri(created.request_uri) as { client_id: string; nonce: string; state: string; response_uri: string; dcql_query: { credentials: { id: string; claims: { path: string[] }[] }[] } }
      const q = req.dcql_query.credentials[0]!
      const handler = handlers.find((h) => h.formats.includes(format))!
      let raw: string
      let holder: KeyPair
      if (format === 'dc+sd-jwt') {
        const c = await issueSdJwt(auth)
        raw = c.vc
        holder = c.holder
      } else {
        const c = await issueSdCwtFor(auth)
        raw = base64urlEncode(c.sdCwt)
        holder = c.holder
      }
      const presentation = await handler.present(raw, { paths: q.claims.map((c) => c.path), aud: req.client_id, nonce: req.nonce }, signer(holder), NOW * 1000, provider)
      expect(req.response_uri).toBe('https://verifier.example/response')
      const res = await app.request('/response', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ vp_token: JSON.stringify({ [q.id]: [presentation] }), state: req.state }).toString(),
      })
      const result = (await (await app.request(`/results/${created.id}`, { headers: { authorization: `Bearer ${created.result_token}` } })).json()) as Record<string, unknown>
      expect(result, JSON.stringify(result)).toMatchObject({ status: 'verified', presentations: [{ queryId: 'id1', issuer: auth.iss, credentialType: VCT, claims: { org: 'example.com' } }] })
      expect(res.status).toBe(200)
      const claims = (result.presentations as { claims: Record<string, unknown> }[])[0]!.claims
      // Only what the query asked for was disclosed.
      expect(claims.email).toBeUndefined()
      expect(claims.role).toBeUndefined()
    })
  }
})
