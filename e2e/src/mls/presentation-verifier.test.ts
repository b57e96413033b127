/** The MLS AuthenticationService on top of the verifier's verifyPresentation (trust store, policy, status). */
import { beforeAll, describe, expect, it } from 'vitest'
import { createWebCryptoProvider, E2eidError, mlsGroupAudience, mlsKeyPackageAudience } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createMlsKeyPackage, mlsCipherSuite, mlsCredentialFromPresentation } from '@e2eid/wallet'
import * as mls from 'ts-mls'
import { pinnedKeyTrustStore, MlsCredentialAuthenticationService, addMlsMembers, createMlsGroup, joinMlsGroup, listMlsMembers, mlsPresentationVerifier, presentedAudience } from '@e2eid/verifier'
import type { TestIssuer } from '@e2eid/verifier/testing'
import { makeIssuer, makeTestKbt, makeTestSdJwt } from '@e2eid/verifier/testing'

const provider = createWebCryptoProvider()
const SERVICE = 'https://chat.example'
const KP_AUD = mlsKeyPackageAudience(SERVICE)
let issuer: TestIssuer
let rogueIssuer: TestIssuer
let alice: KeyPair
let dave: KeyPair
let cs: mls.CiphersuiteImpl

function service(trusted: TestIssuer = issuer): MlsCredentialAuthenticationService {
  const verify = mlsPresentationVerifier({ keyBindingMaxAgeSeconds: 7 * 24 * 3600, requiredClaims: [['org']], status: 'if-present' }, { trust: pinnedKeyTrustStore(trusted.keys.publicJwk), provider })
  return new MlsCredentialAuthenticationService({ verify, service: SERVICE, provider })
}

beforeAll(async () => {
  cs = await mlsCipherSuite()
  issuer = await makeIssuer(provider)
  rogueIssuer = await makeIssuer(provider, 'https://rogue.example')
  alice = await provider.generateKeyPair('EdDSA')
  dave = await provider.generateKeyPair('EdDSA')
})

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof E2eidError) return e.code
    throw e
  }
  throw new Error('accepted')
}

describe('mlsPresentationVerifier: verifyPresentation behind the AuthenticationService', () => {
  it('attack (issue 14): status defaults to required, so a credential whose status reference is hidden or absent is refused (ERR_POLICY_STATUS_MISSING); if-present only when asked', async () => {
    const kbt = await makeTestKbt(provider, issuer, alice, { sub: 'alice', claims: { org: 'example.com' } }, KP_AUD)
    const trust = pinnedKeyTrustStore(issuer.keys.publicJwk)
    const byDefault = mlsPresentationVerifier({ keyBindingMaxAgeSeconds: 7 * 24 * 3600 }, { trust, provider })
    expect(await code(byDefault('sd-cwt', kbt, { audiences: [KP_AUD], signatureKey: new Uint8Array(32) }))).toBe('ERR_POLICY_STATUS_MISSING')
    const lenient = mlsPresentationVerifier({ keyBindingMaxAgeSeconds: 7 * 24 * 3600, status: 'if-present' }, { trust, provider })
    await expect(lenient('sd-cwt', kbt, { audiences: [KP_AUD], signatureKey: new Uint8Array(32) })).resolves.toMatchObject({ sub: 'alice' })
  })

  it('an SD-JWT VC member and an SD-CWT member form a group; policy (required org) and key binding come from the verifier', async () => {
    const aKp = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestSdJwt(provider, issuer, alice, { sub: 'alice', claims: { org: 'example.com', role: 'x' } }, ['org'], KP_AUD)), privateJwk: alice.privateJwk, cipherSuite: cs })
    // Dave holds an SD-CWT: a mixed group, both formats through verifyPresentation
    const dKp = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestKbt(provider, issuer, dave, { sub: 'dave', claims: { org: 'example.org', role: 'y' }, disclose: ['org'] }, KP_AUD)), privateJwk: dave.privateJwk, cipherSuite: cs })
    const aAs = service()
    const state = await createMlsGroup({ authService: aAs, cipherSuite: cs, keyPackage: aKp.keyPackage, privateKeyPackage: aKp.privateKeyPackage })
    const added = await addMlsMembers({ authService: aAs, cipherSuite: cs, state, keyPackages: [dKp.keyPackage] })
    const dState = await joinMlsGroup({ authService: service(), cipherSuite: cs, welcome: added.welcome!, keyPackage: dKp.keyPackage, privateKeyPackage: dKp.privateKeyPackage })
    const members = await listMlsMembers({ authService: aAs, state: dState })
    expect(members.map((m) => [m.sub, m.claims.org, m.issuer, m.audience])).toEqual([
      ['alice', 'example.com', issuer.iss, KP_AUD],
      ['dave', 'example.org', issuer.iss, KP_AUD],
    ])
    expect(members[0]!.claims).not.toHaveProperty('role')
    expect(members[1]!.claims).not.toHaveProperty('role')
    expect(members.map((m) => m.kind)).toEqual(['sd-jwt', 'sd-cwt'])
  })

  it('refuses another group\'s aud before verifying, a credential not signed by the trusted issuer key, and a missing required claim', async () => {
    const aKp = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestSdJwt(provider, issuer, alice, { sub: 'alice', claims: { org: 'example.com' } }, ['org'], KP_AUD)), privateJwk: alice.privateJwk, cipherSuite: cs })
    const as = service()
    const state = await createMlsGroup({ authService: as, cipherSuite: cs, keyPackage: aKp.keyPackage, privateKeyPackage: aKp.privateKeyPackage })
    const elsewhere = mlsGroupAudience(SERVICE, Uint8Array.of(1, 2))
    const replay = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestSdJwt(provider, issuer, dave, { sub: 'dave', claims: { org: 'o' } }, ['org'], elsewhere)), privateJwk: dave.privateJwk, cipherSuite: cs })
    expect(await code(addMlsMembers({ authService: as, cipherSuite: cs, state, keyPackages: [replay.keyPackage] }))).toBe('ERR_MLS_AUDIENCE_MISMATCH')
    const rogue = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestSdJwt(provider, rogueIssuer, dave, { sub: 'dave', claims: { org: 'o' } }, ['org'], KP_AUD)), privateJwk: dave.privateJwk, cipherSuite: cs })
    expect(await code(addMlsMembers({ authService: as, cipherSuite: cs, state, keyPackages: [rogue.keyPackage] }))).toBe('ERR_SDJWT_SIGNATURE_INVALID')
    const noOrg = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestSdJwt(provider, issuer, dave, { sub: 'dave', claims: { org: 'o' } }, [], KP_AUD)), privateJwk: dave.privateJwk, cipherSuite: cs })
    expect(await code(addMlsMembers({ authService: as, cipherSuite: cs, state, keyPackages: [noOrg.keyPackage] }))).toBe('ERR_POLICY_CLAIM_MISSING')
  })

  it('reads the presented aud of both kinds without trusting it', async () => {
    const kbt = await makeTestKbt(provider, issuer, dave, { sub: 'd', claims: {} }, 'https://x.example/a')
    expect(presentedAudience('sd-cwt', kbt)).toBe('https://x.example/a')
    expect(presentedAudience('sd-jwt', await makeTestSdJwt(provider, issuer, dave, { sub: 'd', claims: { org: 'o' } }, [], 'https://x.example/b'))).toBe('https://x.example/b')
    expect(() => presentedAudience('sd-cwt', Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'ERR_MLS_PRESENTATION_INVALID' }))
  })
})
