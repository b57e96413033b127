/**
 * OpenID4VCI 1.0 §3.5 pre-authorized code flow through app.request(): offer → token (DPoP) → nonce →
 * credential (jwt proof) → SD-JWT VC that verifies with @sd-jwt/sd-jwt-vc and carries exactly the
 * user's attributes, cnf = the proof key, status, iat/nbf/exp.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SDJwtInstance } from '@sd-jwt/core'
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto'
import { base64urlDecode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, ISSUER, authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
})
afterEach(async () => {
  await f.close()
})

async function sdJwtVerifier(): Promise<SDJwtInstance<Record<string, unknown>>> {
  const jwks = (await (await f.app.request('/.well-known/jwt-vc-issuer')).json()) as { issuer: string; jwks: { keys: Array<Record<string, string>> } }
  expect(jwks.issuer).toBe(ISSUER)
  const key = createPublicKey({ key: jwks.jwks.keys[0]!, format: 'jwk' })
  return new SDJwtInstance<Record<string, unknown>>({
    hasher: (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : new Uint8Array(data)).digest()),
    hashAlg: 'sha-256',
    verifier: (data: string, sig: string) => {
      const alg = jwks.jwks.keys[0]!.alg
      return nodeVerify(alg === 'EdDSA' ? null : 'sha256', Buffer.from(data), alg === 'EdDSA' ? key : { key, dsaEncoding: 'ieee-p1363' }, base64urlDecode(sig))
    },
  })
}

describe('OpenID4VCI 1.0 §3.5 pre-authorized code flow (SD-JWT VC)', () => {
  it('issues a dc+sd-jwt credential bound to the proof key with the user attributes, status and validity', async () => {
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const holder = await keyPair(f.crypto, 'EdDSA')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    const res = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { credentials: Array<{ credential: string }>; notification_id: string }
    expect(body.credentials).toHaveLength(1)
    expect(typeof body.notification_id).toBe('string')
    const sdjwt = await sdJwtVerifier()
    const verified = await sdjwt.verify(body.credentials[0]!.credential, { currentDate: f.clock.now })
    const p = verified.payload as Record<string, unknown>
    expect(p.iss).toBe(ISSUER)
    expect(p.vct).toBe(`${ISSUER}/vct/mimi_identity_sd_jwt`)
    expect(p.iat).toBe(f.clock.now)
    expect(p.nbf).toBe(f.clock.now)
    expect(p.exp).toBe(f.clock.now + 30 * 24 * 3600)
    expect((p.cnf as { jwk: { x: string } }).jwk.x).toBe(holder.publicJwk.x)
    const status = (p.status as { status_list: { uri: string; idx: number } }).status_list
    expect(status.uri).toMatch(new RegExp(`^${ISSUER}/status-lists/`))
    // Exactly the user's attributes (all selectively disclosable by the default configuration) and nothing else.
    const registered = new Set(['iss', 'vct', 'iat', 'nbf', 'exp', 'cnf', 'status', '_sd_alg'])
    const claims = await sdjwt.getClaims(body.credentials[0]!.credential)
    const attributes = Object.fromEntries(Object.entries(claims as Record<string, unknown>).filter(([k]) => !registered.has(k)))
    expect(attributes).toEqual(ALICE_CLAIMS)
    // The record lists it with the same status list position.
    const list = (await (await f.app.request('/admin/users/alice/credentials', { headers: { authorization: `Bearer ${f.adminToken}` } })).json()) as Array<{
      status_list: { uri: string; idx: number }
      status: string
      format: string
    }>
    expect(list).toHaveLength(1)
    expect(list[0]!.status_list).toEqual(status)
    expect(list[0]!.status).toBe('valid')
    expect(list[0]!.format).toBe('dc+sd-jwt')
  })
})
