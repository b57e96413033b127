/**
 * Attack suite, issuance step (issue 14 item 1): a small-order Ed25519 key. OpenSSL accepts R = identity, S = 0
 * for every message under the identity point `AQAA…A`, so a jwt proof (OpenID4VCI F.1) and a DPoP proof (RFC 9449)
 * can be "signed" with no private key. The issuer must not put such a key in `cnf` nor bind a token to it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ISSUER, aliceOffer, authHeaders, form, json, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'

const IDENTITY = new Uint8Array(32)
IDENTITY[0] = 1
const SMALL_ORDER_JWK = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(IDENTITY) } // "AQAAAAAA…AA"
// R = identity (the encoding 01 00…00), S = 0: valid for every message under a small-order key, for OpenSSL.
const FORGED_SIGNATURE = base64urlEncode(Uint8Array.from([...IDENTITY, ...new Uint8Array(32)]))

/** A compact JWS with the small-order key in its header and the forged signature: no private key involved. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const enc = (v: unknown) => base64urlEncode(utf8Encode(JSON.stringify(v)))
  return `${enc({ alg: 'EdDSA', jwk: SMALL_ORDER_JWK, ...header })}.${enc(payload)}.${FORGED_SIGNATURE}`
}

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
})
afterEach(async () => {
  await f.close()
})

describe('attack suite: small-order Ed25519 holder keys at issuance', () => {
  it('attack: a jwt proof by the identity-point key (no private key) → invalid_proof ERR_KEY_ED25519_WEAK, nothing issued', async () => {
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey, 'mimi_identity_sd_jwt')
    const proof = forge({ typ: 'openid4vci-proof+jwt' }, { aud: ISSUER, iat: f.clock.now, nonce })
    const r = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: 'invalid_proof', code: 'ERR_KEY_ED25519_WEAK' })
  })

  it('attack: a DPoP proof by the identity-point key at the token endpoint → invalid_dpop_proof ERR_KEY_ED25519_WEAK, no token', async () => {
    const { code } = await aliceOffer(f)
    const dpop = forge({ typ: 'dpop+jwt' }, { jti: 'forged-1', htm: 'POST', htu: `${ISSUER}/token`, iat: f.clock.now })
    const r = await form(f.app, '/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }, { dpop })
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: 'invalid_dpop_proof', code: 'ERR_KEY_ED25519_WEAK' })
  })
})
