import { beforeAll, describe, expect, it } from 'vitest'
import { isE2eidError } from '@e2eid/shared'
import { createHttpClient } from './http.js'
import type { VerifierPolicy } from './policy/policy.js'
import type { StatusChecker, StatusLookup } from './status/types.js'
import { createTrustStore } from './trust/trust-store.js'
import type { TrustStore } from './trust/types.js'
import { verifyPresentation } from './verify-presentation.js'
import { ALICE, AUD, NONCE, NOW, VCT, issueSdJwt, makeAuthority, presentSdJwt, provider } from './test-helpers/fixtures.js'
import type { Authority } from './test-helpers/fixtures.js'
import type { ErrorCode } from '@e2eid/shared'

let auth: Authority
let trust: TrustStore
const policy = (p: VerifierPolicy = {}): VerifierPolicy => ({ aud: AUD, nonce: NONCE, now: () => NOW, ...p })

async function refused(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => {
    if (!isE2eidError(e, code)) throw new Error(`expected ${code}, got ${isE2eidError(e) ? e.code : String(e)}`)
    return true
  })
}

beforeAll(async () => {
  auth = await makeAuthority()
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
})

describe('verifyPresentation: SD-JWT VC + KB-JWT (RFC 9901 §7, SD-JWT VC §2.4)', () => {
  it('returns issuer, holder key, the disclosed claims only, the vct and status not-checked', async () => {
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org', 'role'])
    const v = await verifyPresentation(vp, policy(), { trust, provider })
    expect(v.format).toBe('dc+sd-jwt')
    expect(v.issuer).toBe(auth.iss)
    expect(v.holderKey).toMatchObject({ kty: 'OKP', x: holder.publicJwk.x })
    expect(v.credentialType).toBe(VCT)
    expect(v.claims.org).toBe('example.com')
    expect(v.claims.role).toBe('engineer')
    // Selective disclosure: what the holder withheld is not there.
    expect(v.claims.email).toBeUndefined()
    expect(v.claims.handle).toBeUndefined()
    expect(v.status).toBe('not-checked')
    expect(v.keyBound).toBe(true)
  })

  it('detects SD-JWT given as bytes as well as text', async () => {
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'])
    const v = await verifyPresentation(new TextEncoder().encode(vp + '\n'), policy(), { trust, provider })
    expect(v.claims.org).toBe('example.com')
  })

  it('refuses an untrusted issuer (ERR_VERIFY_ISSUER_UNTRUSTED), even with a valid signature', async () => {
    const rogue = await makeAuthority('https://rogue.example')
    const { vc, holder } = await issueSdJwt(rogue)
    await refused(verifyPresentation(await presentSdJwt(vc, holder.privateJwk, ['org']), policy(), { trust, provider }), 'ERR_VERIFY_ISSUER_UNTRUSTED')
  })

  it('refuses a credential signed by another key claiming the trusted iss', async () => {
    const forger = await makeAuthority(auth.iss, auth.kid)
    const { vc, holder } = await issueSdJwt(forger)
    await refused(verifyPresentation(await presentSdJwt(vc, holder.privateJwk, ['org']), policy(), { trust, provider }), 'ERR_SDJWT_SIGNATURE_INVALID')
  })

  it('refuses an expired credential', async () => {
    const { vc, holder } = await issueSdJwt(auth, { iat: NOW - 10000, exp: NOW - 3600 })
    await refused(verifyPresentation(await presentSdJwt(vc, holder.privateJwk, ['org']), policy(), { trust, provider }), 'ERR_SDJWT_EXPIRED')
  })

  it('refuses a tampered disclosure', async () => {
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'])
    const parts = vp.split('~')
    const d = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown[]
    d[2] = 'evil.example'
    parts[1] = Buffer.from(JSON.stringify(d)).toString('base64url')
    await refused(verifyPresentation(parts.join('~'), policy(), { trust, provider }), 'ERR_SDJWT_DISCLOSURE_UNREFERENCED')
  })

  it('refuses a wrong aud and a wrong nonce (replay to another verifier / session)', async () => {
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'], 'https://other.example')
    await refused(verifyPresentation(vp, policy(), { trust, provider }), 'ERR_SDJWT_KB_AUD_MISMATCH')
    const vp2 = await presentSdJwt(vc, holder.privateJwk, ['org'], AUD, 'old-nonce')
    await refused(verifyPresentation(vp2, policy(), { trust, provider }), 'ERR_SDJWT_KB_NONCE_MISMATCH')
  })

  it('requires key binding by default: a stripped KB-JWT is refused unless the policy waives it', async () => {
    const { vc } = await issueSdJwt(auth)
    await refused(verifyPresentation(vc, policy(), { trust, provider }), 'ERR_SDJWT_KB_MISSING')
    const v = await verifyPresentation(vc, policy({ requireKeyBinding: false }), { trust, provider })
    expect(v.keyBound).toBe(false)
    // Key binding needs an expected aud: no aud, no acceptance.
    await refused(verifyPresentation(vc, { now: () => NOW }, { trust, provider }), 'ERR_POLICY_INVALID')
  })

  it('policy: required claims, value constraints, accepted types and formats, maximum age', async () => {
    const { vc, holder } = await issueSdJwt(auth)
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'])
    const ctx = { trust, provider }
    await refused(verifyPresentation(vp, policy({ requiredClaims: [['role']] }), ctx), 'ERR_POLICY_CLAIM_MISSING')
    await refused(verifyPresentation(vp, policy({ constraints: [{ path: ['org'], equals: 'other.example' }] }), ctx), 'ERR_POLICY_CLAIM_VALUE')
    await refused(verifyPresentation(vp, policy({ constraints: [{ path: ['sub'], equals: 'im:bob@example.com' }] }), ctx), 'ERR_POLICY_CLAIM_VALUE')
    await refused(verifyPresentation(vp, policy({ credentialTypes: ['urn:other'] }), ctx), 'ERR_POLICY_TYPE_NOT_ACCEPTED')
    await refused(verifyPresentation(vp, policy({ formats: ['sd-cwt'] }), ctx), 'ERR_POLICY_FORMAT_NOT_ACCEPTED')
    await refused(verifyPresentation(vp, policy({ maxAgeSeconds: 30 }), ctx), 'ERR_POLICY_CREDENTIAL_TOO_OLD')
    const ok = await verifyPresentation(
      vp,
      policy({ requiredClaims: [['org']], constraints: [{ path: ['org'], equals: 'example.com' }, { path: ['sub'], oneOf: [ALICE.sub] }], credentialTypes: [VCT], maxAgeSeconds: 3600 }),
      ctx,
    )
    expect(ok.claims.sub).toBe(ALICE.sub)
  })

  it('status: checked through the StatusChecker with the authority keys; revoked and suspended refused', async () => {
    const ref = { uri: 'https://issuer.example/status-lists/1', idx: 42 }
    const { vc, holder } = await issueSdJwt(auth, { status: ref })
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'])
    const seen: StatusLookup[] = []
    const checker = (status: number): StatusChecker => ({
      status: async (l) => {
        seen.push(l)
        return { status, fromCache: false }
      },
    })
    const v = await verifyPresentation(vp, policy(), { trust, provider, status: checker(0) })
    expect(v.status).toEqual({ status: 0, fromCache: false })
    expect(seen[0]).toMatchObject({ ref, format: 'dc+sd-jwt', graceUntilExp: false })
    expect(seen[0]?.issuerKeys.map((k) => k.x)).toEqual([auth.publicJwk.x])
    await refused(verifyPresentation(vp, policy(), { trust, provider, status: checker(1) }), 'ERR_STATUS_REVOKED')
    await refused(verifyPresentation(vp, policy(), { trust, provider, status: checker(2) }), 'ERR_STATUS_SUSPENDED')
    await refused(verifyPresentation(vp, policy(), { trust, provider, status: checker(3) }), 'ERR_STATUS_NOT_VALID')
    // Deny by default: a status reference with nobody to check it is not accepted…
    await refused(verifyPresentation(vp, policy(), { trust, provider }), 'ERR_STATUS_NOT_CONFIGURED')
    // …unless the policy explicitly skips status.
    expect((await verifyPresentation(vp, policy({ status: 'skip' }), { trust, provider })).status).toBe('not-checked')
    // A policy that requires status refuses a credential without a reference.
    const plain = await issueSdJwt(auth)
    const vp2 = await presentSdJwt(plain.vc, plain.holder.privateJwk, ['org'])
    await refused(verifyPresentation(vp2, policy({ status: 'required' }), { trust, provider, status: checker(0) }), 'ERR_POLICY_STATUS_MISSING')
  })

  it('refuses input that is neither format', async () => {
    await refused(verifyPresentation('hello world', policy(), { trust, provider }), 'ERR_VERIFY_FORMAT_UNKNOWN')
    await refused(verifyPresentation('', policy(), { trust, provider }), 'ERR_VERIFY_FORMAT_UNKNOWN')
  })
})
