/**
 * @module demo/up-stack
 * `e2eid up`: the issuer (embedded SQLite in the data folder), the OpenID4VP verifier service and the
 * browser wallet page together on loopback, a sample user, and a ready credential offer, for people who
 * want to try the pieces by hand. {@link startUp} starts everything; `close()` stops everything.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CryptoProvider } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import type { Logger } from '@e2eid/shared/node'
import { renderTerminalQr } from '@e2eid/issuer'
import { startVerifierServer } from '@e2eid/verifier'
import type { RunningVerifier } from '@e2eid/verifier'
import { buildWalletPage, startWalletPageServer } from '@e2eid/wallet/node'
import { localDemoConfig } from '../commands/verifier.js'
import { SD_JWT_CONFIGURATION, startDemoAuthority } from './authority.js'
import type { DemoAuthority, DemoOffer } from './authority.js'

/** The sample user `up` adds (password for the authorization code flow on the issuer's login page). */
export const SAMPLE_USER = {
  id: 'alice',
  password: 'correct horse battery',
  claims: { sub: 'mimi://example.com/u/alice', name: 'Alice Example', email: 'alice@example.com', handle: 'im:alice@example.com', org: 'example.com', role: 'engineer' },
} as const

/** The status list `ttl` of `up`'s issuer, and the verifier's lowest accepted one (seconds). */
export const UP_STATUS_LIST_TTL = 10

/** Options of {@link startUp}. */
export interface StartUpOptions {
  /** Data folder (default `$E2EID_HOME` or `~/.e2eid`); the issuer keeps its SQLite file in `<data>/issuer`. */
  dataDir?: string
  /** Ports (defaults 8080, 8081, 8082; 0 = any free port). */
  issuerPort?: number
  verifierPort?: number
  walletPort?: number
  /** Serve the wallet page (default true). */
  walletPage?: boolean
  /** Build the page with Vite when it is not built yet (default true). */
  buildWalletPage?: boolean
  /** Serve the page from this folder instead of the wallet package's build (`wallet/web-dist`). */
  walletPageRoot?: string
  provider?: CryptoProvider
  /** The servers' structured log (default: silent); each line names its service. */
  logger?: Logger
}

/** What `up` started. */
export interface RunningUp {
  issuerUrl: string
  verifierUrl: string
  /** Undefined when the wallet page could not be served (see `walletPageProblem`). */
  walletUrl: string | undefined
  walletPageProblem: string | undefined
  dataDir: string
  adminTokenFile: string | null
  offer: DemoOffer
  /** The offer URI as a terminal QR code. */
  offerQr: string
  /** Whether the sample user was created now (false: it existed from an earlier run). */
  userCreated: boolean
  close(): Promise<void>
}

/** `$E2EID_HOME`, else `~/.e2eid`. */
export function defaultDataDir(): string {
  const home = process.env.E2EID_HOME
  return home !== undefined && home !== '' ? home : join(homedir(), '.e2eid')
}

/** A free loopback port (so the page's origin is known before the issuer's CORS configuration is written). */
async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

/** Starts issuer, verifier service and wallet page; adds the sample user; creates an offer. */
export async function startUp(o: StartUpOptions = {}): Promise<RunningUp> {
  const provider = o.provider ?? createNodeCryptoProvider()
  const dataDir = o.dataDir ?? defaultDataDir()
  const closers: Array<() => Promise<void>> = []
  const closeAll = async (): Promise<void> => {
    for (const c of closers.reverse()) await c().catch(() => undefined)
    closers.length = 0
  }
  try {
    const requestedWalletPort = o.walletPort ?? 8082
    const walletPort = o.walletPage === false ? undefined : requestedWalletPort === 0 ? await freePort() : requestedWalletPort
    const walletOrigin = walletPort === undefined ? undefined : `http://127.0.0.1:${walletPort}`

    const authority: DemoAuthority = await startDemoAuthority({
      stateDir: join(dataDir, 'issuer'),
      port: o.issuerPort ?? 8080,
      crypto: provider,
      fetch: (input, init) => globalThis.fetch(input, init),
      persistentAdminToken: true,
      // Trying by hand, a revocation shows within seconds (the verifier's ttl clamp is lowered to match).
      statusListTtl: UP_STATUS_LIST_TTL,
      ...(o.logger === undefined ? {} : { logger: o.logger.child({ service: 'issuer' }) }),
      ...(walletOrigin === undefined ? {} : { walletOrigins: [walletOrigin] }),
    })
    closers.push(() => authority.close())
    // The wallet page posts its OpenID4VP response from the browser: the verifier admits its origin by CORS.
    const verifierConfig = {
      ...localDemoConfig(authority.url),
      status_min_ttl_seconds: UP_STATUS_LIST_TTL,
      ...(walletOrigin === undefined ? {} : { wallet_origins: [walletOrigin] }),
    }
    const verifier: RunningVerifier = await startVerifierServer({
      config: verifierConfig,
      port: o.verifierPort ?? 8081,
      provider,
      ...(o.logger === undefined ? {} : { logger: o.logger.child({ service: 'verifier' }) }),
    })
    closers.push(() => verifier.close())

    let walletUrl: string | undefined
    let walletPageProblem: string | undefined = o.walletPage === false ? 'disabled (--no-wallet-page)' : undefined
    if (walletPort !== undefined) {
      const start = () =>
        startWalletPageServer({ port: walletPort, issuerUrl: authority.url, verifierUrl: verifier.url, ...(o.walletPageRoot === undefined ? {} : { root: o.walletPageRoot }) })
      try {
        const page = await start().catch(async (e: unknown) => {
          // First run: build the page (Vite) when it has not been built yet.
          if ((e as { code?: string }).code !== 'ERR_WALLET_PAGE_NOT_BUILT' || o.buildWalletPage === false || o.walletPageRoot !== undefined) throw e
          await buildWalletPage({ logLevel: 'silent' })
          return start()
        })
        closers.push(() => page.close())
        walletUrl = page.url
      } catch (e) {
        // A port in use is a startup error like the issuer's and the verifier's (fail fast); a page that cannot be
        // built only leaves the page out.
        if ((e as { code?: unknown }).code === 'EADDRINUSE') throw e
        walletPageProblem = `the wallet page could not be served: ${e instanceof Error ? e.message : String(e)}`
      }
    }

    const userCreated = !(await authority.hasUser(SAMPLE_USER.id))
    if (userCreated) await authority.addUser(SAMPLE_USER.id, { ...SAMPLE_USER.claims }, SAMPLE_USER.password)
    const offer = await authority.offer(SAMPLE_USER.id, SD_JWT_CONFIGURATION, true)
    const offerQr = await renderTerminalQr(offer.offer_uri)
    return {
      issuerUrl: authority.url,
      verifierUrl: verifier.url,
      walletUrl,
      walletPageProblem,
      dataDir,
      adminTokenFile: authority.adminTokenFile,
      offer,
      offerQr,
      userCreated,
      close: closeAll,
    }
  } catch (e) {
    await closeAll()
    throw e
  }
}
