/**
 * Attack suite (issue 8), family "impersonation by the provider", end to end: credentials issued by the real
 * authority (createIssuerApp) to real wallets (@e2eid/wallet), MLS KeyPackages made by the wallet, ts-mls groups whose
 * members verify with the real verifier stack. Each test asserts the refusal and its code.
 *
 * Unit-level versions (test credentials, not issued) live in e2e/src/mls/group.test.ts ("issue 8 attacks"): the
 * rogue commit of a member client that skips our checks, and the deferred aud check at join. The issuance-side
 * unknown-key-share is in ./issuance-relay.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hexDecode, mlsGroupAudience, mlsKeyPackageAudience, presentSdJwtVc } from '@e2eid/shared'
import { createMlsKeyPackage, encodeMlsKeyPackage, mlsCredentialFromPresentation } from '@e2eid/wallet'
import { decodeMlsKeyPackage, addMlsMembers, createMlsGroup, joinMlsGroup, listMlsMembers } from '@e2eid/verifier'
import type { AttackStack } from '../testkit/attack-stack.js'
import { SD_CWT, SD_JWT, SERVICE, providerKey, refusal, startAttackStack } from '../testkit/attack-stack.js'

let s: AttackStack
beforeAll(async () => {
  s = await startAttackStack()
})
afterAll(async () => {
  await s.close()
})

/** Alice creates a group and adds Bob; both verify with their own stacks. */
async function aliceAndBob(aliceConfiguration: string) {
  const alice = await s.holder('alice', aliceConfiguration)
  const bob = await s.holder('bob', SD_CWT)
  const aliceMember = s.member()
  const bobMember = s.member()
  const aKp = await s.keyPackage(alice)
  const bKp = await s.keyPackage(bob)
  let aState = await createMlsGroup({ authService: aliceMember.authService, cipherSuite: s.cs, keyPackage: aKp.keyPackage, privateKeyPackage: aKp.privateKeyPackage })
  const added = await addMlsMembers({ authService: aliceMember.authService, cipherSuite: s.cs, state: aState, keyPackages: [decodeMlsKeyPackage(bKp.encoded)] })
  aState = added.state
  const bState = await joinMlsGroup({ authService: bobMember.authService, cipherSuite: s.cs, welcome: added.welcome!, keyPackage: bKp.keyPackage, privateKeyPackage: bKp.privateKeyPackage })
  return { alice, bob, aliceMember, bobMember, aKp, bKp, aState, bState }
}

describe('attack: impersonation by the provider (its own key, the victim\'s credential)', () => {
  for (const configuration of [SD_JWT, SD_CWT]) {
    it(`attack: the provider copies Alice's issued ${configuration === SD_JWT ? 'SD-JWT VC' : 'SD-CWT'} credential out of her KeyPackage into one signed by its own key → ERR_MLS_KEY_MISMATCH`, async () => {
      const g = await aliceAndBob(configuration)
      // What the provider stores and serves: Alice's encoded KeyPackage. It lifts the credential and signs a new one.
      const stolen = decodeMlsKeyPackage(g.aKp.encoded).leafNode.credential
      const rogue = await createMlsKeyPackage({ credential: stolen, privateJwk: (await providerKey(s)).privateJwk, cipherSuite: s.cs })
      expect(await refusal(addMlsMembers({ authService: g.bobMember.authService, cipherSuite: s.cs, state: g.bState, keyPackages: [decodeMlsKeyPackage(encodeMlsKeyPackage(rogue.keyPackage))] }))).toBe('ERR_MLS_KEY_MISMATCH')
      expect(g.bobMember.authService.lastRefusalCode).toBe('ERR_MLS_KEY_MISMATCH')
      // The standalone KeyPackage check (before any group) refuses it too.
      expect(await g.aliceMember.authService.validateCredential(rogue.keyPackage.leafNode.credential, rogue.keyPackage.leafNode.signaturePublicKey)).toBe(false)
      expect(g.aliceMember.authService.lastRefusalCode).toBe('ERR_MLS_KEY_MISMATCH')
      // Control: Alice's own KeyPackage (same credential, her key) is accepted by the same verifier.
      expect(await g.bobMember.authService.validateCredential(g.aKp.keyPackage.leafNode.credential, g.aKp.keyPackage.leafNode.signaturePublicKey)).toBe(true)
    })
  }

  it('attack: the provider re-presents Alice\'s stolen SD-JWT VC with a KB-JWT signed by its own key → refused by the key binding (ERR_SDJWT_KB_SIGNATURE_INVALID)', async () => {
    const alice = await s.holder('alice', SD_JWT)
    const bob = s.member()
    // The issuer-signed part is public once presented; the provider signs a fresh KB-JWT with its own key.
    const presented = (await alice.wallet.present(alice.credential.id, { paths: ['org'], aud: mlsKeyPackageAudience(SERVICE) })).presentation
    const mallory = await providerKey(s)
    const withoutKb = presented.slice(0, presented.lastIndexOf('~') + 1)
    const forged = await presentSdJwtVc({ provider: s.provider, sdJwtVc: withoutKb, disclose: ['org'], holderKey: mallory.privateJwk, aud: mlsKeyPackageAudience(SERVICE), nonce: 'mls' })
    const kp = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(forged), privateJwk: mallory.privateJwk, cipherSuite: s.cs })
    expect(await bob.authService.validateCredential(kp.keyPackage.leafNode.credential, kp.keyPackage.leafNode.signaturePublicKey)).toBe(false)
    expect(bob.authService.lastRefusalCode).toBe('ERR_SDJWT_KB_SIGNATURE_INVALID')
  })
})

describe('attack: a victim\'s KBT replayed from another group', () => {
  it('attack: Bob\'s KBT made for group A is replayed into group B → ERR_MLS_AUDIENCE_MISMATCH (even in a leaf signed by Bob\'s own key)', async () => {
    const g = await aliceAndBob(SD_JWT)
    // Bob re-presents for group A only (specs/mls-profile.md §4); the provider sees that KBT in group A's tree.
    const groupA = mlsGroupAudience(SERVICE, g.bState.groupContext.groupId)
    const forA = await g.bob.wallet.present(g.bob.credential.id, { paths: ['org'], aud: groupA })
    const kbt = hexDecode(forA.presentation)
    // Group B: Alice's second group. The provider hands her a KeyPackage carrying the group-A KBT, and to rule out
    // the key check, one signed with Bob's own key (a leaf the provider replays as a whole).
    const aliceB = await s.holder('alice', SD_CWT)
    const aliceBMember = s.member()
    const aKpB = await s.keyPackage(aliceB)
    const groupB = await createMlsGroup({ authService: aliceBMember.authService, cipherSuite: s.cs, keyPackage: aKpB.keyPackage, privateKeyPackage: aKpB.privateKeyPackage })
    const replayed = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(kbt), privateJwk: g.bob.privateJwk, cipherSuite: s.cs })
    expect(await refusal(addMlsMembers({ authService: aliceBMember.authService, cipherSuite: s.cs, state: groupB, keyPackages: [replayed.keyPackage] }))).toBe('ERR_MLS_AUDIENCE_MISMATCH')
    expect(aliceBMember.authService.lastRefusalCode).toBe('ERR_MLS_AUDIENCE_MISMATCH')
    // Control: the same KBT is accepted in group A, for which it was made.
    const members = await listMlsMembers({ authService: g.aliceMember.authService, state: g.aState })
    expect(members.map((m) => m.sub).sort()).toEqual(['mimi://example.com/u/alice', 'mimi://example.com/u/bob'])
    expect(await g.aliceMember.authService.forGroup(g.aState.groupContext).validateCredential(mlsCredentialFromPresentation(kbt), g.bKp.keyPackage.leafNode.signaturePublicKey)).toBe(true)
  })

  it('attack: a KeyPackage credential made for another service is replayed here → ERR_MLS_AUDIENCE_MISMATCH', async () => {
    const bob = await s.holder('bob', SD_CWT)
    const alice = s.member()
    const elsewhere = await bob.wallet.present(bob.credential.id, { paths: ['org'], aud: mlsKeyPackageAudience('https://other-chat.example') })
    const kp = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(hexDecode(elsewhere.presentation)), privateJwk: bob.privateJwk, cipherSuite: s.cs })
    expect(await alice.authService.validateCredential(kp.keyPackage.leafNode.credential, kp.keyPackage.leafNode.signaturePublicKey)).toBe(false)
    expect(alice.authService.lastRefusalCode).toBe('ERR_MLS_AUDIENCE_MISMATCH')
  })
})

