/**
 * Test-only holder side: DPoP proofs (RFC 9449 §4.2) and OpenID4VCI jwt proofs (App. F.1) made with
 * @e2eid/shared's signJwt, plus an app + repository fixture.
 */
import type { CryptoProvider, KeyPair, SignatureAlgorithm } from '@e2eid/shared'
import { base64urlEncode, signJwt, utf8Encode } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { openSqliteRepository } from '../storage/index.js'
import type { IssuerRepository } from '../storage/index.js'
import { createIssuerApp } from '../http/app.js'
import type { CreateIssuerAppOptions, IssuerApp } from '../http/app.js'
import { resolveIssuerConfig } from '../config/config.js'
import type { IssuerConfigFile } from '../config/config.js'
import { setAdminToken } from '../admin/admin-token.js'

export const ISSUER = 'https://issuer.example'

export interface Fixture {
  app: IssuerApp
  repo: IssuerRepository
  crypto: CryptoProvider
  clock: { now: number }
  adminToken: string
  close: () => Promise<void>
}

/** scrypt cost of the fixtures' password hashes: fast (the default 2^17 takes ~0.5 s per hash, and most tests add a user). */
export const TEST_SCRYPT_N = 1 << 10

/** Config members that lift every per-address and per-user rate limit (fuzz tests send thousands of requests from one address). */
export const UNLIMITED_RATES = {
  token_rate_limit_per_minute: 100_000,
  rate_limits_per_minute: { par: 1_000_000, authorize: 1_000_000, nonce: 1_000_000, credential: 1_000_000, credential_per_account: 1_000_000, admin: 1_000_000, admin_failures: 1_000_000 },
} satisfies IssuerConfigFile

/** An app on an in-memory SQLite repository with a controllable clock. */
export async function makeFixture(config: IssuerConfigFile = {}, extra: Partial<CreateIssuerAppOptions> = {}): Promise<Fixture> {
  const repo = await openSqliteRepository(':memory:')
  const crypto = createNodeCryptoProvider()
  const clock = { now: Math.floor(Date.now() / 1000) }
  const resolved = { ...resolveIssuerConfig(config), passwordScryptN: TEST_SCRYPT_N }
  const app = createIssuerApp({ repository: repo, issuerUrl: ISSUER, crypto, clock: () => clock.now, config: resolved, ...extra })
  const adminToken = await setAdminToken(repo, crypto)
  return { app, repo, crypto, clock, adminToken, close: () => repo.close() }
}

export async function keyPair(crypto: CryptoProvider, alg: SignatureAlgorithm = 'EdDSA'): Promise<KeyPair> {
  return crypto.generateKeyPair(alg)
}

let jtiCounter = 0

/** A DPoP proof for `method url`, with `ath` when an access token is given. */
export async function dpopProof(
  crypto: CryptoProvider,
  key: KeyPair,
  method: string,
  url: string,
  opts: { accessToken?: string; iat: number; jti?: string; typ?: string },
): Promise<string> {
  const payload: Record<string, unknown> = { jti: opts.jti ?? `jti-${Date.now()}-${jtiCounter++}`, htm: method, htu: url, iat: opts.iat }
  if (opts.accessToken !== undefined) payload.ath = base64urlEncode(crypto.digest('SHA-256', utf8Encode(opts.accessToken)))
  return signJwt({ header: { typ: opts.typ ?? 'dpop+jwt', jwk: key.publicJwk }, payload, key: key.privateJwk, provider: crypto })
}

/** An OpenID4VCI jwt proof. `jwk` defaults to the signing key's public key. */
export async function jwtProof(
  crypto: CryptoProvider,
  key: KeyPair,
  opts: { nonce?: string; aud?: unknown; iat: number; jwk?: unknown; typ?: string; extraHeader?: Record<string, unknown> },
): Promise<string> {
  const payload: Record<string, unknown> = { aud: opts.aud ?? ISSUER, iat: opts.iat }
  if (opts.nonce !== undefined) payload.nonce = opts.nonce
  return signJwt({
    header: { typ: opts.typ ?? 'openid4vci-proof+jwt', jwk: opts.jwk ?? key.publicJwk, ...opts.extraHeader },
    payload,
    key: key.privateJwk,
    provider: crypto,
  })
}

/** POST a form. */
export function form(app: IssuerApp, path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() }),
  )
}

/** POST JSON. */
export function json(app: IssuerApp, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }))
}

/** Admin POST JSON. */
export function admin(f: Fixture, path: string, body?: unknown, method = 'POST'): Promise<Response> {
  return Promise.resolve(
    f.app.request(path, {
      method,
      headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  )
}

export const ALICE_CLAIMS = { handle: 'im:alice@example.com', name: 'Alice Example', email: 'alice@example.com' }

/** Creates alice and an offer; returns the pre-authorized code and tx_code. */
export async function aliceOffer(f: Fixture, configurationId = 'mimi_identity_sd_jwt', txCode = false): Promise<{ code: string; txCode: string | null; offerUri: string }> {
  const u = await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: 'correct horse battery' })
  if (u.status !== 201 && u.status !== 409) throw new Error(`user add ${u.status} ${await u.text()}`)
  const r = await admin(f, '/admin/offers', { user_id: 'alice', credential_configuration_id: configurationId, tx_code: txCode })
  if (r.status !== 201) throw new Error(`offer ${r.status} ${await r.text()}`)
  const body = (await r.json()) as { offer_uri_by_value: string; tx_code: string | null; offer_uri: string }
  const offer = JSON.parse(new URL(body.offer_uri_by_value).searchParams.get('credential_offer')!) as {
    grants: Record<string, { 'pre-authorized_code': string }>
  }
  return { code: offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'], txCode: body.tx_code, offerUri: body.offer_uri }
}

/** Token request (pre-authorized) with a fresh DPoP proof; returns the access token. */
export async function preAuthToken(f: Fixture, dpopKey: KeyPair, code: string, txCode?: string | null): Promise<Response> {
  const dpop = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}/token`, { iat: f.clock.now })
  const params: Record<string, string> = { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }
  if (txCode !== undefined && txCode !== null) params.tx_code = txCode
  return form(f.app, '/token', params, { dpop })
}

/** Authorization + DPoP headers for a protected endpoint. */
export async function authHeaders(f: Fixture, dpopKey: KeyPair, accessToken: string, path: string): Promise<Record<string, string>> {
  const dpop = await dpopProof(f.crypto, dpopKey, 'POST', `${ISSUER}${path}`, { accessToken, iat: f.clock.now })
  return { authorization: `DPoP ${accessToken}`, dpop }
}

/** Full path to a token + nonce. */
export async function tokenAndNonce(f: Fixture, dpopKey: KeyPair, configurationId = 'mimi_identity_sd_jwt'): Promise<{ accessToken: string; nonce: string }> {
  const { code } = await aliceOffer(f, configurationId)
  const t = await preAuthToken(f, dpopKey, code)
  if (t.status !== 200) throw new Error(`token ${t.status} ${await t.text()}`)
  const accessToken = ((await t.json()) as { access_token: string }).access_token
  const n = await f.app.request('/nonce', { method: 'POST', headers: await authHeaders(f, dpopKey, accessToken, '/nonce') })
  if (n.status !== 200) throw new Error(`nonce ${n.status} ${await n.text()}`)
  return { accessToken, nonce: ((await n.json()) as { c_nonce: string }).c_nonce }
}
