/**
 * @module demo/authority
 * The identity authority of the story: the project's issuer (`startIssuerServer`) on a real loopback
 * socket with the embedded SQLite database, and a small client for its admin API (users, offers,
 * credentials, status changes) that goes over HTTP like `e2eid issuer …` does.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hexEncode } from '@e2eid/shared'
import type { CryptoProvider } from '@e2eid/shared'
import type { Logger } from '@e2eid/shared/node'
import { SD_CWT_FORMAT, SD_JWT_VC_FORMAT, startIssuerServer } from '@e2eid/issuer'
import type { IssuerConfigFile, RunningIssuer } from '@e2eid/issuer'

/** Attributes our users carry; all selectively disclosable, so each holder decides what a group sees. */
export const MEMBER_ATTRIBUTES = ['name', 'email', 'handle', 'org', 'role'] as const

/** Credential configurations of the story (the issuer's defaults, with org and role added as disclosable). */
export const SD_JWT_CONFIGURATION = 'mimi_identity_sd_jwt'
export const SD_CWT_CONFIGURATION = 'mimi_identity_sd_cwt'

/** The issuer configuration file the demo and `e2eid up` use. */
export function demoIssuerConfig(statusListTtl: number, walletOrigins: readonly string[] = []): IssuerConfigFile {
  const disclosable = [...MEMBER_ATTRIBUTES]
  return {
    credential_configurations: {
      [SD_JWT_CONFIGURATION]: { format: SD_JWT_VC_FORMAT, scope: SD_JWT_CONFIGURATION, selectively_disclosable: disclosable, decoys: 2, display: [{ name: 'MIMI identity (SD-JWT VC)', locale: 'en-US' }] },
      [SD_CWT_CONFIGURATION]: { format: SD_CWT_FORMAT, scope: SD_CWT_CONFIGURATION, selectively_disclosable: disclosable, decoys: 2, display: [{ name: 'MIMI identity (SD-CWT)', locale: 'en-US' }] },
    },
    status_list_ttl: statusListTtl,
    ...(walletOrigins.length === 0
      ? {}
      : {
          wallet_origins: [...walletOrigins],
          // The wallet page is a registered client with its exact redirect URI (RFC 9700 §2.1: exact matching),
          // the page itself (wallet/web/src/authorize.ts redirectUri(): origin + '/').
          clients: { [WALLET_PAGE_CLIENT_ID]: { redirect_uris: walletOrigins.map((o) => new URL('/', o).href) } },
        }),
  }
}

/** The wallet page's client_id (wallet/web/src/receive.ts CLIENT_ID). */
export const WALLET_PAGE_CLIENT_ID = 'e2eid-wallet-page'

/** A ready credential offer, as the admin API returns it. */
export interface DemoOffer {
  offer_uri: string
  offer_uri_by_value: string
  tx_code: string | null
  offer_id: string
}

/** An issued credential as the admin API lists it. */
interface DemoCredentialSummary {
  id: string
  format: string
  status: string
  status_list: { uri: string; idx: number }
}

/** The running authority and its admin client. */
export interface DemoAuthority {
  issuer: RunningIssuer
  url: string
  /** The admin token file (persistent mode), else null. */
  adminTokenFile: string | null
  addUser(id: string, claims: Record<string, unknown>, password?: string): Promise<void>
  /** True when the user exists. */
  hasUser(id: string): Promise<boolean>
  offer(userId: string, configurationId: string, txCode: boolean): Promise<DemoOffer>
  credentials(userId: string): Promise<DemoCredentialSummary[]>
  setStatus(credentialId: string, status: 'revoked' | 'suspended' | 'valid'): Promise<DemoCredentialSummary>
  close(): Promise<void>
}

/** Options of {@link startDemoAuthority}. */
export interface StartDemoAuthorityOptions {
  /** Folder for the SQLite file, admin token and config (created if needed). */
  stateDir: string
  port?: number
  host?: string
  /** Status list token `ttl` in seconds. */
  statusListTtl?: number
  crypto: CryptoProvider
  /** The fetch used for admin calls (so they can be logged). */
  fetch: typeof fetch
  /** Origins of the wallet page admitted by the issuer's CORS. */
  walletOrigins?: readonly string[]
  /**
   * Keep the issuer's own admin token file in `stateDir` (as `e2eid issuer serve` does), so that
   * `e2eid issuer …` commands work against it. Default false: a one-off random token in memory.
   */
  persistentAdminToken?: boolean
  /** The issuer's structured log (default: silent). */
  logger?: Logger
}

/** Starts the issuer and returns it with an admin client. */
export async function startDemoAuthority(o: StartDemoAuthorityOptions): Promise<DemoAuthority> {
  mkdirSync(o.stateDir, { recursive: true, mode: 0o700 })
  const configFile = join(o.stateDir, 'issuer-config.json')
  writeFileSync(configFile, JSON.stringify(demoIssuerConfig(o.statusListTtl ?? 300, o.walletOrigins), null, 2), { mode: 0o600 })
  const given = o.persistentAdminToken === true ? undefined : hexEncode(o.crypto.randomBytes(32))
  const issuer = await startIssuerServer({
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    stateDir: o.stateDir,
    configFile,
    ...(given === undefined ? {} : { adminToken: given }),
    crypto: o.crypto,
    ...(o.logger === undefined ? {} : { logger: o.logger }),
  })
  const adminToken = given ?? readFileSync(issuer.adminTokenFile ?? '', 'utf8').trim()
  const url = issuer.url
  async function admin<T>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    const res = await o.fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (res.status !== expected) throw new Error(`admin ${method} ${path}: HTTP ${res.status} ${text}`)
    return JSON.parse(text) as T
  }
  return {
    issuer,
    url,
    adminTokenFile: given === undefined ? issuer.adminTokenFile : null,
    async addUser(id, claims, password) {
      await admin('POST', '/admin/users', { id, claims, ...(password === undefined ? {} : { password }) }, 201)
    },
    async hasUser(id) {
      const res = await o.fetch(`${url}/admin/users/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${adminToken}` } })
      await res.body?.cancel()
      if (res.status !== 200 && res.status !== 404) throw new Error(`admin GET /admin/users/${id}: HTTP ${res.status}`)
      return res.status === 200
    },
    offer: (userId, configurationId, txCode) =>
      admin<DemoOffer>('POST', '/admin/offers', { user_id: userId, credential_configuration_id: configurationId, tx_code: txCode }, 201),
    credentials: (userId) => admin<DemoCredentialSummary[]>('GET', `/admin/users/${encodeURIComponent(userId)}/credentials`, undefined, 200),
    setStatus: (credentialId, status) => admin<DemoCredentialSummary>('POST', `/admin/credentials/${encodeURIComponent(credentialId)}/status`, { status }, 200),
    close: () => issuer.close(),
  }
}
