/**
 * Withdrawing a compromised signing key (issue 14). Attack: the authority's signing key leaks; before, a key
 * could only be retired, and retired keys stay published, so whatever the thief signs keeps verifying against
 * the authority's key documents. Now `POST /admin/keys/{kid}/compromise` makes it stop signing and removes it
 * from JWKS, jwt-vc-issuer, the COSE key set and did.json; status lists are re-signed by another key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeCbor, decodeJwtUnverified } from '@e2eid/shared'
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

async function publishedKids(): Promise<{ jwks: string[]; jwtVcIssuer: string[]; cose: number; did: string[] }> {
  const jwks = ((await (await f.app.request('/.well-known/jwks.json')).json()) as { keys: PublicJwk[] }).keys.map((k) => k.kid!)
  const meta = ((await (await f.app.request('/.well-known/jwt-vc-issuer')).json()) as { jwks: { keys: PublicJwk[] } }).jwks.keys.map((k) => k.kid!)
  const cose = decodeCbor(new Uint8Array(await (await f.app.request('/.well-known/cose-keys')).arrayBuffer())) as unknown[]
  const did = (await (await f.app.request('/.well-known/did.json')).json()) as { verificationMethod: Array<{ id: string }> }
  return { jwks, jwtVcIssuer: meta, cose: cose.length, did: did.verificationMethod.map((m) => m.id.slice(m.id.indexOf('#') + 1)) }
}

describe('withdrawing a compromised signing key (issue 14)', () => {
  it('the compromised key stops signing, disappears from JWKS, jwt-vc-issuer and COSE keys; status lists are re-signed', async () => {
    const before = await issue()
    const kid = decodeJwtUnverified(before).header.kid as string
    const statusUri = (decodeJwtUnverified(before).payload as { status: { status_list: { uri: string } } }).status.status_list.uri
    const statusPath = new URL(statusUri).pathname
    expect(decodeJwtUnverified(await (await f.app.request(statusPath)).text()).header.kid).toBe(kid)
    expect((await publishedKids()).jwks).toEqual([kid])

    const r = await admin(f, `/admin/keys/${kid}/compromise`, { since: f.clock.now - 60 })
    expect(r.status).toBe(200)
    const body = (await r.json()) as { kid: string; compromised_since: number; active_kid: string }
    expect(body).toMatchObject({ kid, compromised_since: f.clock.now - 60 })
    expect(body.active_kid).not.toBe(kid)

    const published = await publishedKids()
    expect(published.jwks).toEqual([body.active_kid])
    expect(published.jwtVcIssuer).toEqual([body.active_kid])
    expect(published.cose).toBe(1)
    expect(published.did).toEqual([body.active_kid])
    expect(decodeJwtUnverified(await issue()).header.kid).toBe(body.active_kid)
    expect(decodeJwtUnverified(await (await f.app.request(statusPath)).text()).header.kid).toBe(body.active_kid)
    const listed = (await (await admin(f, '/admin/keys', undefined, 'GET')).json()) as Array<{ kid: string; compromised_since: number | null }>
    expect(listed.find((k) => k.kid === kid)?.compromised_since).toBe(f.clock.now - 60)
    expect(listed.find((k) => k.kid === body.active_kid)?.compromised_since).toBeNull()
  })
  it('since defaults to the key\'s creation; an ISO 8601 since is accepted; an earlier time is never moved later', async () => {
    const kid = decodeJwtUnverified(await issue()).header.kid as string
    const created = ((await (await admin(f, '/admin/keys', undefined, 'GET')).json()) as Array<{ kid: string; created_at: number }>).find((k) => k.kid === kid)!.created_at
    const first = (await (await admin(f, `/admin/keys/${kid}/compromise`, {})).json()) as { compromised_since: number }
    expect(first.compromised_since).toBe(created)
    f.clock.now = created + 7200 // `since` may not be in the future
    const later = (await (await admin(f, `/admin/keys/${kid}/compromise`, { since: new Date((created + 3600) * 1000).toISOString() })).json()) as { compromised_since: number }
    expect(later.compromised_since).toBe(created)
  })
  it('an unknown kid is 404 ERR_ISSUER_KEY_NOT_FOUND; a malformed since is 400', async () => {
    await issue()
    const unknown = await admin(f, '/admin/keys/nope/compromise', {})
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ code: 'ERR_ISSUER_KEY_NOT_FOUND' })
    const kid = ((await (await admin(f, '/admin/keys', undefined, 'GET')).json()) as Array<{ kid: string }>)[0]!.kid
    expect((await admin(f, `/admin/keys/${kid}/compromise`, { since: 'yesterday' })).status).toBe(400)
  })
  // Review: a `since` in the future (a typo: 2062 for 2026, or milliseconds for seconds) was stored, and verifiers
  // that pin `withdrawn` then accepted everything the thief signs until that date.
  it('a since in the future is 400 ERR_ISSUER_KEY_SINCE and nothing is withdrawn', async () => {
    const kid = decodeJwtUnverified(await issue()).header.kid as string
    for (const since of [f.clock.now + 3600, f.clock.now * 1000, '2999-01-01T00:00:00Z']) {
      const r = await admin(f, `/admin/keys/${kid}/compromise`, { since })
      expect(r.status).toBe(400)
      expect(await r.json()).toMatchObject({ code: 'ERR_ISSUER_KEY_SINCE' })
    }
    const key = ((await (await admin(f, '/admin/keys', undefined, 'GET')).json()) as Array<{ kid: string; compromised_since: number | null }>).find((k) => k.kid === kid)!
    expect(key.compromised_since).toBeNull()
    expect((await admin(f, `/admin/keys/${kid}/compromise`, { since: f.clock.now })).status).toBe(200)
  })
})
