/**
 * @module commands/wallet
 * `e2eid wallet receive|list|show|present|key-package`: the holder wallet on the command line,
 * persistent in the folder E2EID_WALLET_DIR (default ~/.e2eid/wallet), see `@e2eid/wallet/node`.
 */
import { createServer } from 'node:http'
import { createInterface } from 'node:readline/promises'
import { parseCliArgs } from '../parse-args.js'
import { E2eidError, hexEncode } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { createCredentialKeyPackage, defaultFormatHandlers, planOpenid4vpResponse, respondOpenid4vp } from '@e2eid/wallet'
import type { StoredCredential } from '@e2eid/wallet'
import { defaultWalletDir, openFileWallet } from '@e2eid/wallet/node'
import type { FileWallet } from '@e2eid/wallet/node'
import type { CliIo } from '../io.js'
import { assertNotRevoked, statusWord } from './wallet-status-guard.js'
import { UsageError, explainOfferRefusal, reportError } from '../errors.js'
import { asksForHelp, helpText, parserOptions } from '../command-help.js'
import type { OptionTable } from '../command-help.js'
import { WALLET_HELP } from './wallet-help.js'

const USAGE = `usage: e2eid wallet <command> [options]     (wallet folder: $E2EID_WALLET_DIR, default ~/.e2eid/wallet)

The folder holds wallet.json (credentials; holder private keys only AES-GCM-wrapped) and wrapping.key
(mode 0600): unlike a browser, whose wrapping key is a non-extractable CryptoKey, the CLI must keep
its wrapping key in a file. Whoever can read wrapping.key can unwrap the holder keys.

commands:
  receive OFFER_URI [--tx-code CODE] [--key-alg EdDSA|ES256] [--batch N] [--json]
          [--client-id ID] [--redirect-uri http://127.0.0.1:PORT/PATH] [--trust-issuer URL]...
                     receive the credential(s) of an OpenID4VCI offer; prints the new credential's id.
                     Secrets (pre-authorized code, tx code, sign-in) go only to a trusted issuer: one named
                     by --trust-issuer or $E2EID_TRUSTED_ISSUERS (comma/space separated; remembered), one
                     trusted before, or one you confirm at the y/N prompt (a terminal only; remembered)
                     An authorization code offer prints a login URL (stderr) and waits for the browser's
                     redirect on the loopback redirect URI (RFC 8252 §7.3; register it at the issuer)
  list [--json]      the stored credentials
  show ID            one credential (claims, status, metadata) as JSON
  present --credential ID --disclose PATH[,PATH...] --aud STR [--nonce HEX] [--preview] [--json] [--allow-revoked]
                     prints the presentation: hex (SD-CWT KBT) or compact text (SD-JWT+KB);
                     --preview prints what would be disclosed, without signing
  respond OPENID4VP_URI [--preview] [--json] [--allow-revoked]
                     answer an OpenID4VP request (DCQL, direct_post): picks the credential and the fewest
                     claims, POSTs the vp_token; --preview shows what would be disclosed, without signing
  status ID [--json] the credential's current status from its issuer's Token Status List, in the issuer's
                     words: valid, revoked or suspended (exit 1 for revoked and suspended)
  key-package --credential ID [--service URI] [--disclose PATH[,PATH...]] [--nonce HEX] [--allow-revoked]
                     prints an MLS KeyPackage (MLSMessage) as hex

present, respond and key-package first fetch the credential's status: a revoked or suspended credential is
refused (ERR_WALLET_CREDENTIAL_REVOKED, ERR_WALLET_CREDENTIAL_SUSPENDED) unless --allow-revoked.

Run 'e2eid wallet <command> --help' for a command's options.
`

/** Dependencies a test may replace (HTTP to an in-process issuer, the clock). */
export interface WalletCommandDeps {
  fetch?: typeof fetch
  now?: () => number
  env?: Record<string, string | undefined>
  /**
   * Asks the user a yes/no question (the unknown-issuer prompt); undefined = not interactive. Default: a
   * prompt on the terminal when stdin and stderr are TTYs.
   */
  ask?: ((question: string) => Promise<boolean>) | undefined
}

let deps: WalletCommandDeps = {}

/** Test hook: route the wallet's HTTP and clock (in-process issuer). Returns the previous deps. */
export function setWalletCommandDeps(d: WalletCommandDeps): WalletCommandDeps {
  const prev = deps
  deps = d
  return prev
}

function fail(io: CliIo, e: unknown): number {
  return reportError(io, explainOfferRefusal(e), { command: 'e2eid wallet', usage: USAGE, fallbackCode: 'ERR_WALLET_FAILED' })
}

/** Parses with the options of a help table (command-help.ts), so every parsed option has its help. */
function parse<O extends OptionTable>(args: string[], table: O) {
  try {
    return parseCliArgs({ args, options: parserOptions(table), allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
}

/** True when the offer points at an http:// loopback issuer (development), where http is allowed. */
export function offerIsLoopbackHttp(offerUri: string): boolean {
  let target: string | undefined
  try {
    const q = new URL(offerUri.replace(/^openid-credential-offer:\/\//, 'https://x/')).searchParams
    const byRef = q.get('credential_offer_uri')
    if (byRef !== null) target = byRef
    else {
      const v = q.get('credential_offer')
      if (v !== null) target = (JSON.parse(v) as { credential_issuer?: unknown }).credential_issuer as string | undefined
    }
    if (target === undefined) return false
    const u = new URL(target)
    return u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]')
  } catch {
    return false
  }
}

function splitPaths(v: unknown): string[] {
  if (typeof v !== 'string' || v === '') return []
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

function summary(c: StoredCredential): Record<string, unknown> {
  return {
    id: c.id,
    format: c.format,
    issuer: c.issuer,
    // The credential's own iss: a DID when the issuer signs as one (SD-JWT VC §3.5), else the same as issuer.
    ...(c.metadata.iss === undefined ? {} : { iss: c.metadata.iss }),
    credentialConfigurationId: c.credentialConfigurationId,
    ...(c.metadata.vct === undefined ? {} : { vct: c.metadata.vct }),
    receivedAt: new Date(c.receivedAt).toISOString(),
    ...(c.metadata.expiresAt === undefined ? {} : { expiresAt: new Date(c.metadata.expiresAt * 1000).toISOString() }),
  }
}

/** ` (iss did:…)` when the credential's iss is not the Credential Issuer it came from (a DID issuer). */
function issSuffix(c: StoredCredential): string {
  return c.metadata.iss === undefined || c.metadata.iss === c.issuer ? '' : `  (iss ${c.metadata.iss})`
}

async function withWallet<T>(use: (fw: FileWallet) => Promise<T>, save: boolean): Promise<T> {
  const provider = createNodeCryptoProvider()
  const fw = await openFileWallet({
    dir: defaultWalletDir(deps.env ?? process.env),
    handlers: defaultFormatHandlers({ provider }),
    provider,
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps.now === undefined ? {} : { now: deps.now }),
  })
  try {
    const out = await use(fw)
    if (save) await fw.save()
    return out
  } finally {
    await fw.close()
  }
}

const DEFAULT_CLIENT_ID = 'e2eid-cli'
const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8765/callback'
const LOGIN_TIMEOUT_MS = 5 * 60_000

/**
 * RFC 8252 §7.3 loopback redirect: prints the authorization URL, listens on the redirect URI's
 * loopback port, and resolves with the URL the browser was redirected to.
 */
function loopbackAuthorize(redirectUri: string, io: CliIo): (authorizationRequestUrl: string) => Promise<string> {
  const r = new URL(redirectUri)
  if (r.protocol !== 'http:' || !['127.0.0.1', '[::1]', 'localhost'].includes(r.hostname) || r.port === '') {
    throw new UsageError('--redirect-uri must be http://127.0.0.1:PORT/PATH (a loopback redirect)')
  }
  return (authorizationRequestUrl) =>
    new Promise<string>((resolve, reject) => {
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', `${r.protocol}//${r.host}`)
        if (url.pathname !== r.pathname) {
          res.writeHead(404).end()
          return
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>e2eid wallet</title><p>Done: you can close this window and return to the terminal.</p>')
        clearTimeout(timer)
        server.close()
        resolve(url.href)
      })
      const timer = setTimeout(() => {
        server.close()
        reject(new E2eidError('ERR_WALLET_AUTHORIZATION_FAILED', 'no authorization response within 5 minutes'))
      }, LOGIN_TIMEOUT_MS)
      server.on('error', (e) => {
        clearTimeout(timer)
        reject(new E2eidError('ERR_WALLET_AUTHORIZATION_FAILED', `cannot listen on ${r.host}: ${e.message}`))
      })
      server.listen(Number(r.port), r.hostname.replace(/^\[|\]$/g, ''), () => {
        io.stderr(`Log in to the issuer in your browser:\n\n  ${authorizationRequestUrl}\n\nWaiting for the redirect to ${redirectUri} ...`)
      })
    })
}

/** A y/N question on the terminal (stderr), or undefined when stdin/stderr is not a TTY. */
function terminalAsk(): ((question: string) => Promise<boolean>) | undefined {
  if (process.stdin.isTTY !== true || process.stderr.isTTY !== true) return undefined
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
    } finally {
      rl.close()
    }
  }
}

/** The issuers named by --trust-issuer and $E2EID_TRUSTED_ISSUERS (comma or space separated). */
function trustIssuerArgs(flag: unknown, env: Record<string, string | undefined>): string[] {
  const fromFlag = Array.isArray(flag) ? flag.filter((x): x is string => typeof x === 'string') : []
  const fromEnv = (env.E2EID_TRUSTED_ISSUERS ?? '').split(/[\s,]+/).filter((x) => x !== '')
  return [...fromFlag, ...fromEnv]
}

async function receive(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, WALLET_HELP.receive.options)
  const [offer, ...extra] = positionals
  if (offer === undefined || extra.length > 0) throw new UsageError('receive takes exactly one OFFER_URI')
  const keyAlg = values['key-alg'] ?? 'EdDSA'
  if (keyAlg !== 'EdDSA' && keyAlg !== 'ES256') throw new UsageError('--key-alg must be EdDSA or ES256')
  const batch = values.batch === undefined ? 1 : Number(values.batch)
  if (!Number.isInteger(batch) || batch < 1 || batch > 100) throw new UsageError('--batch must be an integer from 1 to 100')
  const env = deps.env ?? process.env
  const redirectUri = typeof values['redirect-uri'] === 'string' ? values['redirect-uri'] : DEFAULT_REDIRECT_URI
  const authorize = loopbackAuthorize(redirectUri, io)
  const trust = trustIssuerArgs(values['trust-issuer'], env)
  const ask = 'ask' in deps ? deps.ask : terminalAsk()
  const stored = await withWallet(
    async (fw) => {
      if (trust.length > 0) await fw.wallet.trustIssuer(...trust)
      return fw.wallet.receive(offer as string, {
        ...(typeof values['tx-code'] === 'string' ? { txCode: values['tx-code'] } : {}),
        keyAlg,
        batch,
        allowInsecureUrls: offerIsLoopbackHttp(offer as string) || env.E2EID_WALLET_ALLOW_HTTP === '1',
        // Used only when the offer needs the authorization code grant.
        authorization: { clientId: typeof values['client-id'] === 'string' ? values['client-id'] : DEFAULT_CLIENT_ID, redirectUri, authorize },
        // An unknown issuer is shown by its origin and must be confirmed before any secret.
        ...(ask === undefined
          ? {}
          : { confirmIssuer: ({ origin, issuer }) => ask(`The offer's issuer ${origin} (${issuer}) is not one this wallet trusts. Send it the offer's code${typeof values['tx-code'] === 'string' ? ' and your transaction code' : ''}?`) }),
      })
    },
    true,
  )
  if (values.json === true) {
    const rows = stored.map((c) => ({ id: c.id, format: c.format }))
    io.stdout(JSON.stringify(rows.length === 1 ? rows[0] : rows))
  } else {
    io.stdout(stored.map((c) => c.id).join('\n'))
  }
  return 0
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, WALLET_HELP.list.options)
  if (positionals.length > 0) throw new UsageError('list takes no arguments')
  const creds = await withWallet((fw) => fw.wallet.list(), false)
  if (values.json === true) io.stdout(JSON.stringify(creds.map(summary)))
  else if (creds.length === 0) io.stdout('(no credentials)')
  else io.stdout(creds.map((c) => `${c.id}  ${c.format}  ${c.metadata.vct ?? c.credentialConfigurationId}  ${c.issuer}${issSuffix(c)}`).join('\n'))
  return 0
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parse(argv, WALLET_HELP.show.options)
  const [id, ...extra] = positionals
  if (id === undefined || extra.length > 0) throw new UsageError('show takes exactly one ID')
  const out = await withWallet(async (fw) => {
    const c = await fw.wallet.get(id)
    const history = await fw.wallet.history(id)
    return {
      ...summary(c),
      claims: c.claims,
      disclosable: c.disclosablePaths.map((p) => p.join('.')),
      ...(c.statusListUri === undefined ? {} : { status: { uri: c.statusListUri, idx: c.statusIdx } }),
      keyId: c.keyId,
      presentations: history.length,
      raw: c.raw,
    }
  }, false)
  io.stdout(JSON.stringify(out, null, 2))
  return 0
}

async function present(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, WALLET_HELP.present.options)
  if (positionals.length > 0) throw new UsageError('present takes no positional arguments')
  const id = values.credential
  if (typeof id !== 'string' || id === '') throw new UsageError('--credential ID is required')
  const paths = splitPaths(values.disclose)
  if (values.preview === true) {
    const p = await withWallet((fw) => fw.wallet.preview(id, { paths }), false)
    io.stdout(JSON.stringify({ disclosed: p.disclosed.map((x) => x.join('.')), claims: p.claims }, null, 2))
    return 0
  }
  const aud = values.aud
  if (typeof aud !== 'string' || aud === '') throw new UsageError('--aud is required')
  const nonce = values.nonce
  if (nonce !== undefined && (typeof nonce !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(nonce))) throw new UsageError('--nonce must be hex')
  const allowRevoked = values['allow-revoked'] === true
  const p = await withWallet(async (fw) => {
    await assertNotRevoked(fw.wallet, id, allowRevoked, io.stderr)
    return fw.wallet.present(id, { paths, aud, ...(typeof nonce === 'string' ? { nonce } : {}) })
  }, true)
  if (values.json === true) io.stdout(JSON.stringify({ format: p.format, presentation: p.presentation, disclosed: p.disclosed.map((x) => x.join('.')), claims: p.claims }))
  else io.stdout(p.presentation)
  return 0
}

async function keyPackage(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, WALLET_HELP['key-package'].options)
  if (positionals.length > 0) throw new UsageError('key-package takes no positional arguments')
  const id = values.credential
  if (typeof id !== 'string' || id === '') throw new UsageError('--credential ID is required')
  const nonce = values.nonce
  if (nonce !== undefined && (typeof nonce !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(nonce))) throw new UsageError('--nonce must be hex')
  const allowRevoked = values['allow-revoked'] === true
  const kp = await withWallet(async (fw) => {
    await assertNotRevoked(fw.wallet, id, allowRevoked, io.stderr)
    return createCredentialKeyPackage(fw.wallet, id, {
      paths: splitPaths(values.disclose),
      ...(typeof values.service === 'string' ? { service: values.service } : {}),
      ...(typeof nonce === 'string' ? { nonce } : {}),
    })
  }, true)
  io.stdout(hexEncode(kp.encoded))
  return 0
}

async function status(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, WALLET_HELP.status.options)
  const [id, ...extra] = positionals
  if (id === undefined || extra.length > 0) throw new UsageError('status takes exactly one ID')
  const s = await withWallet((fw) => fw.wallet.status(id, true), false)
  // The issuer's words (INVALID is "revoked"), and exit 1 when the credential may not be used.
  const word = statusWord(s.status)
  if (values.json === true) io.stdout(JSON.stringify({ id, status: s.name, state: word, value: s.status, uri: s.uri, idx: s.idx }))
  else io.stdout(word)
  return s.status === 0 ? 0 : 1
}

async function respond(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, WALLET_HELP.respond.options)
  const [uri, ...extra] = positionals
  if (uri === undefined || extra.length > 0) throw new UsageError('respond takes exactly one OPENID4VP_URI')
  if (values.preview === true) {
    const plan = await withWallet((fw) => planOpenid4vpResponse(fw.wallet, uri), false)
    io.stdout(JSON.stringify({
      verifier: plan.request.client_id,
      credentials: plan.items.map((i) => ({ query: i.queryId, credential: i.credentialId, disclosed: i.preview.disclosed.map((p) => p.join('.')), claims: i.preview.claims })),
    }, null, 2))
    return 0
  }
  const allowRevoked = values['allow-revoked'] === true
  const r = await withWallet(async (fw) => {
    // The credentials the response would use (the same choice respondOpenid4vp makes) are checked first.
    const plan = await planOpenid4vpResponse(fw.wallet, uri)
    for (const item of plan.items) await assertNotRevoked(fw.wallet, item.credentialId, allowRevoked, io.stderr)
    return respondOpenid4vp(fw.wallet, uri, deps.fetch)
  }, true)
  if (values.json === true) io.stdout(JSON.stringify({ status: r.status, response: r.body, presentations: r.presentations.map((p) => ({ query: p.queryId, credential: p.credentialId, disclosed: p.disclosed.map((x) => x.join('.')) })) }))
  else io.stdout(`accepted: ${r.presentations.length} presentation(s) sent to ${r.request.response_uri} (HTTP ${r.status})`)
  return 0
}

const SUBCOMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  receive,
  list,
  show,
  present,
  status,
  respond,
  'key-package': keyPackage,
}

/** Entry point of `e2eid wallet`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io[sub === undefined ? 'stderr' : 'stdout'](USAGE)
    return sub === undefined ? 2 : 0
  }
  const cmd = SUBCOMMANDS[sub]
  if (cmd === undefined) {
    io.stderr(`e2eid wallet: unknown command '${sub}'\n\n${USAGE}`)
    return 2
  }
  if (asksForHelp(rest)) {
    io.stdout(Object.hasOwn(WALLET_HELP, sub) ? helpText(WALLET_HELP[sub as keyof typeof WALLET_HELP]) : USAGE)
    return 0
  }
  try {
    return await cmd(rest, io)
  } catch (e) {
    return fail(io, e)
  }
}
