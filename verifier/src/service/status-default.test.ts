/**
 * Issue 14 item 8: the verifier service defaults to `status: 'required'`. A credential without a status reference
 * (an SD-CWT whose holder hid a redactable status, or one never given) is refused unless the deployment asks for
 * `if-present` explicitly.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../http.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { TrustStore } from '../trust/types.js'
import { issueSdJwt, makeAuthority, NOW, presentSdJwt, provider, VCT } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import type { VerifierPolicy } from '../policy/policy.js'
import { createVerifierApp } from './app.js'

let auth: Authority
let trust: TrustStore
beforeAll(async () => {
  auth = await makeAuthority()
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

async function answer(policy: VerifierPolicy): Promise<unknown> {
  const a = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => NOW, policy })
  const r = (await (await a.request('/requests', { method: 'POST' })).json()) as { id: string; request: Record<string, unknown>; result_token: string }
  const { vc, holder } = await issueSdJwt(auth) // no status claim
  const vp = await presentSdJwt(vc, holder.privateJwk, ['org'], String(r.request.client_id), String(r.request.nonce))
  await a.request('/response', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vp_token: JSON.stringify({ sd_jwt: [vp] }), state: String(r.request.state) }).toString(),
  })
  return (await a.request(`/results/${r.id}`, { headers: { authorization: `Bearer ${r.result_token}` } })).json()
}

describe('verifier service: status policy default', () => {
  it('attack (issue 14): a credential without a status reference is refused by default (ERR_POLICY_STATUS_MISSING)', async () => {
    expect(await answer({ credentialTypes: [VCT], formats: ['dc+sd-jwt'], requiredClaims: [['org']] })).toMatchObject({ status: 'rejected', error: { code: 'ERR_POLICY_STATUS_MISSING' } })
  })
  it("an explicit status: 'if-present' accepts it (authorities that publish no status lists)", async () => {
    expect(await answer({ credentialTypes: [VCT], formats: ['dc+sd-jwt'], requiredClaims: [['org']], status: 'if-present' })).toMatchObject({ status: 'verified' })
  })
})
