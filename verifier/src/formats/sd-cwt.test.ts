import { beforeAll, describe, expect, it } from 'vitest'
import { base64urlEncode, hexEncode, isE2eidError } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import type { VerifierPolicy } from '../policy/policy.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { TrustStore } from '../trust/types.js'
import { verifyPresentation } from '../verify-presentation.js'
import { ALICE, AUD, NONCE, NOW, VCT, issueSdCwtFor, makeAuthority, presentSdCwt, provider } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import type { ErrorCode } from '@e2eid/shared'

let auth: Authority
let trust: TrustStore
const policy = (p: VerifierPolicy = {}): VerifierPolicy => ({ aud: AUD, nonce: NONCE, now: () => NOW, ...p })

async function refused(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => {
    if (!isE2eidError(e, code)) throw new Error(`expected ${code}, got ${isE2eidError(e) ? `${e.code}: ${e.message}` : String(e)}`)
    return true
  })
}

beforeAll(async () => {
  auth = await makeAuthority('https://issuer.example', 'k1', 'EdDSA')
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

describe('verifyPresentation: SD-CWT KBT (draft-ietf-spice-sd-cwt-08 §9)', () => {
  it('returns issuer, holder key, the disclosed claims only (JSON view), vct; accepts raw CBOR, hex and base64url', async () => {
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    const kbt = await presentSdCwt(sdCwt, holder.privateJwk, ['org'])
    for (const input of [kbt, hexEncode(kbt), base64urlEncode(kbt), new TextEncoder().encode(hexEncode(kbt) + '\n')]) {
      const v = await verifyPresentation(input, policy(), { trust, provider })
      expect(v.format).toBe('sd-cwt')
      expect(v.issuer).toBe(auth.iss)
      expect(v.holderKey).toMatchObject({ kty: 'OKP', x: holder.publicJwk.x })
      expect(v.credentialType).toBe(VCT)
      expect(v.claims).toMatchObject({ '1': auth.iss, '2': ALICE.sub, org: 'example.com' })
      expect(v.claims.email).toBeUndefined()
      expect(v.claims.role).toBeUndefined()
      expect(v.keyBound).toBe(true)
    }
  })

  it('the JSON view of the claims is built on first read, once, and is an own enumerable member (spread and JSON.stringify see it)', async () => {
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    const v = await verifyPresentation(await presentSdCwt(sdCwt, holder.privateJwk, ['org']), policy(), { trust, provider })
    expect(Object.keys(v)).toContain('claims')
    expect(v.claims).toBe(v.claims)
    expect({ ...v }.claims).toBe(v.claims)
    expect(JSON.parse(JSON.stringify(v)).claims).toEqual(v.claims)
    expect(v.claims).toMatchObject({ '2': ALICE.sub, org: 'example.com' })
    v.claims = { replaced: true }
    expect(v.claims).toEqual({ replaced: true })
  })

  it('policy names work on CWT labels: sub equals the URI the user meant to reach, org equals example.com', async () => {
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    const kbt = await presentSdCwt(sdCwt, holder.privateJwk, ['org'])
    await verifyPresentation(kbt, policy({ constraints: [{ path: ['sub'], equals: ALICE.sub }, { path: ['org'], equals: 'example.com' }], credentialTypes: [VCT] }), { trust, provider })
    await refused(verifyPresentation(kbt, policy({ constraints: [{ path: ['sub'], equals: 'im:mallory@example.com' }] }), { trust, provider }), 'ERR_POLICY_CLAIM_VALUE')
    await refused(verifyPresentation(kbt, policy({ requiredClaims: [['role']] }), { trust, provider }), 'ERR_POLICY_CLAIM_MISSING')
  })

  it('refuses an untrusted issuer, a forged signature, an expired credential', async () => {
    const rogue = await makeAuthority('https://rogue.example', 'k1', 'EdDSA')
    let c = await issueSdCwtFor(rogue)
    await refused(verifyPresentation(await presentSdCwt(c.sdCwt, c.holder.privateJwk, ['org']), policy(), { trust, provider }), 'ERR_VERIFY_ISSUER_UNTRUSTED')
    const forger = await makeAuthority(auth.iss, auth.kid, 'EdDSA')
    c = await issueSdCwtFor(forger)
    await refused(verifyPresentation(await presentSdCwt(c.sdCwt, c.holder.privateJwk, ['org']), policy(), { trust, provider }), 'ERR_SDCWT_ISSUER_SIGNATURE_INVALID')
    c = await issueSdCwtFor(auth, { iat: NOW - 10000, exp: NOW - 3600 })
    await refused(verifyPresentation(await presentSdCwt(c.sdCwt, c.holder.privateJwk, ['org'], AUD, NONCE, NOW - 5000), policy(), { trust, provider }), 'ERR_SDCWT_EXPIRED')
  })

  it('refuses a wrong aud (a KBT replayed to another verifier or group) and a wrong cnonce', async () => {
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    await refused(verifyPresentation(await presentSdCwt(sdCwt, holder.privateJwk, ['org'], 'mls:group:other'), policy(), { trust, provider }), 'ERR_SDCWT_AUD_MISMATCH')
    await refused(verifyPresentation(await presentSdCwt(sdCwt, holder.privateJwk, ['org'], AUD, 'stale'), policy(), { trust, provider }), 'ERR_SDCWT_CNONCE_MISMATCH')
  })

  it('refuses a tampered disclosure (a byte flipped inside the KBT breaks a signature or a digest)', async () => {
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    const kbt = await presentSdCwt(sdCwt, holder.privateJwk, ['org'])
    const at = Buffer.from(kbt).indexOf(Buffer.from('example.com'))
    expect(at).toBeGreaterThan(0)
    const bad = Uint8Array.from(kbt)
    bad[at] = 'E'.charCodeAt(0)
    await expect(verifyPresentation(bad, policy(), { trust, provider })).rejects.toSatisfy((e: unknown) => isE2eidError(e) && e.code.startsWith('ERR_SDCWT_'))
  })

  it('key binding required by default: a bare SD-CWT is refused unless the policy waives it', async () => {
    const { sdCwt } = await issueSdCwtFor(auth)
    await refused(verifyPresentation(sdCwt, policy(), { trust, provider }), 'ERR_SDCWT_KBT_MISSING')
    const v = await verifyPresentation(sdCwt, policy({ requireKeyBinding: false }), { trust, provider })
    expect(v.keyBound).toBe(false)
    // An SD-CWT as issued carries every disclosure, so every claim shows.
    expect(v.claims).toMatchObject({ org: ALICE.org, email: ALICE.email })
  })

  it('a typ override names the SD-CWT typ or the KBT typ', async () => {
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    const kbt = await presentSdCwt(sdCwt, holder.privateJwk, ['org'])
    await verifyPresentation(kbt, policy({ typ: 293 }), { trust, provider })
    await verifyPresentation(kbt, policy({ typ: 294 }), { trust, provider })
    await refused(verifyPresentation(kbt, policy({ typ: 'application/sd-cwt' }), { trust, provider }), 'ERR_VERIFY_TYP_MISMATCH')
  })

  it('reads the status reference (claim 65535) and checks it', async () => {
    const ref = { uri: 'https://issuer.example/status-lists/7', idx: 3 }
    const { sdCwt, holder } = await issueSdCwtFor(auth, { status: ref })
    const kbt = await presentSdCwt(sdCwt, holder.privateJwk, ['org'])
    const v = await verifyPresentation(kbt, policy(), { trust, provider, status: { status: async (l) => (expect(l.ref).toEqual(ref), { status: 0, fromCache: false }) } })
    expect(v.statusRef).toEqual(ref)
    await refused(verifyPresentation(kbt, policy(), { trust, provider, status: { status: async () => ({ status: 1, fromCache: false }) } }), 'ERR_STATUS_REVOKED')
  })
})
