/**
 * The verifier service's structured log: one line per request (route pattern, status, error code) and a
 * `presentation_refused` event with the verifier's error code; the vp_token, the nonce, the state, the result token
 * and the response_code never appear in it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '@e2eid/shared/node'
import { createHttpClient } from '../http.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { TrustStore } from '../trust/types.js'
import { NOW, VCT, issueSdJwt, makeAuthority, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import { createVerifierApp } from './app.js'

let auth: Authority
let trust: TrustStore
beforeAll(async () => {
  auth = await makeAuthority()
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

describe('verifier service log', () => {
  it('logs each request and a refused presentation with its code, never the presentation or the session secrets', async () => {
    const lines: string[] = []
    const a = createVerifierApp({
      publicUrl: 'https://verifier.example',
      trust,
      provider,
      now: () => NOW,
      policy: { credentialTypes: [VCT], formats: ['dc+sd-jwt'] },
      logger: createLogger({ level: 'info', pretty: false, destination: { write: (s) => void lines.push(s) } }),
    })
    const r = (await (await a.request('/requests', { method: 'POST' })).json()) as { id: string; request: Record<string, unknown>; result_token: string }
    const { vc, holder } = await issueSdJwt(auth)
    const stale = await presentSdJwt(vc, holder.privateJwk, ['org'], String(r.request.client_id), 'another-nonce')
    const body = new URLSearchParams({ vp_token: JSON.stringify({ sd_jwt: [stale] }), state: String(r.request.state) }).toString()
    const res = await a.request('/response', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
    expect(res.status).toBe(400)
    expect((await a.request(`/results/${r.id}?response_code=guessed-code-123456`)).status).toBe(401)

    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(records.find((x) => x.event === 'presentation_refused')).toMatchObject({ level: 'warn', error_code: 'ERR_SDJWT_KB_NONCE_MISMATCH', request_id: expect.any(String) })
    expect(records.filter((x) => x.msg === 'request').map((x) => [x.method, x.route, x.status, x.error_code])).toEqual([
      ['POST', '/requests', 201, undefined],
      ['POST', '/response', 400, 'ERR_SDJWT_KB_NONCE_MISMATCH'],
      ['GET', '/results/:id', 401, 'invalid_request'],
    ])
    const out = lines.join('')
    for (const secret of [stale, stale.split('~')[0]!, String(r.request.nonce), String(r.request.state), r.result_token, 'guessed-code-123456']) {
      expect(out).not.toContain(secret)
    }
  })
})
