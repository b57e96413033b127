import { beforeAll, describe, expect, it } from 'vitest'
import * as mls from 'ts-mls'
import { createWebCryptoProvider, mlsGroupAudience, mlsKeyPackageAudience, utf8Encode } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createMlsKeyPackage, mlsCipherSuite, mlsCredentialFromPresentation } from '@e2eid/wallet'
import { groupRequiresE2eidCredentials, mlsIdentityKey, MlsCredentialAuthenticationService, sameMlsIdentity } from '@e2eid/verifier'
import type { MlsPresentationVerifier, VerifiedMlsPresentation } from '@e2eid/verifier'
import type { TestIssuer } from '@e2eid/verifier/testing'
import { makeIssuer, makeTestKbt, testVerifier } from '@e2eid/verifier/testing'

const provider = createWebCryptoProvider()
const SERVICE = 'https://chat.example'
const KP_AUD = mlsKeyPackageAudience(SERVICE)
let issuer: TestIssuer
let holder: KeyPair
let leaf: { credential: mls.Credential; key: Uint8Array }

beforeAll(async () => {
  issuer = await makeIssuer(provider)
  holder = await provider.generateKeyPair('EdDSA')
  const kbt = await makeTestKbt(provider, issuer, holder, { sub: 'mimi://example.com/u/h/d1', claims: { org: 'example.com' } }, KP_AUD)
  const { keyPackage } = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(kbt), privateJwk: holder.privateJwk, cipherSuite: await mlsCipherSuite() })
  leaf = { credential: keyPackage.leafNode.credential, key: keyPackage.leafNode.signaturePublicKey }
})

function withResult(r: Partial<VerifiedMlsPresentation>): MlsPresentationVerifier {
  return async () => ({ holderKey: holder.publicJwk, sub: 's', claims: {}, issuer: 'i', audience: KP_AUD, ...r })
}

function groupContext(groupId: Uint8Array, credentialTypes: number[] = [5, 6]): mls.GroupContext {
  return {
    version: 1,
    cipherSuite: 1,
    groupId,
    epoch: 0n,
    treeHash: new Uint8Array(),
    confirmedTranscriptHash: new Uint8Array(),
    extensions: credentialTypes.length === 0 ? [] : [{ extensionType: mls.defaultExtensionTypes.required_capabilities, extensionData: { extensionTypes: [], proposalTypes: [], credentialTypes } }],
  }
}

describe('AuthenticationService.validateCredential (ts-mls rc.10: boolean + last refusal)', () => {
  it('accepts a credential bound to the leaf key and records what was verified', async () => {
    const as = new MlsCredentialAuthenticationService({ verify: testVerifier(provider, [issuer]), service: SERVICE, provider })
    expect(await as.validateCredential(leaf.credential, leaf.key)).toBe(true)
    expect(as.lastRefusal).toBeUndefined()
    expect(as.memberRecord(leaf.credential, leaf.key)).toMatchObject({ kind: 'sd-cwt', sub: 'mimi://example.com/u/h/d1', issuer: issuer.iss, audience: KP_AUD, claims: { org: 'example.com' }, verified: true })
  })

  it('reuses a verification within the cache TTL and verifies again after it', async () => {
    let now = 1_000_000
    const verify = testVerifier(provider, [issuer])
    const as = new MlsCredentialAuthenticationService({ verify, service: SERVICE, provider, now: () => now, cacheTtlMs: 1000 })
    await as.validateCredential(leaf.credential, leaf.key)
    await as.validateCredential(leaf.credential, leaf.key)
    expect(verify.calls).toBe(1)
    now += 1001
    await as.validateCredential(leaf.credential, leaf.key)
    expect(verify.calls).toBe(2)
  })

  const refusals: [string, Partial<VerifiedMlsPresentation> | (() => never), string][] = [
    ['cnf absent', { holderKey: undefined }, 'ERR_MLS_CNF_MISSING'],
    ['aud absent', { audience: undefined }, 'ERR_MLS_AUDIENCE_MISSING'],
    ['aud of a group outside a group', { audience: mlsGroupAudience(SERVICE, Uint8Array.of(1)) }, 'ERR_MLS_AUDIENCE_MISMATCH'],
    ['sub absent', { sub: undefined }, 'ERR_MLS_SUB_MISSING'],
    ['verifier throws a non-E2eidError', () => { throw new TypeError('boom') }, 'ERR_MLS_PRESENTATION_INVALID'],
  ]
  for (const [name, r, expected] of refusals) {
    it(`${name} → ${expected}`, async () => {
      const verify: MlsPresentationVerifier = typeof r === 'function' ? async () => r() : withResult(r)
      const as = new MlsCredentialAuthenticationService({ verify, service: SERVICE, provider })
      expect(await as.validateCredential(leaf.credential, leaf.key)).toBe(false)
      expect(as.lastRefusalCode).toBe(expected)
    })
  }

  it('refuses x509 and unknown custom types, and our types under a private-use configuration', async () => {
    const as = new MlsCredentialAuthenticationService({ verify: withResult({}), service: SERVICE, provider })
    expect(await as.validateCredential({ credentialType: 2, certificates: [] }, leaf.key)).toBe(false)
    expect(as.lastRefusalCode).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    expect(await as.validateCredential({ credentialType: 0xf0f0, data: new Uint8Array(1) }, leaf.key)).toBe(false)
    expect(as.lastRefusalCode).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    const priv = new MlsCredentialAuthenticationService({ verify: withResult({}), service: SERVICE, provider, types: { sdCwt: 0xf0a1, sdJwt: 0xf0a2 } })
    expect(await priv.validateCredential(leaf.credential, leaf.key)).toBe(false)
    expect(priv.lastRefusalCode).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
  })

  it('group scope: accepts the group aud and the KeyPackage aud, refuses another group\'s; basic refused when the group requires ours', async () => {
    const g = Uint8Array.of(1, 2, 3)
    const as = new MlsCredentialAuthenticationService({ verify: withResult({ audience: mlsGroupAudience(SERVICE, g) }), service: SERVICE, provider, allowBasic: true })
    expect(await as.forGroup(groupContext(g)).validateCredential(leaf.credential, leaf.key)).toBe(true)
    const other = as.forGroup(groupContext(Uint8Array.of(9)))
    expect(await other.validateCredential(leaf.credential, leaf.key)).toBe(false)
    expect(other.lastRefusal?.code).toBe('ERR_MLS_AUDIENCE_MISMATCH')
    const basic: mls.Credential = { credentialType: 1, identity: utf8Encode('eve') }
    const strict = as.forGroup(groupContext(g))
    expect(await strict.validateCredential(basic, leaf.key)).toBe(false)
    expect(strict.lastRefusal?.code).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    expect(await as.forGroup(groupContext(g, [])).validateCredential(basic, leaf.key)).toBe(true)
    expect(groupRequiresE2eidCredentials(groupContext(g))).toBe(true)
    expect(groupRequiresE2eidCredentials(groupContext(g, [1]))).toBe(false)
  })

  it('join scope defers the aud check to assertMemberFitsGroup', async () => {
    const g = Uint8Array.of(4)
    const as = new MlsCredentialAuthenticationService({ verify: withResult({ audience: mlsGroupAudience(SERVICE, Uint8Array.of(5)) }), service: SERVICE, provider })
    expect(await as.forJoin().validateCredential(leaf.credential, leaf.key)).toBe(true)
    const m = as.memberRecord(leaf.credential, leaf.key)!
    expect(() => as.assertMemberFitsGroup(m, groupContext(g))).toThrow(expect.objectContaining({ code: 'ERR_MLS_AUDIENCE_MISMATCH' }))
    expect(() => as.assertMemberFitsGroup(m, groupContext(Uint8Array.of(5)))).not.toThrow()
  })

  it('RFC 9420 §7.3 successor: same sub and cnf passes; another sub, another key or a switch to basic → ERR_MLS_SUCCESSOR_CHANGED_IDENTITY', async () => {
    const as = new MlsCredentialAuthenticationService({ verify: testVerifier(provider, [issuer]), service: SERVICE, provider })
    await as.validateCredential(leaf.credential, leaf.key)
    const m = as.memberRecord(leaf.credential, leaf.key)!
    const other = await provider.generateKeyPair('EdDSA')
    const otherKey = (await import('@e2eid/shared')).mlsSignatureKeyFromJwk(other.publicJwk)
    expect(() => as.assertSuccessor(m, { ...m, claims: { org: 'renewed' }, verifiedAt: m.verifiedAt + 1 })).not.toThrow()
    for (const next of [{ ...m, identity: 'someone-else', sub: 'someone-else' }, { ...m, signatureKey: otherKey, holderKey: other.publicJwk }, { ...m, kind: 'basic' as const }]) {
      expect(() => as.assertSuccessor(m, next)).toThrow(expect.objectContaining({ code: 'ERR_MLS_SUCCESSOR_CHANGED_IDENTITY' }))
    }
  })

  it('the MLS identity is (iss, sub): with two trusted authorities, B vouching for Alice\'s sub is not Alice (successor refused)', async () => {
    const issuerB = await makeIssuer(provider, 'https://other-authority.example')
    const as = new MlsCredentialAuthenticationService({ verify: testVerifier(provider, [issuer, issuerB]), service: SERVICE, provider })
    // Authority B issues a credential with Alice's sub, bound to the same leaf key (the leaf's holder got it from B).
    const kbtB = await makeTestKbt(provider, issuerB, holder, { sub: 'mimi://example.com/u/h/d1', claims: { org: 'example.com' } }, KP_AUD)
    const credB = mlsCredentialFromPresentation(kbtB)
    expect(await as.validateCredential(leaf.credential, leaf.key)).toBe(true)
    expect(await as.validateCredential(credB, leaf.key)).toBe(true)
    const alice = as.memberRecord(leaf.credential, leaf.key)!
    const fromB = as.memberRecord(credB, leaf.key)!
    expect(fromB.sub).toBe(alice.sub)
    expect(sameMlsIdentity(alice, fromB)).toBe(false)
    expect(mlsIdentityKey(alice)).not.toBe(mlsIdentityKey(fromB))
    expect(() => as.assertSuccessor(alice, fromB)).toThrow(expect.objectContaining({ code: 'ERR_MLS_SUCCESSOR_CHANGED_IDENTITY' }))
    expect(() => as.assertSuccessor(alice, { ...alice, verifiedAt: alice.verifiedAt + 1 })).not.toThrow()
  })

  it('prevalidate: leaves verified concurrently (up to the limit), refusals returned in order, successes cached for validateCredential', async () => {
    let inFlight = 0
    let maxInFlight = 0
    let calls = 0
    const good = withResult({})
    const verify: MlsPresentationVerifier = async (kind, presentation, ctx) => {
      calls++
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      await new Promise((r) => setTimeout(r, 5))
      inFlight--
      return good(kind, presentation, ctx)
    }
    const as = new MlsCredentialAuthenticationService({ verify, service: SERVICE, provider })
    const { mlsSignatureKeyFromJwk } = await import('@e2eid/shared')
    // Nine other valid keys (a flipped bit would often give an off-curve key, refused as ERR_KEY_ED25519_WEAK).
    const otherKeys = await Promise.all(Array.from({ length: 9 }, async () => mlsSignatureKeyFromJwk((await provider.generateKeyPair('EdDSA')).publicJwk)))
    // Ten leaves, one cache key each: the credential's own leaf key, and nine other keys (their binding fails).
    const leaves = Array.from({ length: 10 }, (_, i) => ({ credential: leaf.credential, signaturePublicKey: i === 0 ? leaf.key : otherKeys[i - 1]! }))
    const refusals = await as.prevalidate(leaves, { mode: 'key-package' }, 3)
    expect(maxInFlight).toBe(3)
    expect(calls).toBe(10)
    expect(refusals.map((r) => r?.code)).toEqual(leaves.map((_, i) => (i === 0 ? undefined : 'ERR_MLS_KEY_MISMATCH')))
    // ts-mls's own walk then reuses the verifications; the binding is checked again for each leaf.
    const view = as.forKeyPackage()
    expect(await view.validateCredential(leaf.credential, leaf.key)).toBe(true)
    expect(await view.validateCredential(leaves[1]!.credential, leaves[1]!.signaturePublicKey)).toBe(false)
    expect(view.lastRefusal?.code).toBe('ERR_MLS_KEY_MISMATCH')
    expect(calls).toBe(10)
  })

  it('refuses an invalid service URI at construction', () => {
    expect(() => new MlsCredentialAuthenticationService({ verify: withResult({}), service: 'not a uri', provider })).toThrow(expect.objectContaining({ code: 'ERR_MLS_SERVICE_INVALID' }))
  })
})
