/**
 * @module serve
 * Runs the issuer on @hono/node-server: opens the repository named by `db` (default: the embedded
 * SQLite file `<stateDir>/issuer.sqlite`, stateDir = $E2EID_HOME/issuer or ~/.e2eid/issuer), makes sure
 * a signing key exists (generated on first start, kept in the database), sets up the admin token
 * (only its hash in the database, the token itself in `<stateDir>/admin-token`, mode 0600; several instances on
 * one database each keep their own, see admin/admin-token.ts) and listens.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { CryptoProvider } from '@e2eid/shared'
import { E2eidError } from '@e2eid/shared'
import { createNodeCryptoProvider, redactUrl, redactUrlsIn, silentLogger } from '@e2eid/shared/node'
import type { Logger } from '@e2eid/shared/node'
import { openRepository } from './storage/index.js'
import type { IssuerRepository } from './storage/index.js'
import { createIssuerApp } from './http/app.js'
import type { IssuerApp } from './http/app.js'
import { resolveIssuerConfig } from './config/config.js'
import type { IssuerConfigFile } from './config/config.js'
import { activeSigningKey } from './keys/signing-keys.js'
import { assertAdminTokenStrength, setUpAdminToken } from './admin/admin-token.js'

/** Options of {@link startIssuerServer}. */
export interface StartIssuerServerOptions {
  /** TCP port (default 8080; 0 = any free port). */
  port?: number
  /** Interface to listen on (default 127.0.0.1). */
  host?: string
  /** `sqlite:PATH`, `sqlite::memory:` or `postgres://...` (default: the embedded SQLite file). */
  db?: string
  /** JSON config file (see zIssuerConfigFile). */
  configFile?: string
  /** Config members given directly (override the file's). */
  config?: IssuerConfigFile
  /** Credential Issuer Identifier (default: the config's issuer_url, else http://127.0.0.1:PORT). */
  issuerUrl?: string
  /** Where the SQLite file and the admin token file live (default {@link defaultStateDir}). */
  stateDir?: string
  /** Admin token to use instead of a generated one (e.g. from E2EID_ADMIN_TOKEN). */
  adminToken?: string
  crypto?: CryptoProvider
  /** How often expired rows are purged, in milliseconds (default 600,000: ten minutes). */
  purgeIntervalMs?: number
  /** Structured log (one line per request and per security event; default: silent). */
  logger?: Logger
}

/** A running issuer. */
export interface RunningIssuer {
  /** Where it listens, e.g. http://127.0.0.1:8080. */
  url: string
  issuerUrl: string
  db: string
  /** The file holding the admin token (null when the token was given by the caller). */
  adminTokenFile: string | null
  app: IssuerApp
  repository: IssuerRepository
  close(): Promise<void>
}

/** `$E2EID_HOME/issuer`, else `~/.e2eid/issuer`. */
export function defaultStateDir(): string {
  const home = process.env.E2EID_HOME
  return home !== undefined && home !== '' ? join(home, 'issuer') : join(homedir(), '.e2eid', 'issuer')
}

/** The admin token file `serve` writes in `stateDir`. */
export function adminTokenPath(stateDir: string = defaultStateDir()): string {
  return join(stateDir, 'admin-token')
}

function readConfig(file: string | undefined): IssuerConfigFile {
  if (file === undefined) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IssuerConfigFile
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') throw new E2eidError('ERR_FILE_NOT_FOUND', `config file not found: ${file}`, { cause: e, hint: 'check the path given to --config' })
    throw new E2eidError('ERR_ISSUER_CONFIG_INVALID', `cannot read the config file ${file}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** Starts the issuer server. */
export async function startIssuerServer(o: StartIssuerServerOptions = {}): Promise<RunningIssuer> {
  // Refused before anything starts: a short chosen admin token is guessable.
  if (o.adminToken !== undefined) assertAdminTokenStrength(o.adminToken)
  const stateDir = o.stateDir ?? defaultStateDir()
  mkdirSync(stateDir, { recursive: true, mode: 0o700 })
  const fileConfig: IssuerConfigFile = { ...readConfig(o.configFile), ...o.config }
  const config = resolveIssuerConfig(fileConfig)
  const crypto = o.crypto ?? createNodeCryptoProvider()
  const logger = o.logger ?? silentLogger()
  const db = o.db ?? `sqlite:${join(stateDir, 'issuer.sqlite')}`
  const repository = await openRepository(db).catch((e: unknown) => {
    if (e instanceof E2eidError) throw e
    // Say which database (its password redacted) and why, not a bare "connect ECONNREFUSED".
    const why = (e as { code?: unknown }).code ?? (e instanceof Error ? e.message : String(e))
    throw new E2eidError('ERR_STORAGE_UNAVAILABLE', `cannot open the database ${redactUrl(db)}: ${String(why)}`, { cause: e, hint: 'check --db (sqlite:PATH, sqlite::memory: or postgres://user:password@host/db) and that the database server runs' })
  })
  const host = o.host ?? '127.0.0.1'
  let app: IssuerApp | undefined
  const server = serve({ fetch: (req, env) => (app === undefined ? new Response('{"error":"temporarily_unavailable"}', { status: 503 }) : app.fetch(req, env)), port: o.port ?? 8080, hostname: host })
  try {
    await new Promise<void>((resolve, reject) => {
      if (server.listening) resolve()
      server.once('listening', () => resolve())
      server.once('error', reject)
    })
  } catch (e) {
    await repository.close()
    throw e
  }
  const port = (server.address() as AddressInfo).port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const issuerUrl = o.issuerUrl ?? fileConfig.issuer_url?.replace(/\/$/, '') ?? url
  let adminTokenFile: string | null
  try {
    app = createIssuerApp({ repository, issuerUrl, crypto, config, logger })
    await activeSigningKey(app.issuer)
    adminTokenFile = await setUpAdminToken(repository, crypto, adminTokenPath(stateDir), o.adminToken)
  } catch (e) {
    // Fail fast: a startup error must not leave the listening socket (and the process) alive.
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await repository.close()
    throw e
  }
  // Housekeeping: expired codes, tokens, nonces and DPoP jtis are deleted periodically (every 10 minutes by
  // default). The timer never keeps the process alive, and close() stops it.
  const purge = setInterval(() => {
    repository.purgeExpired(Math.floor(Date.now() / 1000)).catch((e: unknown) => {
      if (o.logger === undefined) console.error('issuer: purge failed', e)
      else logger.error({ event: 'purge_failed', err_message: redactUrlsIn(e instanceof Error ? e.message : String(e)) }, 'purge failed')
    })
  }, o.purgeIntervalMs ?? 600_000)
  purge.unref()
  // The database URL may carry a password (postgres://user:password@host/db): logged redacted.
  logger.info({ event: 'startup', url, issuer_url: issuerUrl, db: redactUrl(db), admin_token_source: adminTokenFile === null ? 'E2EID_ADMIN_TOKEN' : 'file' }, 'issuer listening')
  return {
    url,
    issuerUrl,
    db,
    adminTokenFile,
    app,
    repository,
    close: async () => {
      clearInterval(purge)
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await repository.close()
    },
  }
}
