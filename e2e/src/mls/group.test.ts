/**
 * Real ts-mls groups (suite 1) whose members hold SD-JWT VC and SD-CWT-style credentials with real
 * signatures (test-helpers/credentials.ts), and the attacks of issues 6 and 8, each refused with its code.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as mls from 'ts-mls'
import {
  coseKeyThumbprint,
  createWebCryptoProvider,
  E2eidError,
  jwkFromMlsSignatureKey,
  mlsGroupAudience,
  mlsKeyPackageAudience,
  utf8Decode,
  utf8Encode,
} from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createMlsKeyPackage, mlsCapabilities, mlsCipherSuite, mlsCredentialFromPresentation } from '@e2eid/wallet'
import { MlsCredentialAuthenticationService, mlsStatusChecker, recheckMlsGroupStatus, pinnedKeyTrustStore, decodeMlsFramedMessage, decodeMlsWelcome, encodeMlsMessage } from '@e2eid/verifier'
import {
  addMlsMembers,
  createMlsGroup,
  joinMlsGroup,
  listMlsMembers,
  processMlsMessage,
  removeMlsMembers,
  sendMlsApplicationMessage,
  updateMlsCredential,
} from '@e2eid/verifier'
import type { StatusChecker, StatusLookup, MlsPresentationVerifier } from '@e2eid/verifier'
import type { TestIssuer } from '@e2eid/verifier/testing'
import { makeIssuer, makeTestKbt, makeTestSdJwt, testVerifier, verifyTestKbt } from '@e2eid/verifier/testing'

const provider = createWebCryptoProvider()
const SERVICE = 'https://chat.example'
const KP_AUD = mlsKeyPackageAudience(SERVICE)

let cs: mls.CiphersuiteImpl
let issuer: TestIssuer
let rogueIssuer: TestIssuer
interface Person {
  name: string
  keys: KeyPair
  as: MlsCredentialAuthenticationService
}
const people: Record<string, Person> = {}

function newAs(extra: Partial<ConstructorParameters<typeof MlsCredentialAuthenticationService>[0]> = {}): MlsCredentialAuthenticationService {
  return new MlsCredentialAuthenticationService({ verify: testVerifier(provider, [issuer]), service: SERVICE, provider, ...extra })
}

async function person(name: string): Promise<Person> {
  const p = { name, keys: await provider.generateKeyPair('EdDSA'), as: newAs() }
  people[name] = p
  return p
}

async function kpFor(p: Person, presentation: Uint8Array | string) {
  return createMlsKeyPackage({ credential: mlsCredentialFromPresentation(presentation), privateJwk: p.keys.privateJwk, cipherSuite: cs })
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (e) {
    if (e instanceof E2eidError) return e.code
    throw e
  }
  throw new Error('expected a refusal')
}

const aliceClaims = { sub: 'mimi://example.com/u/alice/d1', claims: { name: 'Alice', org: 'example.com', role: 'engineer' } }
const bobClaims = { sub: 'mimi://example.com/u/bob/d1', claims: { name: 'Bob', org: 'example.com', role: 'manager' }, disclose: ['org', 'role'] }
const carolClaims = { sub: 'mimi://example.com/u/carol/d1', claims: { org: 'example.org' }, status: { idx: 7, uri: 'https://issuer.example/status/1' } }

/** Alice (SD-JWT VC) creates a group and adds Bob and Carol (SD-CWT KBTs); everyone joins. */
async function threeMemberGroup() {
  const alice = people.alice!
  const bob = people.bob!
  const carol = people.carol!
  const aKp = await kpFor(alice, await makeTestSdJwt(provider, issuer, alice.keys, aliceClaims, ['name', 'org', 'role'], KP_AUD))
  const bKp = await kpFor(bob, await makeTestKbt(provider, issuer, bob.keys, bobClaims, KP_AUD))
  const cKp = await kpFor(carol, await makeTestKbt(provider, issuer, carol.keys, carolClaims, KP_AUD))
  let aState = await createMlsGroup({ authService: alice.as, cipherSuite: cs, keyPackage: aKp.keyPackage, privateKeyPackage: aKp.privateKeyPackage })
  const added = await addMlsMembers({ authService: alice.as, cipherSuite: cs, state: aState, keyPackages: [bKp.keyPackage, cKp.keyPackage] })
  aState = added.state
  // through the wire, as the delivery service would carry them
  const welcome = decodeMlsWelcome(encodeMlsMessage(added.welcome!))
  const bState = await joinMlsGroup({ authService: bob.as, cipherSuite: cs, welcome, keyPackage: bKp.keyPackage, privateKeyPackage: bKp.privateKeyPackage })
  const cState = await joinMlsGroup({ authService: carol.as, cipherSuite: cs, welcome, keyPackage: cKp.keyPackage, privateKeyPackage: cKp.privateKeyPackage })
  return { aState, bState, cState, aKp, bKp, cKp, welcome }
}

beforeAll(async () => {
  cs = await mlsCipherSuite()
  issuer = await makeIssuer(provider)
  rogueIssuer = await makeIssuer(provider, 'https://rogue.example')
  for (const n of ['alice', 'bob', 'carol', 'dave', 'provider']) await person(n)
})

describe('issue 7: joining with the ratchet tree at hand', () => {
  it('the tree\'s credentials are verified concurrently before ts-mls walks it (one at a time), and its walk reuses them', async () => {
    const g = await threeMemberGroup()
    const inner = testVerifier(provider, [issuer])
    let inFlight = 0
    let maxInFlight = 0
    const verify: MlsPresentationVerifier = async (...args) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      try {
        await new Promise((r) => setTimeout(r, 5))
        return await inner(...args)
      } finally {
        inFlight--
      }
    }
    const as = newAs({ verify })
    const state = await joinMlsGroup({ authService: as, cipherSuite: cs, welcome: g.welcome, keyPackage: g.bKp.keyPackage, privateKeyPackage: g.bKp.privateKeyPackage, ratchetTree: g.aState.ratchetTree })
    expect((await listMlsMembers({ authService: as, state })).map((m) => m.sub)).toEqual([aliceClaims.sub, bobClaims.sub, carolClaims.sub])
    expect(maxInFlight).toBe(3)
    expect(inner.calls).toBe(3)
  })
})

describe('issue 6: a group of three with mixed credential types', () => {
  it('every member verifies every other member through the AuthenticationService, with selective disclosure', async () => {
    const { aState, bState, cState } = await threeMemberGroup()
    expect(bState.groupContext.groupId).toEqual(aState.groupContext.groupId)
    for (const [who, state] of [['alice', aState], ['bob', bState], ['carol', cState]] as const) {
      const members = await listMlsMembers({ authService: people[who]!.as, state })
      expect(members.map((m) => [m.leafIndex, m.kind, m.sub, m.verified])).toEqual([
        [0, 'sd-jwt', aliceClaims.sub, true],
        [1, 'sd-cwt', bobClaims.sub, true],
        [2, 'sd-cwt', carolClaims.sub, true],
      ])
      expect(members.filter((m) => m.own).map((m) => m.sub)).toEqual([people[who] === people.alice ? aliceClaims.sub : who === 'bob' ? bobClaims.sub : carolClaims.sub])
      // cnf = the leaf key, recorded as a JWK
      for (const m of members) expect(m.holderKey).toMatchObject(jwkFromMlsSignatureKey(m.signatureKey))
      // Bob shows only org and role; Alice's SD-JWT shows what she disclosed
      expect(members[1]!.claims).toMatchObject({ org: 'example.com', role: 'manager' })
      expect(members[1]!.claims).not.toHaveProperty('name')
      expect(members[0]!.claims).toMatchObject({ name: 'Alice', org: 'example.com' })
      expect(members[2]!.status).toEqual(carolClaims.status)
    }
    // the group requires our credential types (RFC 9420 required_capabilities)
    const rc = aState.groupContext.extensions.find((e) => e.extensionType === mls.defaultExtensionTypes.required_capabilities)
    expect((rc?.extensionData as mls.RequiredCapabilities).credentialTypes).toEqual([5, 6])
    // and it works as a group: Bob's message reaches Carol and Alice
    const sent = await sendMlsApplicationMessage({ authService: people.bob!.as, cipherSuite: cs, state: bState, message: utf8Encode('hello from Bob') })
    const wire = decodeMlsFramedMessage(encodeMlsMessage(sent.message))
    for (const [who, state] of [['carol', cState], ['alice', aState]] as const) {
      const r = await processMlsMessage({ authService: people[who]!.as, cipherSuite: cs, state, message: wire })
      expect(utf8Decode(r.applicationMessage!)).toBe('hello from Bob')
    }
  })

  it('a commit from another member is processed, and a removed member leaves the list', async () => {
    const { aState, bState, cState } = await threeMemberGroup()
    const removed = await removeMlsMembers({ authService: people.bob!.as, cipherSuite: cs, state: bState, leafIndices: [2] })
    const a2 = await processMlsMessage({ authService: people.alice!.as, cipherSuite: cs, state: aState, message: removed.commit })
    expect(a2.newEpoch).toBe(true)
    expect((await listMlsMembers({ authService: people.alice!.as, state: a2.state })).map((m) => m.sub)).toEqual([aliceClaims.sub, bobClaims.sub])
    const c2 = await processMlsMessage({ authService: people.carol!.as, cipherSuite: cs, state: cState, message: removed.commit })
    expect(c2.state.groupActiveState.kind).toBe('removedFromGroup')
  })
})

describe('issue 8 attacks: each refused with its own code', () => {
  it('impersonation: the provider adds a KeyPackage carrying Alice\'s credential on its own key → ERR_MLS_KEY_MISMATCH', async () => {
    const { aState, bState } = await threeMemberGroup()
    const alice = people.alice!
    const stolen = await makeTestSdJwt(provider, issuer, alice.keys, aliceClaims, ['org'], KP_AUD)
    // the provider copies Alice's valid presentation into a KeyPackage signed by its own key
    const forged = await kpFor(people.provider!, stolen)
    const bob = people.bob!
    expect(await code(addMlsMembers({ authService: bob.as, cipherSuite: cs, state: bState, keyPackages: [forged.keyPackage] }))).toBe('ERR_MLS_KEY_MISMATCH')
    expect(bob.as.lastRefusalCode).toBe('ERR_MLS_KEY_MISMATCH')
    // a member client that skips our checks commits it anyway: every other member refuses the commit
    const rogue = await mls.createCommit({
      context: { cipherSuite: cs, authService: mls.unsafeTestingAuthenticationService },
      state: bState,
      extraProposals: [{ proposalType: mls.defaultProposalTypes.add, add: { keyPackage: forged.keyPackage } }],
    })
    expect(await code(processMlsMessage({ authService: alice.as, cipherSuite: cs, state: aState, message: rogue.commit }))).toBe('ERR_MLS_KEY_MISMATCH')
    expect(alice.as.lastRefusalCode).toBe('ERR_MLS_KEY_MISMATCH')
  })

  it('downgrade: a basic credential where the group requires ours (required_capabilities) → ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED', async () => {
    const lenient = newAs({ allowBasic: true })
    const alice = people.alice!
    const aKp = await kpFor(alice, await makeTestSdJwt(provider, issuer, alice.keys, aliceClaims, ['org'], KP_AUD))
    // the basic KeyPackage even lists our types, so ts-mls's own capability checks pass
    const basicKp = await mls.generateKeyPackage({ credential: { credentialType: mls.defaultCredentialTypes.basic, identity: utf8Encode('alice') }, capabilities: mlsCapabilities(), cipherSuite: cs })
    const strictGroup = await createMlsGroup({ authService: lenient, cipherSuite: cs, keyPackage: aKp.keyPackage, privateKeyPackage: aKp.privateKeyPackage })
    expect(await code(addMlsMembers({ authService: lenient, cipherSuite: cs, state: strictGroup, keyPackages: [basicKp.publicPackage] }))).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    expect(lenient.lastRefusalCode).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    // control: the same service accepts it in a group that does not require ours, recorded as unverified
    const aKp2 = await kpFor(alice, await makeTestSdJwt(provider, issuer, alice.keys, aliceClaims, ['org'], KP_AUD))
    const openGroup = await createMlsGroup({ authService: lenient, cipherSuite: cs, keyPackage: aKp2.keyPackage, privateKeyPackage: aKp2.privateKeyPackage, requireE2eidCredentials: false })
    const ok = await addMlsMembers({ authService: lenient, cipherSuite: cs, state: openGroup, keyPackages: [basicKp.publicPackage] })
    const members = await listMlsMembers({ authService: lenient, state: ok.state })
    expect(members.map((m) => [m.kind, m.identity, m.verified])).toEqual([['sd-jwt', aliceClaims.sub, true], ['basic', 'alice', false]])
    // deny by default: a service that does not allow basic refuses it everywhere
    expect(await code(addMlsMembers({ authService: alice.as, cipherSuite: cs, state: openGroup, keyPackages: [basicKp.publicPackage] }))).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
  })

  it('a successor leaf changing identity (sub) is refused → ERR_MLS_SUCCESSOR_CHANGED_IDENTITY; a renewal keeping sub and cnf is accepted', async () => {
    const { aState, bState, cState } = await threeMemberGroup()
    const bob = people.bob!
    const groupAud = mlsGroupAudience(SERVICE, bState.groupContext.groupId)
    // a validly issued credential on Bob's key, but for another subject
    const other = mlsCredentialFromPresentation(await makeTestKbt(provider, issuer, bob.keys, { sub: 'mimi://example.com/u/mallory/d1', claims: {} }, groupAud))
    expect(await code(updateMlsCredential({ authService: bob.as, cipherSuite: cs, state: bState, credential: other }))).toBe('ERR_MLS_SUCCESSOR_CHANGED_IDENTITY')
    // a client that skips the check sends the commit anyway: the others refuse it
    const own = bState.privatePath.leafIndex
    const tree = bState.ratchetTree.slice()
    const leaf = (tree[own * 2] as mls.NodeLeaf).leaf
    tree[own * 2] = { nodeType: mls.nodeTypes.leaf, leaf: { ...leaf, credential: other } }
    const rogue = await mls.createCommit({ context: { cipherSuite: cs, authService: mls.unsafeTestingAuthenticationService }, state: { ...bState, ratchetTree: tree } })
    expect(await code(processMlsMessage({ authService: people.alice!.as, cipherSuite: cs, state: aState, message: rogue.commit }))).toBe('ERR_MLS_SUCCESSOR_CHANGED_IDENTITY')
    // control: a renewed credential (same sub, same key, now with the group's aud) is accepted by everyone
    const renewed = mlsCredentialFromPresentation(await makeTestKbt(provider, issuer, bob.keys, { sub: bobClaims.sub, claims: { org: 'example.com' } }, groupAud))
    const upd = await updateMlsCredential({ authService: bob.as, cipherSuite: cs, state: bState, credential: renewed })
    const c2 = await processMlsMessage({ authService: people.carol!.as, cipherSuite: cs, state: cState, message: upd.commit })
    const bobSeenByCarol = (await listMlsMembers({ authService: people.carol!.as, state: c2.state }))[1]!
    expect([bobSeenByCarol.sub, bobSeenByCarol.audience]).toEqual([bobClaims.sub, groupAud])
    expect(bobSeenByCarol.claims).not.toHaveProperty('role')
  })

  it('a KBT replayed in another group (aud) → ERR_MLS_AUDIENCE_MISMATCH', async () => {
    const { aState } = await threeMemberGroup()
    const dave = people.dave!
    const otherGroupAud = mlsGroupAudience(SERVICE, new Uint8Array(32).fill(9))
    const replayed = await kpFor(dave, await makeTestKbt(provider, issuer, dave.keys, { sub: 'mimi://example.com/u/dave/d1', claims: {} }, otherGroupAud))
    expect(await code(addMlsMembers({ authService: people.alice!.as, cipherSuite: cs, state: aState, keyPackages: [replayed.keyPackage] }))).toBe('ERR_MLS_AUDIENCE_MISMATCH')
    // and a presentation meant for another service altogether
    const foreign = await kpFor(dave, await makeTestKbt(provider, issuer, dave.keys, { sub: 'mimi://example.com/u/dave/d1', claims: {} }, mlsKeyPackageAudience('https://other.example')))
    expect(await code(addMlsMembers({ authService: people.alice!.as, cipherSuite: cs, state: aState, keyPackages: [foreign.keyPackage] }))).toBe('ERR_MLS_AUDIENCE_MISMATCH')
  })

  it('a Welcome into a tree holding another group\'s KBT is refused by the joiner after the join (deferred aud check)', async () => {
    const { bState } = await threeMemberGroup()
    const dave = people.dave!
    const eve = people.provider!
    const otherGroupAud = mlsGroupAudience(SERVICE, new Uint8Array(32).fill(7))
    const eveKp = await kpFor(eve, await makeTestKbt(provider, issuer, eve.keys, { sub: 'mimi://example.com/u/eve/d1', claims: {} }, otherGroupAud))
    const daveKp = await kpFor(dave, await makeTestKbt(provider, issuer, dave.keys, { sub: 'mimi://example.com/u/dave/d1', claims: {} }, KP_AUD))
    // a member client that skips our checks adds both
    const rogue = await mls.createCommit({
      context: { cipherSuite: cs, authService: mls.unsafeTestingAuthenticationService },
      state: bState,
      ratchetTreeExtension: true,
      extraProposals: [eveKp, daveKp].map((k) => ({ proposalType: mls.defaultProposalTypes.add, add: { keyPackage: k.keyPackage } })),
    })
    const daveAs = newAs()
    expect(await code(joinMlsGroup({ authService: daveAs, cipherSuite: cs, welcome: rogue.welcome!, keyPackage: daveKp.keyPackage, privateKeyPackage: daveKp.privateKeyPackage }))).toBe('ERR_MLS_AUDIENCE_MISMATCH')
  })

  it('an untrusted issuer, an expired credential and a tampered SD-JWT are refused with the verifier\'s codes', async () => {
    const { aState } = await threeMemberGroup()
    const dave = people.dave!
    const alice = people.alice!
    const untrusted = await kpFor(dave, await makeTestKbt(provider, rogueIssuer, dave.keys, { sub: 'd', claims: {} }, KP_AUD))
    expect(await code(addMlsMembers({ authService: alice.as, cipherSuite: cs, state: aState, keyPackages: [untrusted.keyPackage] }))).toBe('ERR_SDCWT_ISSUER_SIGNATURE_INVALID')
    const expired = await kpFor(dave, await makeTestKbt(provider, issuer, dave.keys, { sub: 'd', claims: {}, exp: 1000 }, KP_AUD))
    expect(await code(addMlsMembers({ authService: alice.as, cipherSuite: cs, state: aState, keyPackages: [expired.keyPackage] }))).toBe('ERR_SDCWT_EXPIRED')
    // swap the payload of the issuer JWT for another one: the issuer signature no longer verifies
    const good = await makeTestSdJwt(provider, issuer, dave.keys, { sub: 'd', claims: { role: 'guest' } }, ['role'], KP_AUD)
    const other = await makeTestSdJwt(provider, issuer, dave.keys, { sub: 'd', claims: { role: 'admin' } }, ['role'], KP_AUD)
    const [h, , s] = good.split('~')[0]!.split('.')
    const tampered = [h, other.split('~')[0]!.split('.')[1], s].join('.') + good.slice(good.indexOf('~'))
    const tKp = await kpFor(dave, tampered)
    const c = await code(addMlsMembers({ authService: alice.as, cipherSuite: cs, state: aState, keyPackages: [tKp.keyPackage] }))
    expect(c).toBe('ERR_SDJWT_SIGNATURE_INVALID')
  })

  it('malformed credential bytes in a leaf are refused with the decoder\'s code', async () => {
    const { aState } = await threeMemberGroup()
    const junk = await createMlsKeyPackage({ credential: { credentialType: 5, data: Uint8Array.of(1, 2, 3) }, privateJwk: people.dave!.keys.privateJwk, cipherSuite: cs })
    expect(await code(addMlsMembers({ authService: people.alice!.as, cipherSuite: cs, state: aState, keyPackages: [junk.keyPackage] }))).toBe('ERR_MLS_SD_CWT_NOT_COSE_SIGN1')
    const junk2 = await createMlsKeyPackage({ credential: { credentialType: 6, data: Uint8Array.of(7) }, privateJwk: people.dave!.keys.privateJwk, cipherSuite: cs })
    expect(await code(addMlsMembers({ authService: people.alice!.as, cipherSuite: cs, state: aState, keyPackages: [junk2.keyPackage] }))).toBe('ERR_MLS_BOOL_INVALID')
  })

  it('a KeyPackage that does not list the credential types in use (ts-mls gap, RFC 9420 §7.3) → ERR_MLS_CAPABILITIES_MISSING', async () => {
    const alice = people.alice!
    const dave = people.dave!
    const aKp = await kpFor(alice, await makeTestSdJwt(provider, issuer, alice.keys, aliceClaims, ['org'], KP_AUD))
    const g = await createMlsGroup({ authService: alice.as, cipherSuite: cs, keyPackage: aKp.keyPackage, privateKeyPackage: aKp.privateKeyPackage, requireE2eidCredentials: false })
    const caps = mls.defaultCapabilities()
    caps.credentials.push(5) // lists sd_cwt but not sd_jwt, which Alice uses
    const kbt = await makeTestKbt(provider, issuer, dave.keys, { sub: 'mimi://example.com/u/dave/d1', claims: {} }, KP_AUD)
    const { mlsSignatureKeyPairFromJwk } = await import('@e2eid/wallet')
    const kp = await mls.generateKeyPackageWithKey({ credential: mlsCredentialFromPresentation(kbt), capabilities: caps, signatureKeyPair: mlsSignatureKeyPairFromJwk(dave.keys.privateJwk, cs), cipherSuite: cs })
    expect(await code(addMlsMembers({ authService: alice.as, cipherSuite: cs, state: g, keyPackages: [kp.publicPackage] }))).toBe('ERR_MLS_CAPABILITIES_MISSING')
  })
})

describe('refusals of ts-mls itself', () => {
  it('a KeyPackage of another cipher suite → ERR_MLS_REJECTED with ts-mls\'s reason', async () => {
    const { aState } = await threeMemberGroup()
    const p256 = await provider.generateKeyPair('ES256')
    const kp = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(await makeTestKbt(provider, issuer, p256, { sub: 'p', claims: {} }, KP_AUD)), privateJwk: p256.privateJwk })
    expect(kp.keyPackage.cipherSuite).toBe(2)
    await expect(addMlsMembers({ authService: people.alice!.as, cipherSuite: cs, state: aState, keyPackages: [kp.keyPackage] })).rejects.toMatchObject({ code: 'ERR_MLS_REJECTED', message: expect.stringContaining('CipherSuite') })
  })
})

describe('cnf as a COSE Key Thumbprint (ckt, RFC 9679)', () => {
  it('accepts the leaf whose key has the thumbprint and refuses another key → ERR_MLS_KEY_MISMATCH', async () => {
    const dave = people.dave!
    const as = new MlsCredentialAuthenticationService({
      service: SERVICE,
      provider,
      verify: (_kind, presentation, ctx) => verifyTestKbt(provider, [issuer], presentation as Uint8Array, jwkFromMlsSignatureKey(ctx.signatureKey)),
    })
    const kbt = await makeTestKbt(provider, issuer, dave.keys, { sub: 'mimi://example.com/u/dave/d1', claims: {} }, KP_AUD, 'ckt')
    const kp = await kpFor(dave, kbt)
    expect(await as.validateCredential(kp.keyPackage.leafNode.credential, kp.keyPackage.leafNode.signaturePublicKey)).toBe(true)
    // the provider pairs the credential with its own key: the ckt does not resolve to that key
    const forged = await kpFor(people.provider!, kbt)
    expect(await as.validateCredential(forged.keyPackage.leafNode.credential, forged.keyPackage.leafNode.signaturePublicKey)).toBe(false)
    expect(as.lastRefusalCode).toBe('ERR_SDCWT_CNF_UNRESOLVED')
    // with a verifier that trusts the thumbprint alone, the service's own ckt comparison refuses it
    const as2 = new MlsCredentialAuthenticationService({
      service: SERVICE,
      provider,
      verify: async () => {
        await verifyTestKbt(provider, [issuer], kbt, dave.keys.publicJwk)
        return { holderKeyThumbprint: coseKeyThumbprint(dave.keys.publicJwk, provider), sub: 'd', claims: {}, issuer: issuer.iss, audience: KP_AUD }
      },
    })
    expect(await as2.validateCredential(forged.keyPackage.leafNode.credential, forged.keyPackage.leafNode.signaturePublicKey)).toBe(false)
    expect(as2.lastRefusalCode).toBe('ERR_MLS_KEY_MISMATCH')
    expect(await as2.validateCredential(kp.keyPackage.leafNode.credential, kp.keyPackage.leafNode.signaturePublicKey)).toBe(true)
  })
})

describe('issue 6: group status re-check on demand', () => {
  it('names the members whose credentials are now revoked or suspended, with leaf index and identity', async () => {
    const { aState } = await threeMemberGroup()
    const alice = people.alice!
    const asked: number[] = []
    const valid = await recheckMlsGroupStatus({ authService: alice.as, state: aState, checkStatus: async (ref) => (asked.push(ref.idx), 0) })
    expect(valid).toEqual([])
    expect(asked).toEqual([7]) // only Carol's credential has a status reference
    const revoked = await recheckMlsGroupStatus({ authService: alice.as, state: aState, checkStatus: async (ref) => (ref.idx === 7 ? 1 : 0) })
    expect(revoked.map((f) => [f.leafIndex, f.identity, f.status, f.value])).toEqual([[2, carolClaims.sub, 'revoked', 1]])
    const suspended = await recheckMlsGroupStatus({ authService: alice.as, state: aState, checkStatus: async () => 2 })
    expect(suspended.map((f) => f.status)).toEqual(['suspended'])
    const down = await recheckMlsGroupStatus({ authService: alice.as, state: aState, checkStatus: async () => { throw new E2eidError('ERR_STATUS_FETCH_FAILED', 'unreachable') } })
    expect(down.map((f) => [f.status, f.error?.code])).toEqual([['unavailable', 'ERR_STATUS_FETCH_FAILED']])
    // through the verifier's StatusChecker: the lookup carries the reference, the format and the issuer's trusted keys
    const lookups: StatusLookup[] = []
    const checker: StatusChecker = { status: async (lookup) => (lookups.push(lookup), { status: 1, fromCache: false }) }
    const viaVerifier = await recheckMlsGroupStatus({ authService: alice.as, state: aState, checkStatus: mlsStatusChecker(checker, pinnedKeyTrustStore(issuer.keys.publicJwk)) })
    expect(viaVerifier.map((f) => [f.leafIndex, f.status])).toEqual([[2, 'revoked']])
    expect(lookups).toEqual([{ ref: carolClaims.status, issuerKeys: [issuer.keys.publicJwk], format: 'sd-cwt', graceUntilExp: false }])
    // the application removes the revoked member
    const removed = await removeMlsMembers({ authService: alice.as, cipherSuite: cs, state: aState, leafIndices: revoked.map((f) => f.leafIndex) })
    expect((await listMlsMembers({ authService: alice.as, state: removed.state })).map((m) => m.sub)).toEqual([aliceClaims.sub, bobClaims.sub])
  })
})
