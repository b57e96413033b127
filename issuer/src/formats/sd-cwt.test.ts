/**
 * SD-CWT issuance through the credential endpoint: the credential (base64url CBOR) verifies with the
 * shared SD-CWT verifier against the published COSE key set; cnf is the proof key; it carries exactly the
 * user's attributes (disclosable ones as disclosures, with decoys), status → a statuslist+cwt that shows
 * a revocation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CWT_CLAIM, base64urlDecode, checkSdCwtReceipt, coseKeyToJwk, decodeCbor, samePublicKey, verifyIssuedSdCwt, verifyStatusListCwt, statusReferenceFromCwtClaims } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, ISSUER, admin, authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'

let f: Fixture
beforeEach(async () => {
  f = await makeFixture()
})
afterEach(async () => {
  await f.close()
})

describe('SD-CWT credentials (application/sd-cwt)', () => {
  it('verifies with the shared verifier and the COSE key set; exact attributes; cnf = proof key; statuslist+cwt revocation', async () => {
    const md = (await (await f.app.request('/.well-known/openid-credential-issuer')).json()) as { credential_configurations_supported: Record<string, { format: string }> }
    expect(md.credential_configurations_supported.mimi_identity_sd_cwt!.format).toBe('application/sd-cwt')
    const dpopKey = await keyPair(f.crypto, 'ES256')
    const holder = await keyPair(f.crypto, 'EdDSA')
    const { accessToken, nonce } = await tokenAndNonce(f, dpopKey, 'mimi_identity_sd_cwt')
    const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
    const r = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_cwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
    expect(r.status).toBe(200)
    const { credentials } = (await r.json()) as { credentials: Array<{ credential: string }> }
    const bytes = base64urlDecode(credentials[0]!.credential)

    const coseKeys = decodeCbor(new Uint8Array(await (await f.app.request('/.well-known/cose-keys')).arrayBuffer())) as Array<Map<number, unknown>>
    const issuerKeys: PublicJwk[] = coseKeys.map((k) => coseKeyToJwk(k))
    const v = await verifyIssuedSdCwt(bytes, { issuerKeys, provider: f.crypto, now: f.clock.now, expectedIssuer: ISSUER, mode: 'holder' })
    expect(samePublicKey(v.holderKey, holder.publicJwk)).toBe(true)
    expect(v.claims.get(CWT_CLAIM.iat)).toBe(f.clock.now)
    expect(v.claims.get(CWT_CLAIM.nbf)).toBe(f.clock.now)
    expect(v.claims.get(CWT_CLAIM.exp)).toBe(f.clock.now + 30 * 24 * 3600)
    const attributes = Object.fromEntries([...v.claims].filter(([k]) => typeof k === 'string'))
    expect(attributes).toEqual(ALICE_CLAIMS)
    // §6: sub MUST be present; alice has no `sub` attribute, so the authority names her by her user id,
    // and the holder's receipt checks (§6.2, which require sub) accept the credential.
    expect(v.claims.get(CWT_CLAIM.sub)).toBe('alice')
    await checkSdCwtReceipt(bytes, { issuerKeys, holderKey: holder.publicJwk, provider: f.crypto, now: f.clock.now })
    // handle, name, email are disclosable in the default configuration (3 disclosures) plus 2 decoys.
    expect(v.token.disclosures.length).toBe(5)
    const ref = statusReferenceFromCwtClaims(v.claims)
    expect(ref.uri).toMatch(`${ISSUER}/status-lists/`)

    const statusAt = async () => {
      const res = await f.app.request(new URL(ref.uri).pathname)
      expect(res.headers.get('content-type')).toBe('application/statuslist+cwt')
      const st = await verifyStatusListCwt(new Uint8Array(await res.arrayBuffer()), { keys: issuerKeys, provider: f.crypto, uri: ref.uri, now: () => f.clock.now })
      return st.list.get(ref.idx)
    }
    expect(await statusAt()).toBe(0)
    const [rec] = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ id: string; format: string }>
    expect(rec!.format).toBe('application/sd-cwt')
    expect((await admin(f, `/admin/credentials/${rec!.id}/status`, { status: 'revoked' })).status).toBe(200)
    expect(await statusAt()).toBe(1)
  })
})
