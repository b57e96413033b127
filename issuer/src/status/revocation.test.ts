/**
 * draft-ietf-oauth-status-list §5/§8: the published statuslist+jwt is signed by the authority's key,
 * carries ttl, and a revocation/suspension/reinstatement shows in the next list fetched.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { verifyStatusListJwt } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { admin, authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
})
afterEach(async () => {
  await f.close()
})

async function statusOf(uri: string, idx: number): Promise<{ status: number; ttl: number | undefined }> {
  const path = new URL(uri).pathname
  const res = await f.app.request(path)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/statuslist+jwt')
  const keys = ((await (await f.app.request('/.well-known/jwks.json')).json()) as { keys: PublicJwk[] }).keys
  const v = await verifyStatusListJwt(await res.text(), { keys, provider: f.crypto, now: () => f.clock.now, uri, requireExp: true })
  expect(v.claims.sub).toBe(uri)
  return { status: v.list.get(idx), ttl: v.claims.ttl }
}

describe('Token Status List publication (draft-ietf-oauth-status-list §5, §7)', () => {
  it('an independent verifier (@sd-jwt/sd-jwt-vc 0.19.0) follows the status reference: valid, then revoked', async () => {
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const proof = await jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce, iat: f.clock.now })
    const r = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
    const credential = ((await r.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential
    const jwk = ((await (await f.app.request('/.well-known/jwks.json')).json()) as { keys: Array<Record<string, string>> }).keys[0]!
    const key = createPublicKey({ key: jwk, format: 'jwk' })
    const verifier = (data: string, sig: string) =>
      nodeVerify(jwk.alg === 'EdDSA' ? null : 'sha256', Buffer.from(data), jwk.alg === 'EdDSA' ? key : { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))
    const sdjwt = new SDJwtVcInstance({
      hasher: (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : new Uint8Array(data)).digest()),
      hashAlg: 'sha-256',
      verifier,
      statusListFetcher: async (uri: string) => (await f.app.request(new URL(uri).pathname)).text(),
    })
    await expect(sdjwt.verify(credential)).resolves.toBeDefined()
    const [cred] = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ id: string }>
    await admin(f, `/admin/credentials/${cred!.id}/status`, { status: 'revoked' })
    await expect(sdjwt.verify(credential)).rejects.toThrow(/[Ss]tatus/)
  })

  it('revocation, suspension and reinstatement show in the next list fetched', async () => {
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
    const proof = await jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce, iat: f.clock.now })
    const r = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
    expect(r.status).toBe(200)
    const [cred] = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ id: string; status_list: { uri: string; idx: number } }>
    const { uri, idx } = cred!.status_list
    expect(await statusOf(uri, idx)).toEqual({ status: 0, ttl: 300 })

    expect((await admin(f, `/admin/credentials/${cred!.id}/status`, { status: 'suspended' })).status).toBe(200)
    expect((await statusOf(uri, idx)).status).toBe(2)
    expect((await admin(f, `/admin/credentials/${cred!.id}/status`, { status: 'valid' })).status).toBe(200)
    expect((await statusOf(uri, idx)).status).toBe(0)
    expect((await admin(f, `/admin/credentials/${cred!.id}/status`, { status: 'revoked' })).status).toBe(200)
    expect((await statusOf(uri, idx)).status).toBe(1)
    // Revocation is final.
    const back = await admin(f, `/admin/credentials/${cred!.id}/status`, { status: 'valid' })
    expect(back.status).toBe(409)
    expect((await statusOf(uri, idx)).status).toBe(1)
    expect((await admin(f, '/admin/credentials/unknown/status', { status: 'revoked' })).status).toBe(404)
  })
})
