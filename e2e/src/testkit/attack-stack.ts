/**
 * Test helper of the attack suite (issue 8): the REAL components end to end, in one process, no sockets.
 *
 * - the identity authority: `createIssuerApp` (@e2eid/issuer) on an in-memory SQLite repository (`makeFixture` of
 *   @e2eid/issuer/testing), driven by `app.request`, with users and offers made through its admin API;
 * - holders: `Wallet` (@e2eid/wallet) on fake-indexeddb, receiving over OpenID4VCI 1.0 with the wallet library;
 * - members: the verifier stack (@e2eid/verifier): trust store (JWT VC Issuer Metadata + COSE_KeySet discovery),
 *   status checker, `mlsPresentationVerifier`, `MlsCredentialAuthenticationService`, and ts-mls groups;
 * - the network: every fetch of the members' verifiers goes through {@link ProviderNetwork}, which the messaging
 *   provider (the attacker) may tamper with, per URL path.
 *
 * One clock (Unix seconds, movable) drives the issuer, the wallets and the verifiers.
 */
import * as mls from 'ts-mls'
import { E2eidError } from '@e2eid/shared'
import type { CryptoProvider, KeyPair, PrivateJwk } from '@e2eid/shared'
import type { IssuerConfigFile } from '@e2eid/issuer'
import { ISSUER, makeFixture } from '@e2eid/issuer/testing'
import type { Fixture } from '@e2eid/issuer/testing'
import { createCredentialKeyPackage, defaultFormatHandlers, mlsCipherSuite } from '@e2eid/wallet'
import type { CredentialKeyPackage, StoredCredential, Wallet } from '@e2eid/wallet'
import { memoryWallet } from '@e2eid/wallet/testing'
import { createHttpClient, MlsCredentialAuthenticationService, mlsPresentationVerifier, createStatusChecker, createTrustStore } from '@e2eid/verifier'
import type { VerifierPolicy, TrustStore, KeySource, StatusChecker, VerifierContext } from '@e2eid/verifier'

export const ISSUER_URL = ISSUER
export const SERVICE = 'https://chat.example'
export const SD_JWT = 'mimi_identity_sd_jwt'
export const SD_CWT = 'mimi_identity_sd_cwt'
const ATTRIBUTES = ['name', 'email', 'handle', 'org', 'role'] as const
/** Status list `ttl` and token lifetime the authority publishes (seconds). */
export const LIST_TTL = 60
export const LIST_LIFETIME = 600

export const USERS = {
  alice: { sub: 'mimi://example.com/u/alice', name: 'Alice Example', email: 'alice@example.com', handle: 'im:alice@example.com', org: 'example.com', role: 'engineer' },
  bob: { sub: 'mimi://example.com/u/bob', name: 'Bob Example', email: 'bob@example.com', handle: 'im:bob@example.com', org: 'example.com', role: 'counsel' },
  // the provider's own account at the authority (it may be a legitimate user too)
  mallory: { sub: 'mimi://example.com/u/mallory', name: 'Mallory', email: 'mallory@example.com', handle: 'im:mallory@example.com', org: 'example.com', role: 'intern' },
} as const
type UserId = keyof typeof USERS

/** The member policy (as in the demo): org disclosed and ours, status required, long-lived key binding. */
export const MEMBER_POLICY: Omit<VerifierPolicy, 'aud' | 'now'> = {
  requiredClaims: [['org']],
  constraints: [{ path: ['org'], equals: 'example.com' }],
  status: 'required',
  keyBindingMaxAgeSeconds: 7 * 24 * 3600,
}

/** What the provider does to a request of a member's verifier; undefined = forward it to the authority. */
type Tamper = (url: URL, honest: () => Promise<Response>) => Promise<Response | undefined> | Response | undefined

/** The network between the members' verifiers and the authority, as the provider would like to control it. */
interface ProviderNetwork {
  fetch: typeof fetch
  /** Tamperings by URL path (exact path, e.g. `/status-lists/…`, `/.well-known/jwt-vc-issuer`). */
  tamper: Map<string, Tamper>
  /** Every URL the verifiers asked for. */
  log: string[]
}

export interface Member {
  authService: MlsCredentialAuthenticationService
  trust: TrustStore
  status: StatusChecker
  context: VerifierContext
}

export interface Holder {
  wallet: Wallet
  credential: StoredCredential
  /** The holder's private key (the wallet's, for building leaves and KeyPackages by hand in attacks). */
  privateJwk: PrivateJwk
}

export interface AttackStack {
  provider: CryptoProvider
  clock: { now: number }
  app: Fixture['app']
  /** The honest route from a holder's wallet to the authority. */
  issuerFetch: typeof fetch
  net: ProviderNetwork
  cs: mls.CiphersuiteImpl
  admin(method: string, path: string, body?: unknown): Promise<Response>
  offer(user: UserId, configuration: string, txCode?: boolean): Promise<{ offer_uri: string; offer_uri_by_value: string; tx_code: string | null }>
  /** A fresh wallet that received a credential for `user` (pre-authorized code flow, via `fetch` or honestly). */
  holder(user: UserId, configuration: string, fetch?: typeof globalThis.fetch): Promise<Holder>
  /** A member's verifier stack; `sources` default to metadata discovery (jwt-vc-issuer + COSE_KeySet). */
  member(o?: { policy?: Partial<VerifierPolicy>; sources?: KeySource[]; allowBasic?: boolean; maxListAgeSeconds?: number }): Member
  keyPackage(h: Holder, paths?: readonly string[]): Promise<CredentialKeyPackage>
  /** Sets the status of the holder's credential through the admin API (revocation is final). */
  setStatus(h: Holder, status: 'revoked' | 'suspended' | 'valid'): Promise<void>
  close(): Promise<void>
}

/** Starts the stack with users alice, bob and mallory. */
export async function startAttackStack(config: IssuerConfigFile = {}): Promise<AttackStack> {
  const disclosable = [...ATTRIBUTES]
  // The issuer's own test fixture (@e2eid/issuer/testing): in-memory SQLite, a movable clock, an admin token.
  const fixture = await makeFixture({
    credential_configurations: {
      [SD_JWT]: { format: 'dc+sd-jwt', scope: SD_JWT, selectively_disclosable: disclosable, decoys: 2 },
      [SD_CWT]: { format: 'application/sd-cwt', scope: SD_CWT, selectively_disclosable: disclosable, decoys: 2 },
    },
    status_list_ttl: LIST_TTL,
    status_list_token_lifetime: LIST_LIFETIME,
    ...config,
  })
  const { app, crypto: provider, clock, adminToken } = fixture
  const issuerFetch: typeof fetch = async (input, init) => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    if (new URL(req.url).origin !== ISSUER_URL) return new Response('no route', { status: 502 })
    return app.request(req)
  }
  const net: ProviderNetwork = {
    tamper: new Map(),
    log: [],
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      net.log.push(url.pathname)
      const honest = () => issuerFetch(input, init)
      const t = net.tamper.get(url.pathname)
      return (t === undefined ? undefined : await t(url, honest)) ?? honest()
    },
  }
  const admin = (method: string, path: string, body?: unknown): Promise<Response> =>
    Promise.resolve(
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    )
  for (const [id, claims] of Object.entries(USERS)) {
    const r = await admin('POST', '/admin/users', { id, claims })
    if (r.status !== 201) throw new Error(`user ${id}: ${r.status} ${await r.text()}`)
  }
  const cs = await mlsCipherSuite()
  const handlers = defaultFormatHandlers({ provider })

  const stack: AttackStack = {
    provider,
    clock,
    app,
    issuerFetch,
    net,
    cs,
    admin,
    async offer(user, configuration, txCode = false) {
      const r = await admin('POST', '/admin/offers', { user_id: user, credential_configuration_id: configuration, tx_code: txCode })
      if (r.status !== 201) throw new Error(`offer: ${r.status} ${await r.text()}`)
      return (await r.json()) as { offer_uri: string; offer_uri_by_value: string; tx_code: string | null }
    },
    async holder(user, configuration, fetch = issuerFetch) {
      const wallet = memoryWallet(handlers, { provider, fetch, now: () => clock.now * 1000, trustedIssuers: [ISSUER_URL] })
      const offer = await stack.offer(user, configuration)
      const [credential] = await wallet.receive(offer.offer_uri)
      if (credential === undefined) throw new Error('no credential received')
      const key = await wallet.keys.get(credential.keyId)
      const privateJwk = await wallet.keys.withPrivateKey(key, async (jwk) => ({ ...jwk }))
      return { wallet, credential, privateJwk }
    },
    member(o = {}) {
      const http = createHttpClient({ fetch: net.fetch })
      const trust = createTrustStore({
        http,
        authorities: [{ issuer: ISSUER_URL, sources: o.sources ?? [{ type: 'jwt_vc_issuer' }, { type: 'cose_key_set_uri', uri: `${ISSUER_URL}/.well-known/cose-keys` }] }],
        now: () => clock.now,
      })
      const status = createStatusChecker({ http, provider, now: () => clock.now, ...(o.maxListAgeSeconds === undefined ? {} : { maxListAgeSeconds: o.maxListAgeSeconds }) })
      const context: VerifierContext = { trust, status, provider }
      const verify = mlsPresentationVerifier({ ...MEMBER_POLICY, ...o.policy, now: () => clock.now }, context)
      const authService = new MlsCredentialAuthenticationService({ verify, service: SERVICE, provider, now: () => clock.now * 1000, ...(o.allowBasic === true ? { allowBasic: true } : {}) })
      return { authService, trust, status, context }
    },
    keyPackage: (h, paths = ['org']) => createCredentialKeyPackage(h.wallet, h.credential.id, { service: SERVICE, paths }),
    async setStatus(h, status) {
      const users = Object.keys(USERS)
      for (const user of users) {
        const list = (await (await admin('GET', `/admin/users/${user}/credentials`)).json()) as Array<{ id: string; status_list: { uri: string; idx: number } }>
        const c = list.find((x) => x.status_list.uri === h.credential.statusListUri && x.status_list.idx === h.credential.statusIdx)
        if (c === undefined) continue
        const r = await admin('POST', `/admin/credentials/${c.id}/status`, { status })
        if (r.status !== 200) throw new Error(`status: ${r.status} ${await r.text()}`)
        return
      }
      throw new Error('no such credential at the authority')
    },
    close: fixture.close,
  }
  return stack
}

/** The code of the E2eidError a promise rejects with (fails the test on success or on any other exception). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof E2eidError) { if (process.env.ATTACK_DEBUG) console.log('REFUSAL', e.code, e.message); return e.code }
    throw e
  }
  throw new Error('expected a refusal, but it was accepted')
}

/** A fresh key pair of the provider (Ed25519, the MLS suite 1 signature key). */
export function providerKey(s: AttackStack): Promise<KeyPair> {
  return s.provider.generateKeyPair('EdDSA')
}
