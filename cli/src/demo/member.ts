/**
 * @module demo/member
 * One member of the story (Alice, Bob, Carol): a real wallet (`@e2eid/wallet`, stored in its own
 * folder) that receives a credential over OpenID4VCI, and the member's own verifier stack
 * (`@e2eid/verifier`: HTTP client, trust store, status checker, MLS AuthenticationService).
 * Each member verifies the others itself: nobody trusts the messaging provider's word.
 */
import { join } from 'node:path'
import type { CryptoProvider } from '@e2eid/shared'
import { defaultFormatHandlers } from '@e2eid/wallet'
import type { StoredCredential } from '@e2eid/wallet'
import { openFileWallet } from '@e2eid/wallet/node'
import type { FileWallet } from '@e2eid/wallet/node'
import {
  MlsCredentialAuthenticationService,
  createHttpClient,
  createStatusChecker,
  createTrustStore,
  mlsPresentationVerifier,
} from '@e2eid/verifier'
import type { StatusChecker, TrustStore } from '@e2eid/verifier'
import type { RequestLog } from './request-log.js'

/** Who a member is at the authority, and what they choose to show a group. */
export interface MemberProfile {
  /** Lower-case id: user id at the issuer and log label. */
  id: string
  /** Display name for the story. */
  label: string
  /** Attributes the authority vouches for (`sub` is the MLS client identity, always visible). */
  claims: { sub: string } & Record<string, string>
  /** Credential configuration: SD-JWT VC or SD-CWT. */
  configuration: string
  /** Whether the offer is protected by a transaction code (OpenID4VCI §3.5, sent out of band). */
  txCode: boolean
  /** The attributes the member discloses in its KeyPackage. */
  discloses: readonly string[]
}

/** A member with a wallet and a verifier. */
export interface Member {
  profile: MemberProfile
  wallet: FileWallet
  trust: TrustStore
  status: StatusChecker
  authService: MlsCredentialAuthenticationService
  credential?: StoredCredential
}

/** The verifier policy every member applies to the others (and the only way to join the group). */
const MEMBER_POLICY = {
  /** The organisation must be shown and be ours. */
  requiredClaims: [['org']] as const,
  constraints: [{ path: ['org'], equals: 'example.com' }] as const,
  /** Every credential must carry a status list reference, and it is checked. */
  status: 'required' as const,
  /** MLS leaves live as long as the membership: allow for the KeyPackage lifetime (specs/mls-profile.md §4). */
  keyBindingMaxAgeSeconds: 7 * 24 * 3600,
}

/** Options of {@link createMember}. */
export interface CreateMemberOptions {
  profile: MemberProfile
  /** Folder under which the member's wallet folder is created. */
  dir: string
  issuerUrl: string
  service: string
  provider: CryptoProvider
  log: RequestLog
  /** The verifiers' clock, Unix seconds. */
  now: () => number
}

/** Opens the member's wallet and builds the member's verifier stack (trusting only the authority). */
export async function createMember(o: CreateMemberOptions): Promise<Member> {
  const wallet = await openFileWallet({
    dir: join(o.dir, o.profile.id),
    handlers: defaultFormatHandlers({ provider: o.provider }),
    provider: o.provider,
    fetch: o.log.fetchFor(`wallet:${o.profile.id}`),
    now: () => o.now() * 1000,
  })
  // The verifier's only door to the network; it is logged, so the story can show what it fetched.
  const http = createHttpClient({ fetch: o.log.fetchFor(`verifier:${o.profile.id}`), allowInsecureLoopback: true })
  const trust = createTrustStore({
    http,
    // Keys by discovery: SD-JWT VC Issuer Metadata (JWT) and the authority's COSE_KeySet (SD-CWT).
    authorities: [{ issuer: o.issuerUrl, sources: [{ type: 'jwt_vc_issuer' }, { type: 'cose_key_set_uri', uri: `${o.issuerUrl}/.well-known/cose-keys` }] }],
    insecureLoopback: true,
    now: o.now,
  })
  const status = createStatusChecker({ http, provider: o.provider, now: o.now })
  const verify = mlsPresentationVerifier(
    {
      requiredClaims: MEMBER_POLICY.requiredClaims.map((p) => [...p]),
      constraints: MEMBER_POLICY.constraints.map((c) => ({ path: [...c.path], equals: c.equals })),
      status: MEMBER_POLICY.status,
      keyBindingMaxAgeSeconds: MEMBER_POLICY.keyBindingMaxAgeSeconds,
      now: o.now,
    },
    { trust, status, provider: o.provider },
  )
  const authService = new MlsCredentialAuthenticationService({ verify, service: o.service, provider: o.provider, now: () => o.now() * 1000 })
  return { profile: o.profile, wallet, trust, status, authService }
}
