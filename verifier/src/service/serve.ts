/**
 * @module service/serve
 * Runs the verifier service on @hono/node-server from a configuration: one HTTP client (the only door to the
 * network: key sets and status lists), a trust store over the configured authorities, a status checker, the app.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { E2eidError, parseWith } from '@e2eid/shared'
import type { CryptoProvider } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import type { Logger } from '@e2eid/shared/node'
import type { Hono } from 'hono'
import { createHttpClient } from '../http.js'
import type { FetchLike, HttpClient } from '../http.js'
import type { StatusChecker } from '../status/types.js'
import type { TrustStore } from '../trust/types.js'
import { createStatusChecker } from '../status/checker.js'
import { createTrustStore } from '../trust/trust-store.js'
import { createVerifierApp } from './app.js'
import type { VerifierServiceConfigInput } from './z-config.js'
import { authoritiesFromConfig, zVerifierServiceConfig } from './z-config.js'

/** Options of {@link startVerifierServer}. */
export interface StartVerifierServerOptions {
  config: VerifierServiceConfigInput
  /** TCP port (default 8081; 0 = any free port). */
  port?: number
  /** Interface (default 127.0.0.1). */
  host?: string
  /** The fetch for key sets and status lists (default: global fetch). */
  fetch?: FetchLike
  provider?: CryptoProvider
  /** Structured log (one line per request, one per refused presentation; default: silent). */
  logger?: Logger
  /** When set, POST /requests needs `Authorization: Bearer <requestsToken>` (at least 16 characters). */
  requestsToken?: string
}

/** A running verifier service. */
export interface RunningVerifier {
  url: string
  publicUrl: string
  close(): Promise<void>
}

/** Validates a configuration; throws ERR_VERIFY_CONFIG_INVALID. */
export function parseVerifierServiceConfig(value: unknown): ReturnType<typeof zVerifierServiceConfig.parse> {
  return parseWith(zVerifierServiceConfig, value, 'ERR_VERIFY_CONFIG_INVALID', (i) => `invalid verifier config at ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`)
}

/** Options of {@link createVerifierFromConfig}. */
export interface CreateVerifierFromConfigOptions {
  config: VerifierServiceConfigInput
  /** Public base URL (default: the config's public_url; required when the config has none). */
  publicUrl?: string
  /** The fetch for key sets and status lists (default: global fetch). */
  fetch?: FetchLike
  provider?: CryptoProvider
  /** Clock in Unix seconds (verification, status cache, sessions). */
  now?: () => number
  /** Structured log (default: silent). */
  logger?: Logger
  /** When set, POST /requests needs `Authorization: Bearer <requestsToken>` (at least 16 characters). */
  requestsToken?: string
}

/** The pieces of a verifier built from a configuration. */
export interface ConfiguredVerifier {
  app: Hono
  publicUrl: string
  http: HttpClient
  trust: TrustStore
  status: StatusChecker
}

/**
 * Builds the verifier service from a configuration without listening (in-process use: `app.request()`, or a
 * host that serves `app.fetch`). All network traffic goes through `fetch`.
 */
export function createVerifierFromConfig(options: CreateVerifierFromConfigOptions): ConfiguredVerifier {
  const config = parseVerifierServiceConfig(options.config)
  const publicUrl = options.publicUrl ?? config.public_url
  if (publicUrl === undefined) throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', 'a public URL is needed (public_url)')
  const provider = options.provider ?? createNodeCryptoProvider()
  const insecure = config.allow_insecure_loopback === true
  const http = createHttpClient({ allowInsecureLoopback: insecure, ...(options.fetch ? { fetch: options.fetch } : {}) })
  const trust = createTrustStore({
    http,
    authorities: authoritiesFromConfig(config),
    insecureLoopback: insecure,
    ...(options.now ? { now: options.now } : {}),
    ...(config.negative_cache_seconds === undefined ? {} : { negativeCacheSeconds: config.negative_cache_seconds }),
  })
  const status = createStatusChecker({
    http,
    provider,
    ...(options.now ? { now: options.now } : {}),
    ...(config.status_min_ttl_seconds === undefined ? {} : { minTtl: config.status_min_ttl_seconds }),
  })
  const app = createVerifierApp({
    publicUrl,
    trust,
    status,
    provider,
    ...(options.now ? { now: options.now } : {}),
    ...(config.policy === undefined ? {} : { policy: config.policy }),
    ...(config.dcql_query === undefined ? {} : { dcqlQuery: config.dcql_query as never }),
    ...(config.request_sd_cwt === true ? { requestSdCwt: true } : {}),
    ...(config.request_ttl_seconds === undefined ? {} : { requestTtlSeconds: config.request_ttl_seconds }),
    ...(config.wallet_origins === undefined ? {} : { walletOrigins: config.wallet_origins }),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(config.max_sessions === undefined ? {} : { maxSessions: config.max_sessions }),
    ...(config.requests_rate_limit_per_minute === undefined ? {} : { requestsRateLimitPerMinute: config.requests_rate_limit_per_minute }),
    ...(options.requestsToken === undefined ? {} : { requestsToken: options.requestsToken }),
  })
  return { app, publicUrl, http, trust, status }
}

/** Starts the verifier service. */
export async function startVerifierServer(options: StartVerifierServerOptions): Promise<RunningVerifier> {
  const config = parseVerifierServiceConfig(options.config)
  const host = options.host ?? '127.0.0.1'
  let app: Hono | undefined
  const server = serve({ fetch: (req) => app!.fetch(req), port: options.port ?? 8081, hostname: host })
  // Fail fast: a listen error (port in use) rejects, and nothing is left listening.
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve()
    server.once('listening', () => resolve())
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let publicUrl: string
  try {
    const built = createVerifierFromConfig({
      config: options.config,
      publicUrl: config.public_url ?? url,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.requestsToken === undefined ? {} : { requestsToken: options.requestsToken }),
    })
    app = built.app
    publicUrl = built.publicUrl
  } catch (e) {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    throw e
  }
  options.logger?.info({ event: 'startup', url, public_url: publicUrl }, 'verifier listening')
  return {
    url,
    publicUrl,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function') server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
