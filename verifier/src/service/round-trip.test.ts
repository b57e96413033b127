/**
 * Issue 6: the OpenID4VP round trip through the service with both formats, keys discovered from the issuer's
 * well-known documents and status lists from a loopback "issuer"; the verifier contacts the issuer only for
 * configured key sets and status lists (asserted on the one injected fetch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StatusList, base64urlEncode, encodeCbor, jwkToCoseKey, signStatusListCwt, signStatusListJwt } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import { createStatusChecker } from '../status/checker.js'
import { recordingFetch, startLoopback } from '../test-helpers/loopback.js'
import type { Loopback } from '../test-helpers/loopback.js'
import { NOW, VCT, issueSdCwtFor, issueSdJwt, makeAuthority, presentSdCwt, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import { createTrustStore } from '../trust/trust-store.js'
import { createVerifierApp } from './app.js'
import { SD_CWT_FORMAT_ID } from '../dcql/format-ids.js'

let issuer: Loopback
let auth: Authority
const revoked = new Set<number>()

async function publishLists(): Promise<void> {
  const list = StatusList.create(256, 2)
  for (const i of revoked) list.set(i, 1)
  const jwt = await signStatusListJwt({ list, sub: `${issuer.origin}/status-lists/jwt`, iat: NOW, exp: NOW + 3600, ttl: 60, key: { ...auth.keys.privateJwk, kid: auth.kid }, provider })
  issuer.routes.set('/status-lists/jwt', { contentType: 'application/statuslist+jwt', body: jwt })
  const cwt = await signStatusListCwt({ list, sub: `${issuer.origin}/status-lists/cwt`, iat: NOW, exp: NOW + 3600, ttl: 60, key: { ...auth.keys.privateJwk, kid: auth.kid }, provider })
  issuer.routes.set('/status-lists/cwt', { contentType: 'application/statuslist+cwt', body: cwt })
}

beforeAll(async () => {
  issuer = await startLoopback()
  auth = await makeAuthority(issuer.origin, 'k1', 'EdDSA')
  issuer.routes.set('/.well-known/jwt-vc-issuer', { body: JSON.stringify({ issuer: issuer.origin, jwks: { keys: [auth.publicJwk] } }) })
  issuer.routes.set('/.well-known/cose-keys', { contentType: 'application/cose-key-set', body: encodeCbor([jwkToCoseKey(auth.publicJwk, { includeKid: true })]) })
  await publishLists()
})
afterAll(() => issuer.close())

function setup() {
  const rec = recordingFetch()
  const http = createHttpClient({ fetch: rec.fetch, allowInsecureLoopback: true })
  const trust = createTrustStore({
    http,
    authorities: [{ issuer: issuer.origin, sources: [{ type: 'jwt_vc_issuer' }, { type: 'cose_key_set_uri', uri: `${issuer.origin}/.well-known/cose-keys` }] }],
  })
  const app = createVerifierApp({
    publicUrl: 'https://verifier.example',
    trust,
    status: createStatusChecker({ http, provider, now: () => NOW }),
    provider,
    now: () => NOW,
    policy: { constraints: [{ path: ['org'], equals: 'example.com' }], credentialTypes: [VCT] },
    dcqlQuery: {
      credentials: [
        { id: 'alice_jwt', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['org'] }] },
        { id: 'bob_cwt', format: SD_CWT_FORMAT_ID, meta: { vct_values: [VCT] }, claims: [{ path: ['org'] }, { path: ['role'] }] },
      ],
    },
  })
  return { rec, app }
}

async function respond(app: ReturnType<typeof setup>['app'], vpFor: (aud: string, nonce: string) => Promise<Record<string, string[]>>) {
  const created = (await (await app.request('/requests', { method: 'POST' })).json()) as { id: string; result_token: string; request: { client_id: string; nonce: string; state: string } }
  const vpToken = await vpFor(created.request.client_id, created.request.nonce)
  const res = await app.request('/response', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vp_token: JSON.stringify(vpToken), state: created.request.state }).toString(),
  })
  const result = (await (await app.request(`/results/${created.id}`, { headers: { authorization: `Bearer ${created.result_token}` } })).json()) as Record<string, unknown>
  return { status: res.status, result }
}

describe('OpenID4VP round trip with SD-JWT VC and SD-CWT, discovered keys, real status lists', () => {
  it('verifies both presentations; the verifier fetched only key sets and status lists', async () => {
    revoked.clear()
    await publishLists()
    const { rec, app } = setup()
    const a = await issueSdJwt(auth, { status: { uri: `${issuer.origin}/status-lists/jwt`, idx: 3 } })
    const b = await issueSdCwtFor(auth, { status: { uri: `${issuer.origin}/status-lists/cwt`, idx: 4 } })
    const { status, result } = await respond(app, async (aud, nonce) => ({
      alice_jwt: [await presentSdJwt(a.vc, a.holder.privateJwk, ['org'], aud, nonce)],
      // OpenID4VCI §8.3 / our profile: binary presentations travel as base64url.
      bob_cwt: [base64urlEncode(await presentSdCwt(b.sdCwt, b.holder.privateJwk, ['org', 'role'], aud, nonce))],
    }))
    expect(status).toBe(200)
    expect(result).toMatchObject({
      status: 'verified',
      presentations: [
        { queryId: 'alice_jwt', format: 'dc+sd-jwt', issuer: issuer.origin, claims: { org: 'example.com' }, status: { status: 0 } },
        { queryId: 'bob_cwt', format: 'sd-cwt', issuer: issuer.origin, claims: { org: 'example.com', role: 'engineer' }, status: { status: 0 } },
      ],
    })
    expect([...new Set(rec.urls)].sort()).toEqual(
      [`${issuer.origin}/.well-known/cose-keys`, `${issuer.origin}/.well-known/jwt-vc-issuer`, `${issuer.origin}/status-lists/cwt`, `${issuer.origin}/status-lists/jwt`].sort(),
    )
  })

  it('a revoked member is refused through the service (ERR_STATUS_REVOKED)', async () => {
    revoked.clear()
    revoked.add(4)
    await publishLists()
    const { app } = setup()
    const a = await issueSdJwt(auth, { status: { uri: `${issuer.origin}/status-lists/jwt`, idx: 3 } })
    const b = await issueSdCwtFor(auth, { status: { uri: `${issuer.origin}/status-lists/cwt`, idx: 4 } })
    const { status, result } = await respond(app, async (aud, nonce) => ({
      alice_jwt: [await presentSdJwt(a.vc, a.holder.privateJwk, ['org'], aud, nonce)],
      bob_cwt: [base64urlEncode(await presentSdCwt(b.sdCwt, b.holder.privateJwk, ['org', 'role'], aud, nonce))],
    }))
    expect(status).toBe(400)
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'ERR_STATUS_REVOKED' } })
  })

  it('a response missing a required credential query is refused (DCQL §6.4.2)', async () => {
    revoked.clear()
    await publishLists()
    const { app } = setup()
    const a = await issueSdJwt(auth, { status: { uri: `${issuer.origin}/status-lists/jwt`, idx: 3 } })
    const { result } = await respond(app, async (aud, nonce) => ({ alice_jwt: [await presentSdJwt(a.vc, a.holder.privateJwk, ['org'], aud, nonce)] }))
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED' } })
  })
})
