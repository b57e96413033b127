/**
 * @module node/web-page
 * Node-only helpers for the browser wallet page (wallet/web): {@link buildWalletPage} runs the Vite
 * build into `wallet/web-dist/`, {@link startWalletPageServer} serves that folder on a loopback port
 * with a `config.json` naming the issuer and verifier the page should talk to. `e2eid up` uses both.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { E2eidError } from '@e2eid/shared'

/** `wallet/web-dist`, the build output (same depth from src/node and dist/node). */
export const WALLET_PAGE_DIST: string = fileURLToPath(new URL('../../web-dist/', import.meta.url))
/** `wallet/vite.config.ts`, the page's build configuration. */
export const WALLET_PAGE_VITE_CONFIG: string = fileURLToPath(new URL('../../vite.config.ts', import.meta.url))

/** Options of {@link buildWalletPage}. */
export interface BuildWalletPageOptions {
  /** Output folder (default {@link WALLET_PAGE_DIST}). */
  outDir?: string
  /** Vite log level (default `warn`). */
  logLevel?: 'info' | 'warn' | 'error' | 'silent'
}

/**
 * Builds the page with Vite's `build()` (Vite is a development dependency of the workspace; it is
 * loaded only when this is called). Resolves with the output folder.
 */
export async function buildWalletPage(options: BuildWalletPageOptions = {}): Promise<string> {
  const outDir = options.outDir ?? WALLET_PAGE_DIST
  let vite: typeof import('vite')
  try {
    vite = await import('vite')
  } catch (e) {
    throw new E2eidError('ERR_WALLET_PAGE_BUILD', 'building the wallet page needs the vite package', { cause: e })
  }
  await vite.build({
    configFile: WALLET_PAGE_VITE_CONFIG,
    logLevel: options.logLevel ?? 'warn',
    build: { outDir, emptyOutDir: true },
  })
  return outDir
}

/** Options of {@link startWalletPageServer}. */
export interface StartWalletPageServerOptions {
  /** TCP port (default 8082; 0 = any free port). */
  port?: number
  /** Interface (default 127.0.0.1; the page holds keys in the browser, but keep it on loopback). */
  host?: string
  /** Issuer the page suggests (shown on the page; offers may name any issuer). */
  issuerUrl?: string
  /** Verifier service the page suggests for OpenID4VP requests. */
  verifierUrl?: string
  /** Folder of the built page (default {@link WALLET_PAGE_DIST}). */
  root?: string
}

/** A running page server. */
export interface RunningWalletPage {
  /** e.g. http://127.0.0.1:8082 — the page's origin, to list in the issuer's `wallet_origins`. */
  url: string
  /** Changes what `config.json` tells the page (e.g. once the issuer and verifier, which must know this page's origin, are up). */
  configure(urls: { issuerUrl?: string | null; verifierUrl?: string | null }): void
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

// The page only runs its own scripts; it may call any issuer or verifier (offers name their issuer).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cache-control': 'no-cache',
  })
  res.end(body)
}

/**
 * Serves the built page (static files, GET/HEAD only, no directory listing, no path escape) and
 * `GET /config.json` = `{ issuerUrl, verifierUrl }`. Throws ERR_WALLET_PAGE_NOT_BUILT when the
 * page was not built (`npm run build:web -w @e2eid/wallet`).
 */
export async function startWalletPageServer(options: StartWalletPageServerOptions = {}): Promise<RunningWalletPage> {
  const root = normalize(options.root ?? WALLET_PAGE_DIST)
  try {
    await stat(join(root, 'index.html'))
  } catch (e) {
    throw new E2eidError('ERR_WALLET_PAGE_NOT_BUILT', `the wallet page is not built (${root}): run npm run build:web -w @e2eid/wallet`, { cause: e })
  }
  let urls = { issuerUrl: options.issuerUrl ?? null, verifierUrl: options.verifierUrl ?? null }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, TYPES['.txt']!, 'method not allowed\n')
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://page.invalid').pathname)
    } catch {
      return send(res, 400, TYPES['.txt']!, 'bad path\n')
    }
    if (path === '/config.json') return send(res, 200, TYPES['.json']!, JSON.stringify(urls))
    if (path.endsWith('/')) path += 'index.html'
    const file = normalize(join(root, path))
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || path.includes('\0')) return send(res, 404, TYPES['.txt']!, 'not found\n')
    let body: Uint8Array
    try {
      body = await readFile(file)
    } catch {
      return send(res, 404, TYPES['.txt']!, 'not found\n')
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream'
    // Node writes no body for HEAD but keeps the content-length.
    send(res, 200, type, body)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, TYPES['.txt']!, 'error\n')
      else res.destroy()
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 8082, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    configure: (u) => {
      urls = { issuerUrl: u.issuerUrl === undefined ? urls.issuerUrl : u.issuerUrl, verifierUrl: u.verifierUrl === undefined ? urls.verifierUrl : u.verifierUrl }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
