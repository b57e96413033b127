/**
 * Attack suite (issue 8), family "downgrade to a basic credential in a group that requires ours", end to end: the
 * group is made of members holding credentials issued by the real authority to real wallets; the provider offers a
 * basic-credential KeyPackage (RFC 9420 §5.3.1: an identity string anyone can write) claiming to be Alice.
 *
 * Unit-level versions: e2e/src/mls/group.test.ts ("downgrade: a basic credential where the group requires
 * ours"), e2e/src/mls/authentication-service.test.ts (successor switching to basic).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as mls from 'ts-mls'
import { utf8Encode } from '@e2eid/shared'
import { mlsCapabilities } from '@e2eid/wallet'
import { decodeMlsKeyPackage, addMlsMembers, createMlsGroup, joinMlsGroup, listMlsMembers, processMlsMessage } from '@e2eid/verifier'
import type { AttackStack } from '../testkit/attack-stack.js'
import { SD_CWT, SD_JWT, USERS, refusal, startAttackStack } from '../testkit/attack-stack.js'

let s: AttackStack
beforeAll(async () => {
  s = await startAttackStack()
})
afterAll(async () => {
  await s.close()
})

/** A basic credential claiming Alice's identity; it even lists our credential types, so ts-mls's own checks pass. */
function basicAlice() {
  return mls.generateKeyPackage({
    credential: { credentialType: mls.defaultCredentialTypes.basic, identity: utf8Encode(USERS.alice.sub) },
    capabilities: mlsCapabilities(),
    cipherSuite: s.cs,
  })
}

async function bobAndCarolGroup() {
  const bob = await s.holder('bob', SD_CWT)
  const carol = await s.holder('mallory', SD_JWT) // any second legitimate member
  const bobM = s.member({ allowBasic: true }) // even a service that tolerates basic elsewhere
  const carolM = s.member()
  const bKp = await s.keyPackage(bob)
  const cKp = await s.keyPackage(carol)
  let bState = await createMlsGroup({ authService: bobM.authService, cipherSuite: s.cs, keyPackage: bKp.keyPackage, privateKeyPackage: bKp.privateKeyPackage })
  const added = await addMlsMembers({ authService: bobM.authService, cipherSuite: s.cs, state: bState, keyPackages: [decodeMlsKeyPackage(cKp.encoded)] })
  bState = added.state
  const cState = await joinMlsGroup({ authService: carolM.authService, cipherSuite: s.cs, welcome: added.welcome!, keyPackage: cKp.keyPackage, privateKeyPackage: cKp.privateKeyPackage })
  return { bobM, carolM, bState, cState }
}

describe('attack: downgrade to a basic credential in a group that requires ours', () => {
  it('attack: the provider offers a basic KeyPackage named "Alice" to a group with required_capabilities → ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED, even where basic is tolerated elsewhere', async () => {
    const g = await bobAndCarolGroup()
    const basic = await basicAlice()
    expect(await refusal(addMlsMembers({ authService: g.bobM.authService, cipherSuite: s.cs, state: g.bState, keyPackages: [basic.publicPackage] }))).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    expect(g.bobM.authService.lastRefusalCode).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    // Deny by default: a service that does not allow basic refuses it even as a bare KeyPackage.
    expect(await g.carolM.authService.validateCredential(basic.publicPackage.leafNode.credential, basic.publicPackage.leafNode.signaturePublicKey)).toBe(false)
    expect(g.carolM.authService.lastRefusalCode).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
  })

  it('attack: a member client that skips our checks commits the basic "Alice" anyway → the other members refuse the commit (ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED) and keep their state', async () => {
    const g = await bobAndCarolGroup()
    const basic = await basicAlice()
    const rogue = await mls.createCommit({
      context: { cipherSuite: s.cs, authService: mls.unsafeTestingAuthenticationService },
      state: g.bState,
      ratchetTreeExtension: true,
      extraProposals: [{ proposalType: mls.defaultProposalTypes.add, add: { keyPackage: basic.publicPackage } }],
    })
    expect(await refusal(processMlsMessage({ authService: g.carolM.authService, cipherSuite: s.cs, state: g.cState, message: rogue.commit }))).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
    const members = await listMlsMembers({ authService: g.carolM.authService, state: g.cState })
    expect(members.map((m) => m.kind).sort()).toEqual(['sd-cwt', 'sd-jwt'])
    // The basic "Alice" cannot join from that Welcome either: her own join checks every leaf (deny by default).
    const strict = s.member()
    expect(await refusal(joinMlsGroup({ authService: strict.authService, cipherSuite: s.cs, welcome: rogue.welcome!, keyPackage: basic.publicPackage, privateKeyPackage: basic.privatePackage }))).toBe('ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED')
  })
})
