/**
 * @module mls/group
 * Thin wrappers over ts-mls 2.0.0-rc.10 for groups whose members hold e2eid credentials. Each
 * wrapper runs ts-mls with a scoped view of {@link MlsCredentialAuthenticationService}, turns a
 * refusal into the E2eidError that caused it (rc.10 only reports "Could not validate credential"),
 * and then checks what ts-mls rc.10 does not:
 * - every leaf fits the group (aud, credential type under required_capabilities), also after a Welcome;
 * - every leaf lists every credential type in use (RFC 9420 §7.3; ts-mls.md §4 item 6);
 * - a successor leaf (Update / Commit path) keeps `sub` and `cnf` (no `validateSuccessorCredential` in rc.10).
 * States are immutable: on a refusal the caller keeps its previous state.
 */
import { bytesEqual, E2eidError } from '@e2eid/shared'
import {
  createApplicationMessage,
  createCommit,
  createGroup,
  defaultCredentialTypes,
  defaultExtensionTypes,
  defaultProposalTypes,
  joinGroup,
  nodeTypes,
  processMessage,
} from 'ts-mls'
import type {
  CiphersuiteImpl,
  ClientState,
  Credential,
  GroupContext,
  GroupContextExtension,
  KeyPackage,
  LeafNode,
  MlsFramedMessage,
  MlsWelcomeMessage,
  PrivateKeyPackage,
  Proposal,
  RatchetTree,
} from 'ts-mls'
import type { MlsCredentialAuthenticationService, ScopedAuthenticationService } from './authentication-service.js'
import type { VerifiedMlsMember } from './types.js'

/** What every group helper needs. */
export interface MlsGroupParams {
  authService: MlsCredentialAuthenticationService
  cipherSuite: CiphersuiteImpl
}

/** A member as listed by {@link listMlsMembers}. */
export interface MlsGroupMember extends VerifiedMlsMember {
  readonly leafIndex: number
  /** True for the local client's own leaf. */
  readonly own: boolean
}

function leaves(tree: RatchetTree): [number, LeafNode][] {
  const out: [number, LeafNode][] = []
  for (let i = 0; i < tree.length; i += 2) {
    const n = tree[i]
    if (n !== undefined && n.nodeType === nodeTypes.leaf) out.push([i / 2, (n as { leaf: LeafNode }).leaf])
  }
  return out
}

function leafAt(tree: RatchetTree, leafIndex: number): LeafNode | undefined {
  const n = tree[leafIndex * 2]
  return n !== undefined && n.nodeType === nodeTypes.leaf ? (n as { leaf: LeafNode }).leaf : undefined
}

function credentialBody(c: Credential): Uint8Array {
  if ('data' in c) return c.data
  if ('identity' in c) return c.identity
  return new Uint8Array()
}

function sameLeafIdentity(a: LeafNode, b: LeafNode): boolean {
  return (
    a.credential.credentialType === b.credential.credentialType &&
    bytesEqual(credentialBody(a.credential), credentialBody(b.credential)) &&
    bytesEqual(a.signaturePublicKey, b.signaturePublicKey)
  )
}

/** Runs a ts-mls call; a refusal by our service surfaces as its E2eidError, anything else as ERR_MLS_REJECTED. */
async function run<T>(view: ScopedAuthenticationService, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof E2eidError) throw e
    if (view.lastRefusal !== undefined) throw view.lastRefusal
    throw new E2eidError('ERR_MLS_REJECTED', `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
}

/** The RFC 9420 §11.1 required_capabilities extension demanding our two credential types. */
export function e2eidRequiredCapabilities(authService: MlsCredentialAuthenticationService): GroupContextExtension {
  return {
    extensionType: defaultExtensionTypes.required_capabilities,
    extensionData: { extensionTypes: [], proposalTypes: [], credentialTypes: [authService.types.sdCwt, authService.types.sdJwt] },
  }
}

/**
 * Checks a whole group state: every leaf verified (now, if no record), fitting the group, listing every
 * credential type in use; and, when `previous` is given, every changed leaf that was not removed keeps
 * its identity. Throws the E2eidError of the first failure.
 */
export async function assertMlsGroupState(
  authService: MlsCredentialAuthenticationService,
  state: ClientState,
  previous?: { state: ClientState; removed: ReadonlySet<number> },
): Promise<void> {
  const gc = state.groupContext
  const all = leaves(state.ratchetTree)
  const inUse = new Set(all.map(([, l]) => l.credential.credentialType))
  for (const [i, leaf] of all) {
    for (const t of inUse) {
      if (!leaf.capabilities.credentials.includes(t)) {
        throw new E2eidError('ERR_MLS_CAPABILITIES_MISSING', `leaf ${i} does not list credential type 0x${t.toString(16).padStart(4, '0')} used in the group`)
      }
    }
    const member = await authService.memberOf(leaf.credential, leaf.signaturePublicKey, { mode: 'group', groupContext: gc })
    authService.assertMemberFitsGroup(member, gc)
    if (previous === undefined || previous.removed.has(i)) continue
    const before = leafAt(previous.state.ratchetTree, i)
    if (before === undefined || sameLeafIdentity(before, leaf)) continue
    const old = await authService.memberOf(before.credential, before.signaturePublicKey, { mode: 'group', groupContext: previous.state.groupContext })
    authService.assertSuccessor(old, member)
  }
}

function removedBy(proposals: readonly Proposal[]): Set<number> {
  const out = new Set<number>()
  for (const p of proposals) if (p.proposalType === defaultProposalTypes.remove) out.add((p as { remove: { removed: number } }).remove.removed)
  return out
}

function pendingProposals(state: ClientState): Proposal[] {
  return Object.values(state.unappliedProposals).map((p) => p.proposal)
}

/** Input of {@link createMlsGroup}. */
export interface CreateMlsGroupParams extends MlsGroupParams {
  keyPackage: KeyPackage
  privateKeyPackage: PrivateKeyPackage
  /** Default: 32 random bytes from the cipher suite's RNG. */
  groupId?: Uint8Array
  /** Put our credential types in required_capabilities (refuses basic members). Default true. */
  requireE2eidCredentials?: boolean
}

/** Creates a group whose creator's own credential is verified first (ts-mls does not validate it). */
export async function createMlsGroup(p: CreateMlsGroupParams): Promise<ClientState> {
  const groupId = p.groupId ?? p.cipherSuite.rng.randomBytes(32)
  const extensions = p.requireE2eidCredentials === false ? [] : [e2eidRequiredCapabilities(p.authService)]
  const pending = { groupId, extensions } as unknown as GroupContext
  const leaf = p.keyPackage.leafNode
  await p.authService.verifyCredential(leaf.credential, leaf.signaturePublicKey, { mode: 'group', groupContext: pending })
  const view = p.authService.forGroup(pending)
  const state = await run(view, 'createGroup', () =>
    createGroup({ context: { cipherSuite: p.cipherSuite, authService: view }, groupId, keyPackage: p.keyPackage, privateKeyPackage: p.privateKeyPackage, extensions }),
  )
  await assertMlsGroupState(p.authService, state)
  return state
}

/** Result of a commit made by the local member. */
export interface MlsCommitResult {
  state: ClientState
  commit: MlsFramedMessage
  welcome: MlsWelcomeMessage | undefined
}

async function commit(p: MlsGroupParams & { state: ClientState }, what: string, proposals: Proposal[]): Promise<MlsCommitResult> {
  const view = p.authService.forGroup(p.state.groupContext)
  const r = await run(view, what, () =>
    createCommit({ context: { cipherSuite: p.cipherSuite, authService: view }, state: p.state, extraProposals: proposals, ratchetTreeExtension: true }),
  )
  await assertMlsGroupState(p.authService, r.newState, { state: p.state, removed: removedBy([...proposals, ...pendingProposals(p.state)]) })
  return { state: r.newState, commit: r.commit, welcome: r.welcome }
}

/** Adds members by KeyPackage (each verified by the AuthenticationService); returns the commit and the Welcome. */
export async function addMlsMembers(p: MlsGroupParams & { state: ClientState; keyPackages: readonly KeyPackage[] }): Promise<MlsCommitResult> {
  if (p.keyPackages.length === 0) throw new E2eidError('ERR_MLS_USAGE', 'no KeyPackage to add')
  return commit(p, 'add members', p.keyPackages.map((keyPackage) => ({ proposalType: defaultProposalTypes.add, add: { keyPackage } })))
}

/** Removes members by leaf index (e.g. those {@link recheckMlsGroupStatus} reports). */
export async function removeMlsMembers(p: MlsGroupParams & { state: ClientState; leafIndices: readonly number[] }): Promise<MlsCommitResult> {
  if (p.leafIndices.length === 0) throw new E2eidError('ERR_MLS_USAGE', 'no member to remove')
  return commit(p, 'remove members', p.leafIndices.map((removed) => ({ proposalType: defaultProposalTypes.remove, remove: { removed } })))
}

/**
 * Replaces the local member's credential (e.g. a renewed one, or one with the group's `aud`) by an
 * empty commit with an update path. The new credential must keep `sub` and `cnf` (same signature key).
 */
export async function updateMlsCredential(p: MlsGroupParams & { state: ClientState; credential: Credential }): Promise<MlsCommitResult> {
  const own = p.state.privatePath.leafIndex
  const leaf = leafAt(p.state.ratchetTree, own)
  if (leaf === undefined) throw new E2eidError('ERR_MLS_USAGE', 'own leaf not found')
  const tree = p.state.ratchetTree.slice()
  // ts-mls rc.10 builds the commit's path LeafNode from the current own leaf (updatePath.js).
  tree[own * 2] = { nodeType: nodeTypes.leaf, leaf: { ...leaf, credential: p.credential } } as RatchetTree[number]
  const patched = { ...p.state, ratchetTree: tree }
  const view = p.authService.forGroup(p.state.groupContext)
  const r = await run(view, 'update credential', () => createCommit({ context: { cipherSuite: p.cipherSuite, authService: view }, state: patched, ratchetTreeExtension: true }))
  await assertMlsGroupState(p.authService, r.newState, { state: p.state, removed: new Set() })
  return { state: r.newState, commit: r.commit, welcome: r.welcome }
}

/** Joins from a Welcome; every leaf is verified, then checked against the group now known (aud, types). */
export async function joinMlsGroup(p: MlsGroupParams & { welcome: MlsWelcomeMessage; keyPackage: KeyPackage; privateKeyPackage: PrivateKeyPackage; ratchetTree?: RatchetTree }): Promise<ClientState> {
  const view = p.authService.forJoin()
  // ts-mls validates the tree's leaves one after another; verifying them concurrently first lets a provider that
  // verifies off the main thread use every core (the refusals come again, with their reasons, from ts-mls's walk).
  if (p.ratchetTree !== undefined) await p.authService.prevalidate(leaves(p.ratchetTree).map(([, l]) => ({ credential: l.credential, signaturePublicKey: l.signaturePublicKey })), view.scope)
  const state = await run(view, 'join group', () =>
    joinGroup({
      context: { cipherSuite: p.cipherSuite, authService: view },
      welcome: p.welcome.welcome,
      keyPackage: p.keyPackage,
      privateKeys: p.privateKeyPackage,
      ...(p.ratchetTree === undefined ? {} : { ratchetTree: p.ratchetTree }),
    }),
  )
  await assertMlsGroupState(p.authService, state)
  return state
}

/** Result of {@link processMlsMessage}. */
export interface ProcessedMlsMessage {
  state: ClientState
  /** The plaintext of an application message. */
  applicationMessage?: Uint8Array
  /** True when a commit moved the group to a new epoch. */
  newEpoch: boolean
}

/** Processes a commit, proposal or application message from another member. */
export async function processMlsMessage(p: MlsGroupParams & { state: ClientState; message: MlsFramedMessage }): Promise<ProcessedMlsMessage> {
  const view = p.authService.forGroup(p.state.groupContext)
  const seen: Proposal[] = []
  const r = await run(view, 'process message', () =>
    processMessage({
      context: { cipherSuite: p.cipherSuite, authService: view },
      state: p.state,
      message: p.message,
      callback: (incoming) => {
        if (incoming.kind === 'commit') for (const x of incoming.proposals) seen.push(x.proposal)
        return 'accept'
      },
    }),
  )
  if (r.kind === 'applicationMessage') return { state: r.newState, applicationMessage: r.message, newEpoch: false }
  const newEpoch = r.newState.groupContext.epoch !== p.state.groupContext.epoch
  if (newEpoch) await assertMlsGroupState(p.authService, r.newState, { state: p.state, removed: removedBy(seen) })
  return { state: r.newState, newEpoch }
}

/** Encrypts an application message to the group. */
export async function sendMlsApplicationMessage(p: MlsGroupParams & { state: ClientState; message: Uint8Array }): Promise<{ state: ClientState; message: MlsFramedMessage }> {
  const view = p.authService.forGroup(p.state.groupContext)
  const r = await run(view, 'application message', () => createApplicationMessage({ context: { cipherSuite: p.cipherSuite, authService: view }, state: p.state, message: p.message }))
  return { state: r.newState, message: r.message }
}

/** The members with what was verified about each (verifying now any leaf without a record). */
export async function listMlsMembers(p: { authService: MlsCredentialAuthenticationService; state: ClientState }): Promise<MlsGroupMember[]> {
  const own = p.state.privatePath.leafIndex
  const out: MlsGroupMember[] = []
  for (const [i, leaf] of leaves(p.state.ratchetTree)) {
    const m = await p.authService.memberOf(leaf.credential, leaf.signaturePublicKey, { mode: 'group', groupContext: p.state.groupContext })
    out.push({ ...m, leafIndex: i, own: i === own })
  }
  return out
}

/** True when a credential is an RFC 9420 basic credential. */
export function isBasicCredential(c: Credential): boolean {
  return c.credentialType === defaultCredentialTypes.basic
}
