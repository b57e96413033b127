/**
 * The singular `proof` object of OpenID4VCI drafts 13–15 (`{ proof_type: "jwt", jwt }`, as sent by
 * @sphereon/oid4vci-client 0.20.1): with `accept_legacy_proof` (default on) it is one `proofs.jwt` entry with
 * the same checks (signature, aud, iat, joint nonce check); `proof` + `proofs` is invalid_credential_request.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import { decodeJwtUnverified } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'

let f: Fixture
let dpopKey: KeyPair
let holder: KeyPair
beforeEach(async () => {
  f = await makeFixture()
  dpopKey = await keyPair(f.crypto, 'ES256')
  holder = await keyPair(f.crypto, 'EdDSA')
})
afterEach(async () => {
  await f.close()
})

async function request(g: Fixture, accessToken: string, body: Record<string, unknown>): Promise<Response> {
  return json(g.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', ...body }, await authHeaders(g, dpopKey, accessToken, '/credential'))
}

async function errorOf(r: Response): Promise<{ status: number; error: unknown; code: unknown }> {
  const b = (await r.json()) as { error?: unknown; code?: unknown }
  return { status: r.status, error: b.error, code: b.code }
}

describe('singular proof (OpenID4VCI drafts 13-15), accept_legacy_proof on (default)', () => {
  it('is accepted as one proofs.jwt entry: the credential is bound to the proof key', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const jwt = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    const r = await request(f, accessToken, { proof: { proof_type: 'jwt', jwt } })
    expect(r.status).toBe(200)
    const body = (await r.json()) as { credentials: Array<{ credential: string }> }
    expect(body.credentials).toHaveLength(1)
    const payload = decodeJwtUnverified(body.credentials[0]!.credential.split('~')[0]!).payload as { cnf: { jwk: { x: string } } }
    expect(payload.cnf.jwk.x).toBe(holder.publicJwk.x)
  })

  it('gets the same checks: a bad signature is invalid_proof, and the refused proof does not consume the nonce; a replayed nonce is invalid_nonce', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const other = await keyPair(f.crypto, 'EdDSA')
    const forged = await jwtProof(f.crypto, other, { nonce, iat: f.clock.now, jwk: holder.publicJwk })
    expect(await errorOf(await request(f, accessToken, { proof: { proof_type: 'jwt', jwt: forged } }))).toMatchObject({ status: 400, error: 'invalid_proof', code: 'ERR_ISSUER_PROOF_SIGNATURE' })
    const stale = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now - 3600 })
    expect(await errorOf(await request(f, accessToken, { proof: { proof_type: 'jwt', jwt: stale } }))).toMatchObject({ status: 400, error: 'invalid_proof' })
    const good = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    expect((await request(f, accessToken, { proof: { proof_type: 'jwt', jwt: good } })).status).toBe(200)
    expect(await errorOf(await request(f, accessToken, { proof: { proof_type: 'jwt', jwt: good } }))).toMatchObject({ status: 400, error: 'invalid_nonce' })
  })

  it('a nonce bound to another access token is invalid_nonce with proof as with proofs', async () => {
    const a = await tokenAndNonce(f, dpopKey)
    const b = await tokenAndNonce(f, dpopKey)
    const jwt = await jwtProof(f.crypto, holder, { nonce: a.nonce, iat: f.clock.now })
    expect(await errorOf(await request(f, b.accessToken, { proof: { proof_type: 'jwt', jwt } }))).toMatchObject({ status: 400, error: 'invalid_nonce' })
  })

  it('proof and proofs together are invalid_credential_request', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const jwt = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    expect(await errorOf(await request(f, accessToken, { proof: { proof_type: 'jwt', jwt }, proofs: { jwt: [jwt] } }))).toMatchObject({
      status: 400,
      error: 'invalid_credential_request',
      code: 'ERR_ISSUER_PROOF_AND_PROOFS',
    })
  })

  it('another proof_type, a missing jwt, or a proof that is not an object is invalid_proof', async () => {
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const jwt = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    for (const proof of [{ proof_type: 'ldp_vp', jwt }, { proof_type: 'jwt' }, { proof_type: 'jwt', jwt: 7 }, { jwt }, jwt, [jwt], null]) {
      expect([JSON.stringify(proof), (await errorOf(await request(f, accessToken, { proof }))).error]).toEqual([JSON.stringify(proof), 'invalid_proof'])
    }
    // None of them consumed the nonce.
    expect((await request(f, accessToken, { proofs: { jwt: [jwt] } })).status).toBe(200)
  })
})

describe('accept_legacy_proof: false', () => {
  it('refuses the singular proof with invalid_credential_request (ERR_ISSUER_SINGULAR_PROOF)', async () => {
    const g = await makeFixture({ accept_legacy_proof: false })
    try {
      const { accessToken, nonce } = await tokenAndNonce(g, dpopKey)
      const jwt = await jwtProof(g.crypto, holder, { nonce, iat: g.clock.now })
      expect(await errorOf(await request(g, accessToken, { proof: { proof_type: 'jwt', jwt } }))).toMatchObject({
        status: 400,
        error: 'invalid_credential_request',
        code: 'ERR_ISSUER_SINGULAR_PROOF',
      })
      expect((await request(g, accessToken, { proofs: { jwt: [jwt] } })).status).toBe(200)
    } finally {
      await g.close()
    }
  })
})
