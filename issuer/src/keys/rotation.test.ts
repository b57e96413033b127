/**
 * Key rotation: a second key signs from the moment it is added; the first, retired by kid, stays
 * published, so credentials it signed still verify; status lists are re-signed by the new key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeJwtUnverified, verifyJwt } from '@e2eid/shared'
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

async function issue(): Promise<string> {
  const dpopKey = await keyPair(f.crypto, 'ES256')
  const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
  const proof = await jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce, iat: f.clock.now })
  const r = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
  expect(r.status).toBe(200)
  return ((await r.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential.split('~')[0]!
}

describe('signing key rotation', () => {
  it('add a second key, retire the first by kid; both published; old credentials still verify', async () => {
    const old = await issue()
    const oldKid = decodeJwtUnverified(old).header.kid as string
    const added = await admin(f, '/admin/keys', { alg: 'EdDSA' })
    expect(added.status).toBe(201)
    const newKid = ((await added.json()) as { kid: string }).kid
    expect((await admin(f, `/admin/keys/${oldKid}/retire`)).status).toBe(200)
    expect((await admin(f, '/admin/keys/unknown-kid/retire')).status).toBe(404)
    const fresh = await issue()
    expect(decodeJwtUnverified(fresh).header.kid).toBe(newKid)
    const keys = ((await (await f.app.request('/.well-known/jwks.json')).json()) as { keys: PublicJwk[] }).keys
    expect(keys.map((k) => k.kid)).toEqual([newKid, oldKid])
    for (const jwt of [old, fresh]) {
      const v = await verifyJwt(jwt, { keys, typ: 'dc+sd-jwt', provider: f.crypto, checkTime: false })
      expect(v.payload.iss).toBeDefined()
    }
    const [cred] = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ status_list: { uri: string } }>
    const list = await (await f.app.request(new URL(cred!.status_list.uri).pathname)).text()
    expect(decodeJwtUnverified(list).header.kid).toBe(newKid)
  })
})
