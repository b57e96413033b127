/**
 * @module demo/story
 * The whole story `npm start` tells, in one process on loopback:
 *
 * 1. the identity authority starts (issuer on 127.0.0.1, embedded SQLite in a temp folder);
 * 2. Alice, Bob and Carol receive credentials over OpenID4VCI 1.0 with their own wallets;
 * 3. each publishes an MLS KeyPackage whose credential discloses only what its holder chose;
 * 4. they form an MLS group (ts-mls) in which every member verifies every other member;
 * 5. the messaging provider tries to impersonate Alice and is refused;
 * 6. the authority revokes Carol and the next status check names her; she is removed;
 * 7. the verifiers' network traffic is audited: status lists and key sets only.
 *
 * Every expectation becomes a {@link Verdict}; the run is ok only when all of them hold. The steps
 * are the table {@link STORY_STEPS}, run in order by {@link runDemo}.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { E2eidError, SD_CWT_FORMAT, SD_JWT_VC_FORMAT, hexDecode, mlsGroupAudience, mlsKeyPackageAudience, utf8Encode, utf8Decode } from '@e2eid/shared'
import type { CryptoProvider } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { createCredentialKeyPackage, createMlsKeyPackage, encodeMlsKeyPackage, mlsCipherSuite, mlsCredentialFromPresentation } from '@e2eid/wallet'
import type { CredentialKeyPackage } from '@e2eid/wallet'
import {
  addMlsMembers,
  createMlsGroup,
  decodeMlsKeyPackage,
  joinMlsGroup,
  listMlsMembers,
  mlsStatusChecker,
  processMlsMessage,
  recheckMlsGroupStatus,
  removeMlsMembers,
  sendMlsApplicationMessage,
  updateMlsCredential,
} from '@e2eid/verifier'
import type { MlsGroupMember } from '@e2eid/verifier'
import type { ClientState } from 'ts-mls'
import { MEMBER_ATTRIBUTES, SD_CWT_CONFIGURATION, SD_JWT_CONFIGURATION, startDemoAuthority } from './authority.js'
import type { DemoAuthority } from './authority.js'
import { createMember } from './member.js'
import type { Member, MemberProfile } from './member.js'
import { createRequestLog, isAllowedVerifierPath } from './request-log.js'
import { ROGUE_ISSUER, rogueKeyPackage } from './rogue-authority.js'
import type { DemoReporter, DemoResult, Verdict } from './types.js'
import { VerdictBook, outcomeCode } from './verdicts.js'

/** The messaging service the group lives in: it names the KBT / KB-JWT audiences (specs/mls-profile.md §4). */
export const DEMO_SERVICE = 'https://chat.example'

/** The issuer's status list `ttl` in the demo (seconds); the story moves the clocks past it after revoking Carol. */
const DEMO_STATUS_LIST_TTL = 60

/** The three members: mixed formats, one offer with a tx_code, different disclosures. */
export const DEMO_MEMBERS: readonly [MemberProfile, MemberProfile, MemberProfile] = [
  {
    id: 'alice',
    label: 'Alice',
    claims: { sub: 'mimi://example.com/u/alice', name: 'Alice Example', email: 'alice@example.com', handle: 'im:alice@example.com', org: 'example.com', role: 'engineer' },
    configuration: SD_JWT_CONFIGURATION,
    txCode: true,
    discloses: ['name', 'org'],
  },
  {
    id: 'bob',
    label: 'Bob',
    claims: { sub: 'mimi://example.com/u/bob', name: 'Bob Example', email: 'bob@example.com', handle: 'im:bob@example.com', org: 'example.com', role: 'legal counsel' },
    configuration: SD_CWT_CONFIGURATION,
    txCode: false,
    discloses: ['org', 'role'],
  },
  {
    id: 'carol',
    label: 'Carol',
    claims: { sub: 'mimi://example.com/u/carol', name: 'Carol Example', email: 'carol@example.com', handle: 'im:carol@example.com', org: 'example.com', role: 'contractor' },
    configuration: SD_JWT_CONFIGURATION,
    txCode: false,
    discloses: ['handle', 'org', 'role'],
  },
]

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  reporter?: DemoReporter
  /** Keep the temp folder (database, wallets) for inspection. Default false. */
  keep?: boolean
  provider?: CryptoProvider
  /** The three members (default {@link DEMO_MEMBERS}); tests change a profile to see the story fail. */
  members?: readonly [MemberProfile, MemberProfile, MemberProfile]
}

const silent: DemoReporter = { section: () => undefined, note: () => undefined, verdict: () => undefined }

function formatName(format: string): string {
  return format === SD_JWT_VC_FORMAT ? 'SD-JWT VC' : format === SD_CWT_FORMAT || format === 'sd-cwt' ? 'SD-CWT' : format
}

function kindName(kind: string): string {
  return kind === 'sd-jwt' ? 'SD-JWT VC (credential type 0x0006)' : kind === 'sd-cwt' ? 'SD-CWT KBT (credential type 0x0005)' : kind
}

/** The member attributes present in a disclosed claims set, with their values. */
function disclosedAttributes(claims: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of MEMBER_ATTRIBUTES) if (Object.hasOwn(claims, a)) out[a] = claims[a]
  return out
}

function show(values: Record<string, unknown>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')
}

/** What the steps share: the run's services, and what each step leaves for the next ones. */
interface Story {
  readonly dir: string
  readonly provider: CryptoProvider
  readonly log: ReturnType<typeof createRequestLog>
  readonly profiles: readonly [MemberProfile, MemberProfile, MemberProfile]
  readonly reporter: DemoReporter
  /** Records a verdict of the current step. */
  check: (v: Omit<Verdict, 'ok' | 'expected' | 'actual' | 'step'> & { expected: unknown; actual: unknown }) => void
  /** The members' clock (Unix seconds), which the story moves instead of waiting. */
  readonly now: () => number
  clockOffset: number
  authority: DemoAuthority | undefined
  members: Member[]
  cipherSuite: Awaited<ReturnType<typeof mlsCipherSuite>> | undefined
  /** Each member's KeyPackage, and its encoding as the provider stores and hands it out. */
  keyPackages: Map<string, CredentialKeyPackage>
  published: Map<string, Uint8Array>
  /** Each member's MLS group state. */
  states: Map<string, ClientState>
}

/** One step of the story: its section, what it does, and the verdicts it records. */
interface StoryStep {
  title: string
  /** Why the step matters in the MIMI architecture (printed under the title). */
  why: string
  /** The ids of the verdicts it records (`<member>`: each member's id; `<a>`, `<b>`: two members). */
  verdicts: readonly string[]
  run: (story: Story) => Promise<void>
}

function authorityOf(story: Story): DemoAuthority {
  if (story.authority === undefined) throw new E2eidError('ERR_DEMO_NO_AUTHORITY', 'the authority has not started')
  return story.authority
}

function cipherSuiteOf(story: Story): Awaited<ReturnType<typeof mlsCipherSuite>> {
  if (story.cipherSuite === undefined) throw new E2eidError('ERR_DEMO_NO_CIPHERSUITE', 'no MLS ciphersuite yet')
  return story.cipherSuite
}

function trio(story: Story): [Member, Member, Member] {
  return story.members as [Member, Member, Member]
}

function stateOf(story: Story, m: Member): ClientState {
  return story.states.get(m.profile.id)!
}

// 1 ─ the authority
async function startAuthority(story: Story): Promise<void> {
  const { dir, reporter, profiles } = story
  const authority = await startDemoAuthority({
    stateDir: join(dir, 'issuer'),
    port: 0,
    statusListTtl: DEMO_STATUS_LIST_TTL,
    crypto: story.provider,
    fetch: story.log.fetchFor('authority-admin'),
  })
  story.authority = authority
  reporter.note(`issuer listening on ${authority.url} (embedded SQLite in ${join(dir, 'issuer')})`)
  for (const p of profiles) await authority.addUser(p.id, p.claims)
  reporter.note(
    `admin API: users ${profiles.map((p) => p.id).join(', ')} added with name, email, handle, org and ` +
    `role (all selectively disclosable)`
  )
}

// 2 ─ issuance
async function issueCredentials(story: Story): Promise<void> {
  const authority = authorityOf(story)
  const issuerUrl = authority.url
  for (const p of story.profiles) {
    const m = await createMember({
      profile: p,
      dir: join(story.dir, 'wallets'),
      issuerUrl,
      service: DEMO_SERVICE,
      provider: story.provider,
      log: story.log,
      now: story.now,
    })
    story.members.push(m)
    const offer = await authority.offer(p.id, p.configuration, p.txCode)
    // The member's wallet is configured to trust the authority: secrets go to trusted issuers only.
    await m.wallet.wallet.trustIssuer(issuerUrl)
    const received = await m.wallet.wallet.receive(offer.offer_uri, {
      ...(offer.tx_code === null ? {} : { txCode: offer.tx_code }),
      allowInsecureUrls: true,
    })
    const c = received[0]
    if (c !== undefined) m.credential = c
    const key = c === undefined ? undefined : await m.wallet.wallet.keys.get(c.keyId)
    const expectedFormat = p.configuration === SD_JWT_CONFIGURATION ? SD_JWT_VC_FORMAT : SD_CWT_FORMAT
    const how = p.txCode
      ? ` (pre-authorized code + tx_code ${offer.tx_code ?? '?'}, given to her out of band)`
      : ' (pre-authorized code)'
    story.check({
      id: `issuance:${p.id}`,
      summary:
        `${p.label} received an ${formatName(expectedFormat)} credential${how}, bound to a fresh ` +
        `Ed25519 key that never leaves the wallet`,
      expected: { count: 1, format: expectedFormat, sub: p.claims.sub, keyAlg: 'EdDSA', txCodeUsed: p.txCode },
      actual: {
        count: received.length,
        format: c?.format,
        sub: c?.claims.sub ?? c?.claims['2'],
        keyAlg: key?.alg,
        txCodeUsed: offer.tx_code !== null,
      },
      details: {
        offer_uri: offer.offer_uri,
        status_list: c?.statusListUri === undefined ? undefined : { uri: c.statusListUri, idx: c.statusIdx },
        disclosable: c?.disclosablePaths,
      },
    })
  }
  await Promise.all(story.members.map((m) => m.wallet.save()))
}

// 3 ─ KeyPackages
async function publishKeyPackages(story: Story): Promise<void> {
  story.cipherSuite = await mlsCipherSuite()
  for (const m of story.members) {
    if (m.credential === undefined) {
      throw new E2eidError('ERR_DEMO_NO_CREDENTIAL', `${m.profile.label} has no credential`)
    }
    const kp = await createCredentialKeyPackage(m.wallet.wallet, m.credential.id, {
      service: DEMO_SERVICE,
      paths: m.profile.discloses,
    })
    story.keyPackages.set(m.profile.id, kp)
    const shown = kp.presentation.disclosed.map((p) => p.join('.')).sort()
    story.reporter.note(
      `${m.profile.label} → provider: KeyPackage (${kp.encoded.length} bytes), ` +
      `${formatName(m.credential.format)} disclosing ${shown.join(', ')}`
    )
  }
  // What the provider stores and hands out: the encoded KeyPackages.
  for (const [id, kp] of story.keyPackages) story.published.set(id, kp.encoded)
}

// 4 ─ the group
async function formGroup(story: Story): Promise<void> {
  const { reporter, states, published } = story
  const cipherSuite = cipherSuiteOf(story)
  const issuerUrl = authorityOf(story).url
  const members = story.members
  const [alice, bob, carol] = trio(story)
  const kpOf = (m: Member): CredentialKeyPackage => story.keyPackages.get(m.profile.id)!
  states.set(alice.profile.id, await createMlsGroup({
    authService: alice.authService,
    cipherSuite,
    keyPackage: kpOf(alice).keyPackage,
    privateKeyPackage: kpOf(alice).privateKeyPackage,
  }))
  reporter.note(
    'Alice creates the group (required_capabilities: sd_cwt + sd_jwt credentials); her own credential ' +
    'is checked first'
  )
  const added = await addMlsMembers({
    authService: alice.authService,
    cipherSuite,
    state: stateOf(story, alice),
    keyPackages: [decodeMlsKeyPackage(published.get(bob.profile.id)!), decodeMlsKeyPackage(published.get(carol.profile.id)!)],
  })
  states.set(alice.profile.id, added.state)
  reporter.note('Alice fetches Bob\'s and Carol\'s KeyPackages from the provider and commits an Add of both')
  if (added.welcome === undefined) throw new E2eidError('ERR_DEMO_NO_WELCOME', 'the Add commit produced no Welcome')
  for (const m of [bob, carol]) {
    states.set(m.profile.id, await joinMlsGroup({
      authService: m.authService,
      cipherSuite,
      welcome: added.welcome,
      keyPackage: kpOf(m).keyPackage,
      privateKeyPackage: kpOf(m).privateKeyPackage,
    }))
    reporter.note(`${m.profile.label} joins from the Welcome and verifies every leaf of the tree`)
  }
  story.check({
    id: 'group:formed',
    summary: 'Alice, Bob and Carol share one MLS group (same epoch, three members)',
    expected: { epochs: [1, 1, 1], members: 3 },
    actual: {
      epochs: members.map((m) => Number(stateOf(story, m).groupContext.epoch)),
      members: (await listMlsMembers({ authService: alice.authService, state: stateOf(story, alice) })).length,
    },
  })
  for (const viewer of members) {
    const listed = await listMlsMembers({ authService: viewer.authService, state: stateOf(story, viewer) })
    for (const subject of members) {
      if (subject === viewer) continue
      const entry: MlsGroupMember | undefined = listed.find((x) => x.sub === subject.profile.claims.sub)
      const shown = entry === undefined ? {} : disclosedAttributes(entry.claims)
      const hidden = MEMBER_ATTRIBUTES.filter((a) => !(a in shown))
      const expectedShown = Object.fromEntries([...subject.profile.discloses].sort().map((a) => [a, subject.profile.claims[a]]))
      // The key the subject's wallet holds: the credential's cnf, and the leaf's MLS signature key.
      const subjectKey = (await subject.wallet.wallet.keys.get(subject.credential!.keyId)).publicJwk.x
      const seen = entry === undefined
        ? 'not found'
        : `${kindName(entry.kind)}, issuer ${entry.issuer ?? '?'}, bound to the leaf key; ` +
          `shown ${show(shown)}; hidden ${hidden.join(', ')}`
      story.check({
        id: `verify:${viewer.profile.id}->${subject.profile.id}`,
        summary: `${viewer.profile.label} verified ${subject.profile.label}: ${seen}`,
        expected: {
          verified: true,
          sub: subject.profile.claims.sub,
          issuer: issuerUrl,
          holderKey: subjectKey,
          disclosed: expectedShown,
          audience: mlsKeyPackageAudience(DEMO_SERVICE),
        },
        actual: entry === undefined ? 'no such member' : {
          verified: entry.verified,
          sub: entry.sub,
          issuer: entry.issuer,
          holderKey: entry.holderKey.x,
          disclosed: Object.fromEntries(Object.entries(shown).sort(([a], [b]) => a.localeCompare(b))),
          audience: entry.audience,
        },
        details: entry === undefined
          ? undefined
          : { kind: entry.kind, leafIndex: entry.leafIndex, disclosed: shown, hidden, status_list: entry.status },
      })
    }
  }
  const text = 'Hi Bob and Carol: each of us now knows who the others are, and only what they chose to show.'
  const sent = await sendMlsApplicationMessage({
    authService: alice.authService,
    cipherSuite,
    state: stateOf(story, alice),
    message: utf8Encode(text),
  })
  states.set(alice.profile.id, sent.state)
  for (const m of [bob, carol]) {
    const r = await processMlsMessage({ authService: m.authService, cipherSuite, state: stateOf(story, m), message: sent.message })
    states.set(m.profile.id, r.state)
    story.check({
      id: `message:alice->${m.profile.id}`,
      summary: `${m.profile.label} decrypted Alice's group message`,
      expected: text,
      actual: r.applicationMessage === undefined ? 'no application message' : utf8Decode(r.applicationMessage),
    })
  }

  // The holder rule of specs/mls-profile.md §4: once in the group, re-present for this group's audience.
  const groupAud = mlsGroupAudience(DEMO_SERVICE, stateOf(story, bob).groupContext.groupId)
  const bobCred = bob.credential!
  const regrouped = await bob.wallet.wallet.present(bobCred.id, { paths: [...bob.profile.discloses], aud: groupAud })
  const carried = bobCred.format === SD_JWT_VC_FORMAT ? regrouped.presentation : hexDecode(regrouped.presentation)
  const rotation = await updateMlsCredential({
    authService: bob.authService,
    cipherSuite,
    state: stateOf(story, bob),
    credential: mlsCredentialFromPresentation(carried),
  })
  states.set(bob.profile.id, rotation.state)
  reporter.note(
    `Bob replaces his KeyPackage credential by one made for this group only (aud = ${groupAud}) with a ` +
    `commit; Alice and Carol verify it`
  )
  for (const m of [alice, carol]) {
    const r = await processMlsMessage({ authService: m.authService, cipherSuite, state: stateOf(story, m), message: rotation.commit })
    states.set(m.profile.id, r.state)
    const seen = (await listMlsMembers({ authService: m.authService, state: r.state })).find((x) => x.sub === bob.profile.claims.sub)
    story.check({
      id: `rotate:bob-seen-by-${m.profile.id}`,
      summary:
        `${m.profile.label} accepted Bob's group-bound credential (same sub and key, aud = this group; ` +
        `still only ${bob.profile.discloses.join(' and ')})`,
      expected: { audience: groupAud, sub: bob.profile.claims.sub, disclosed: [...bob.profile.discloses].sort() },
      actual: seen === undefined
        ? 'Bob not found'
        : { audience: seen.audience, sub: seen.sub, disclosed: Object.keys(disclosedAttributes(seen.claims)).sort() },
    })
  }
}

// 5 ─ the provider attacks
async function providerAttacks(story: Story): Promise<void> {
  const { reporter, provider } = story
  const cipherSuite = cipherSuiteOf(story)
  const [alice, bob] = trio(story)
  const mallory = await provider.generateKeyPair('EdDSA')
  const stolen = decodeMlsKeyPackage(story.published.get(alice.profile.id)!).leafNode.credential
  const rogue = await createMlsKeyPackage({ credential: stolen, privateJwk: mallory.privateJwk, cipherSuite })
  const rogueWire = encodeMlsKeyPackage(rogue.keyPackage)
  reporter.note(
    'the provider copies the credential out of Alice\'s KeyPackage into a KeyPackage signed with its ' +
    'own key, and tells Bob it is "Alice\'s new phone"'
  )
  const bobBefore = stateOf(story, bob)
  const refusal = await outcomeCode(addMlsMembers({
    authService: bob.authService,
    cipherSuite,
    state: bobBefore,
    keyPackages: [decodeMlsKeyPackage(rogueWire)],
  }))
  story.check({
    id: 'attack:impersonation',
    summary: `Bob refused the provider's KeyPackage carrying Alice's credential: ${refusal.code}`,
    expected: 'ERR_MLS_KEY_MISMATCH',
    actual: refusal.code,
    details: { message: refusal.message, lastRefusalCode: bob.authService.lastRefusalCode },
  })
  const leaf = rogue.keyPackage.leafNode
  const standalone = await bob.authService.validateCredential(leaf.credential, leaf.signaturePublicKey)
  story.check({
    id: 'attack:impersonation-keypackage-check',
    summary:
      `The same KeyPackage fails the standalone KeyPackage check too ` +
      `(${bob.authService.lastRefusalCode ?? 'no code'}); Bob's group is unchanged`,
    expected: { valid: false, code: 'ERR_MLS_KEY_MISMATCH', members: 3 },
    actual: {
      valid: standalone,
      code: bob.authService.lastRefusalCode,
      members: (await listMlsMembers({ authService: bob.authService, state: bobBefore })).length,
    },
  })

  const forged = await rogueKeyPackage({
    claims: { ...alice.profile.claims },
    discloses: alice.profile.discloses,
    service: DEMO_SERVICE,
    provider,
    dir: join(story.dir, 'wallets'),
  })
  reporter.note(
    `next, the provider runs its own authority (${ROGUE_ISSUER}) and issues itself a well-formed ` +
    `credential saying it is Alice (same sub, name and org), bound to its own key`
  )
  const untrusted = await outcomeCode(addMlsMembers({
    authService: bob.authService,
    cipherSuite,
    state: bobBefore,
    keyPackages: [decodeMlsKeyPackage(forged.encoded)],
  }))
  story.check({
    id: 'attack:untrusted-authority',
    summary:
      `Bob refused the provider's self-issued "Alice": ${untrusted.code} (only the authority the ` +
      `members trust can vouch for a user)`,
    expected: 'ERR_VERIFY_ISSUER_UNTRUSTED',
    actual: untrusted.code,
    details: { message: untrusted.message, issuer: ROGUE_ISSUER },
  })
}

// 6 ─ revocation
async function revokeCarol(story: Story): Promise<void> {
  const { reporter, log, states } = story
  const authority = authorityOf(story)
  const cipherSuite = cipherSuiteOf(story)
  const [alice, bob, carol] = trio(story)
  const carolCreds = await authority.credentials(carol.profile.id)
  const carolCred = carolCreds[0]
  if (carolCred === undefined) {
    throw new E2eidError('ERR_DEMO_NO_CREDENTIAL', 'the authority lists no credential for Carol')
  }
  const revoked = await authority.setStatus(carolCred.id, 'revoked')
  story.check({
    id: 'revoke:carol',
    summary:
      `The authority revoked Carol's credential through its admin API (status list ` +
      `${carolCred.status_list.uri}, index ${carolCred.status_list.idx})`,
    expected: 'revoked',
    actual: revoked.status,
  })
  story.clockOffset += DEMO_STATUS_LIST_TTL + 1
  reporter.note(
    `${DEMO_STATUS_LIST_TTL + 1} s later (past the list's ttl; the demo moves the members' clocks ` +
    `instead of waiting), Alice and Bob re-check the group`
  )
  const logMark = log.entries.length
  for (const m of [alice, bob]) {
    const findings = await recheckMlsGroupStatus({
      authService: m.authService,
      state: stateOf(story, m),
      checkStatus: mlsStatusChecker(m.status, m.trust),
    })
    const named = findings.map((f) => `${f.identity ?? '?'} (${f.status})`).join(', ') || 'nobody'
    story.check({
      id: `status:recheck-by-${m.profile.id}`,
      summary: `${m.profile.label}'s status re-check names ${named}`,
      expected: [{ identity: carol.profile.claims.sub, status: 'revoked' }],
      actual: findings.map((f) => ({ identity: f.identity, status: f.status })),
      details: {
        findings: findings.map((f) => ({
          leafIndex: f.leafIndex,
          identity: f.identity,
          status: f.status,
          value: f.value,
          error: f.error?.code,
        })),
      },
    })
  }
  const freshFetches = log.entries
    .slice(logMark)
    .filter((e) => e.who.startsWith('verifier:') && e.path.startsWith('/status-lists/')).length
  story.check({
    id: 'status:fresh-list-fetched',
    summary:
      `The re-check fetched the status list again over HTTP (${freshFetches} ` +
      `fetch${freshFetches === 1 ? '' : 'es'})`,
    expected: true,
    actual: freshFetches > 0,
  })
  const listed = await listMlsMembers({ authService: alice.authService, state: stateOf(story, alice) })
  const carolLeaf = listed.find((x) => x.sub === carol.profile.claims.sub)
  if (carolLeaf === undefined) throw new E2eidError('ERR_DEMO_NO_MEMBER', 'Carol is not in Alice\'s group')
  const removal = await removeMlsMembers({
    authService: alice.authService,
    cipherSuite,
    state: stateOf(story, alice),
    leafIndices: [carolLeaf.leafIndex],
  })
  states.set(alice.profile.id, removal.state)
  const bobAfter = await processMlsMessage({
    authService: bob.authService,
    cipherSuite,
    state: stateOf(story, bob),
    message: removal.commit,
  })
  states.set(bob.profile.id, bobAfter.state)
  const both = [alice.profile.claims.sub, bob.profile.claims.sub]
  story.check({
    id: 'remove:carol',
    summary: 'Alice removed Carol; Bob processed the commit: the group is Alice and Bob',
    expected: { alice: both, bob: both },
    actual: {
      alice: (await listMlsMembers({ authService: alice.authService, state: stateOf(story, alice) })).map((x) => x.sub),
      bob: (await listMlsMembers({ authService: bob.authService, state: stateOf(story, bob) })).map((x) => x.sub),
    },
  })
}

// 7 ─ network audit
async function auditNetwork(story: Story): Promise<void> {
  const issuerUrl = authorityOf(story).url
  const verifierRequests = story.log.entries.filter((e) => e.who.startsWith('verifier:'))
  const others = verifierRequests
    .filter((e) => e.origin !== issuerUrl || !isAllowedVerifierPath(e.path))
    .map((e) => `${e.method} ${e.origin}${e.path}`)
  story.check({
    id: 'network:verifier-requests',
    summary:
      `The members' verifiers made ${verifierRequests.length} requests, all GETs of the authority's ` +
      `status lists or key sets (none to the provider's authority)`,
    expected: { otherRequests: [], methods: ['GET'], statusListFetches: true },
    actual: {
      otherRequests: others,
      methods: [...new Set(verifierRequests.map((e) => e.method))],
      statusListFetches: verifierRequests.some((e) => e.path.startsWith('/status-lists/')),
    },
    details: { perPath: story.log.countByPath('verifier:') },
  })
}

/** The story, step by step: section n is `STORY_STEPS[n - 1]`. */
const STORY_STEPS: readonly StoryStep[] = [
  {
    title: 'The identity authority starts',
    why:
      'In the MIMI identity architecture the authority, not the messaging provider, vouches for who a ' +
      'user is. It issues credentials bound to each user\'s MLS signature key and publishes a ' +
      'revocation list.',
    verdicts: [],
    run: startAuthority,
  },
  {
    title: 'Alice, Bob and Carol receive credentials (OpenID4VCI 1.0)',
    why:
      'Each wallet proves possession of a fresh Ed25519 key; the credential\'s cnf names that key, ' +
      'which will be the member\'s MLS signature key. Nobody but the holder can use the credential.',
    verdicts: ['issuance:<member>'],
    run: issueCredentials,
  },
  {
    title: 'Each member publishes an MLS KeyPackage',
    why:
      `The KeyPackage's credential is a presentation (SD-JWT+KB-JWT or SD-CWT KBT) with aud = ` +
      `${mlsKeyPackageAudience(DEMO_SERVICE)}, signed by the same key that signs the KeyPackage. The ` +
      `holder picks what to disclose; the rest stays hidden, even from the provider that stores the ` +
      `KeyPackage.`,
    verdicts: [],
    run: publishKeyPackages,
  },
  {
    title: 'They form an MLS group; every member verifies every other member',
    why:
      'ts-mls calls our AuthenticationService for every leaf: it verifies the issuer signature (key ' +
      'from the authority\'s metadata), the key binding, the aud, the policy (org must be example.com) ' +
      'and the status list, and requires cnf == the leaf\'s signature key.',
    verdicts: ['group:formed', 'verify:<a>-><b>', 'message:alice-><member>', 'rotate:bob-seen-by-<member>'],
    run: formGroup,
  },
  {
    title: 'The messaging provider tries to impersonate Alice',
    why:
      'The provider is the attacker in MIMI: it stores every KeyPackage, so it can copy Alice\'s ' +
      'credential, and it could run an authority of its own. It cannot sign with Alice\'s key (the ' +
      'AuthenticationService requires cnf == the leaf\'s signature key, specs/mls-profile.md §3), and ' +
      'the members trust only their authority.',
    verdicts: ['attack:impersonation', 'attack:impersonation-keypackage-check', 'attack:untrusted-authority'],
    run: providerAttacks,
  },
  {
    title: 'The authority revokes Carol; the next status check names her',
    why:
      'Credentials outlive trust: a leaked key or a contractor leaving must end the membership. Members ' +
      'learn it from the authority\'s signed Token Status List, fetched over HTTP. One list covers many ' +
      'credentials, so fetching it does not tell the authority whom a member is checking.',
    verdicts: ['revoke:carol', 'status:recheck-by-<member>', 'status:fresh-list-fetched', 'remove:carol'],
    run: revokeCarol,
  },
  {
    title: 'What the verifiers asked the issuer',
    why:
      'The authority is never asked about a particular member: verifiers fetch only its public keys and ' +
      'its status lists, so it cannot learn who talks to whom. Everything else was checked locally, by ' +
      'each member.',
    verdicts: ['network:verifier-requests'],
    run: auditNetwork,
  },
]

/** Runs the story and returns every verdict. Never throws: an unexpected error ends the run with `error`. */
export async function runDemo(options: RunDemoOptions = {}): Promise<DemoResult> {
  const started = performance.now()
  const reporter = options.reporter ?? silent
  const book = new VerdictBook(reporter)
  const dir = mkdtempSync(join(tmpdir(), 'e2eid-demo-'))
  let stepNumber = 0
  const story: Story = {
    dir,
    provider: options.provider ?? createNodeCryptoProvider(),
    log: createRequestLog(),
    profiles: options.members ?? DEMO_MEMBERS,
    reporter,
    check: ({ id, ...rest }) => void book.check({ id, step: stepNumber, ...rest }),
    // One clock for the members' wallets and verifiers, so the story can let time pass without waiting.
    now: () => Math.floor(Date.now() / 1000) + story.clockOffset,
    clockOffset: 0,
    authority: undefined,
    members: [],
    cipherSuite: undefined,
    keyPackages: new Map(),
    published: new Map(),
    states: new Map(),
  }
  // The section the story is in, so that an unexpected error says where the story stopped.
  let currentStep = 'setup'
  let error: DemoResult['error']
  try {
    for (const [i, step] of STORY_STEPS.entries()) {
      stepNumber = i + 1
      currentStep = `step ${stepNumber}, ${step.title}`
      reporter.section(stepNumber, step.title, step.why)
      await step.run(story)
    }
  } catch (e) {
    const message = `in ${currentStep}: ${e instanceof Error ? e.message : String(e)}`
    error = { code: e instanceof E2eidError ? e.code : 'ERR_DEMO_UNEXPECTED', message }
  } finally {
    await Promise.allSettled(story.members.map((m) => m.wallet.close()))
    await story.authority?.close().catch(() => undefined)
    if (options.keep !== true) rmSync(dir, { recursive: true, force: true })
  }
  return {
    ok: error === undefined && book.ok,
    verdicts: book.verdicts,
    verifierRequests: story.log.countByPath('verifier:'),
    requests: story.log.entries,
    issuerUrl: story.authority?.url ?? '',
    service: DEMO_SERVICE,
    elapsedMs: Math.round(performance.now() - started),
    ...(options.keep === true ? { keptDir: dir } : {}),
    ...(error === undefined ? {} : { error }),
  }
}
