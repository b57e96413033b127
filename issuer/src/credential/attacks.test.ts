/**
 * Attack suite, issuance step (issue #8; specs/issuance-joint-pop.md). The messaging provider is the
 * attacker: it relays traffic and may obtain its own access token from the authority for its own user.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ISSUER, admin, authHeaders, dpopProof, json, jwtProof, keyPair, makeFixture, preAuthToken } from '../test-helpers/holder.js'

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
  await admin(f, '/admin/users', { id: 'victim', claims: { handle: 'im:victim@example.com' } })
  await admin(f, '/admin/users', { id: 'provider', claims: { handle: 'im:provider@example.com' } })
})
afterEach(async () => {
  await f.close()
})

async function session(user: string, dpopKey: KeyPair): Promise<{ token: string; nonce: string }> {
  const r = await admin(f, '/admin/offers', { user_id: user, credential_configuration_id: 'mimi_identity_sd_cwt', tx_code: false })
  const uri = ((await r.json()) as { offer_uri_by_value: string }).offer_uri_by_value
  const code = (JSON.parse(new URL(uri).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]!['pre-authorized_code']!
  const token = ((await (await preAuthToken(f, dpopKey, code)).json()) as { access_token: string }).access_token
  const n = await f.app.request('/nonce', { method: 'POST', headers: await authHeaders(f, dpopKey, token, '/nonce') })
  return { token, nonce: ((await n.json()) as { c_nonce: string }).c_nonce }
}

async function request(dpopKey: KeyPair, token: string, proof: string): Promise<Response> {
  return json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_cwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, token, '/credential'))
}

describe('attack suite: unknown-key-share at issuance', () => {
  it("attack: the provider relays the victim's proof into its own session (victim key + provider attributes) → invalid_nonce", async () => {
    const victimDpop = await keyPair(f.crypto, 'ES256')
    const providerDpop = await keyPair(f.crypto, 'ES256')
    const victimKey = await keyPair(f.crypto, 'EdDSA')
    const v = await session('victim', victimDpop)
    const p = await session('provider', providerDpop)
    const victimProof = await jwtProof(f.crypto, victimKey, { nonce: v.nonce, iat: f.clock.now })
    const r = await request(providerDpop, p.token, victimProof)
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string; code: string })).toMatchObject({ error: 'invalid_nonce', code: 'ERR_ISSUER_NONCE_INVALID' })
    // The victim's own request still succeeds, with the victim's attributes.
    expect((await request(victimDpop, v.token, victimProof)).status).toBe(200)
  })

  it("attack: the provider uses the victim's nonce value in a proof by its own key in its own session → invalid_nonce", async () => {
    const victimDpop = await keyPair(f.crypto, 'ES256')
    const providerDpop = await keyPair(f.crypto, 'ES256')
    const v = await session('victim', victimDpop)
    const p = await session('provider', providerDpop)
    const proof = await jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce: v.nonce, iat: f.clock.now })
    const r = await request(providerDpop, p.token, proof)
    expect(((await r.json()) as { error: string }).error).toBe('invalid_nonce')
  })

  it("attack: the provider replays the victim's access token without the victim's DPoP key (provider key + victim attributes) → invalid_dpop_proof", async () => {
    const victimDpop = await keyPair(f.crypto, 'ES256')
    const providerDpop = await keyPair(f.crypto, 'ES256')
    const v = await session('victim', victimDpop)
    const proof = await jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce: v.nonce, iat: f.clock.now })
    const r = await request(providerDpop, v.token, proof)
    expect(r.status).toBe(401)
    expect(((await r.json()) as { error: string }).error).toBe('invalid_dpop_proof')
    // A captured DPoP proof of the victim cannot be replayed either (jti cache).
    const captured = await dpopProof(f.crypto, victimDpop, 'POST', `${ISSUER}/credential`, { accessToken: v.token, iat: f.clock.now, jti: 'captured-jti-1' })
    const body = { credential_configuration_id: 'mimi_identity_sd_cwt', proofs: { jwt: [proof] } }
    expect((await json(f.app, '/credential', body, { authorization: `DPoP ${v.token}`, dpop: captured })).status).toBe(200)
    expect((await json(f.app, '/credential', body, { authorization: `DPoP ${v.token}`, dpop: captured })).status).toBe(401)
  })

  it("attack: a proof claiming the victim's key in its jwk but signed by the provider → invalid_proof", async () => {
    const providerDpop = await keyPair(f.crypto, 'ES256')
    const victimKey = await keyPair(f.crypto, 'EdDSA')
    const p = await session('provider', providerDpop)
    const forged = await jwtProof(f.crypto, await keyPair(f.crypto, 'EdDSA'), { nonce: p.nonce, iat: f.clock.now, jwk: victimKey.publicJwk })
    const r = await request(providerDpop, p.token, forged)
    expect(((await r.json()) as { error: string; code: string })).toMatchObject({ error: 'invalid_proof', code: 'ERR_ISSUER_PROOF_SIGNATURE' })
  })

  it('attack: guessing the tx_code of an intercepted offer is locked after 3 tries', async () => {
    const r = await admin(f, '/admin/offers', { user_id: 'victim', credential_configuration_id: 'mimi_identity_sd_cwt', tx_code: true })
    const { offer_uri_by_value, tx_code } = (await r.json()) as { offer_uri_by_value: string; tx_code: string }
    const code = (JSON.parse(new URL(offer_uri_by_value).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants[
      'urn:ietf:params:oauth:grant-type:pre-authorized_code'
    ]!['pre-authorized_code']!
    const attacker = await keyPair(f.crypto, 'ES256')
    const guesses = ['000000', '123456', '999999', '111111'].filter((g) => g !== tx_code).slice(0, 3)
    for (const g of guesses) expect((await preAuthToken(f, attacker, code, g)).status).toBe(400)
    const after = await preAuthToken(f, attacker, code, tx_code)
    expect(((await after.json()) as { code: string }).code).toBe('ERR_ISSUER_TX_CODE_LOCKED')
  })
})
