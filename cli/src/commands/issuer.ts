/**
 * @module commands/issuer
 * `e2eid issuer serve|user add|list|show|update|remove|configs|offer|credentials|revoke|suspend|reinstate|keys`: runs the identity
 * authority and administers a running one over its admin API (bearer admin token).
 */
import { readFileSync } from 'node:fs'
import { parseCliArgs } from '../parse-args.js'
import { E2eidError } from '@e2eid/shared'
import type { ErrorCode } from '@e2eid/shared'
import { adminTokenPath, defaultStateDir, renderTerminalQr, startIssuerServer } from '@e2eid/issuer'
import { redactUrl } from '@e2eid/shared/node'
import type { CliIo } from '../io.js'
import { UsageError, causeCode, fetchError, fileError, reportError } from '../errors.js'
import { serverLogger } from '../logging.js'
import { asksForHelp, helpText, mergeOptions, parserOptions } from '../command-help.js'
import type { OptionTable } from '../command-help.js'
import { ISSUER_HELP } from './issuer-help.js'
import { untilStopped } from '../until-stopped.js'

const USAGE = `usage: e2eid issuer <command> [options]

commands:
  serve [--port N] [--host H] [--db sqlite:PATH | postgres://...] [--config FILE] [--issuer-url URL] [--state-dir DIR]
        [--log-level fatal|error|warn|info|debug|trace|silent]
        runs the issuer (default: port 8080, SQLite file <state-dir>/issuer.sqlite,
        state dir $E2EID_HOME/issuer or ~/.e2eid/issuer, admin token in <state-dir>/admin-token;
        the public issuer identifier is --issuer-url, else $E2EID_ISSUER_URL, else the config's issuer_url;
        logs: JSON lines on stdout, one readable line each on a terminal; level also from $E2EID_LOG_LEVEL, default info)
  user add --id ID --claims FILE [--password-file FILE]
  user list
  user show --id ID
  user update --id ID [--claims FILE] [--password-file FILE]
        replaces the claims and/or the password (credentials already issued keep theirs)
  user remove --id ID [--revoke]
        refused while one of the user's credentials is neither revoked nor expired; --revoke revokes
        them first (final). Removed credentials stay revoked in their status lists.
  configs
        the credential configuration ids the issuer offers, with format and vct (public metadata)
  offer --user ID --config CONFIG_ID [--no-tx-code] [--by-value] [--flow pre-authorized_code|authorization_code]
        prints the offer URI (and a QR code when stdout is a terminal); a tx_code is required by default in the
        pre-authorized code flow (--no-tx-code opts out, with a warning)
  credentials --user ID
  revoke|suspend|reinstate --credential ID
  keys list | keys add [--alg ES256|EdDSA|ES384] | keys retire --kid KID
  keys compromise --kid KID [--since UNIX|ISO-8601]
        withdraws a compromised key: it stops signing and is no longer published; verifiers that pin keys list
        it under withdrawn with this time (default: the key's creation, i.e. everything it signed)

admin options (all but serve): --url URL (default http://127.0.0.1:8080), --admin-token TOKEN
  (else $E2EID_ADMIN_TOKEN, else the file serve wrote: <state-dir>/admin-token), --state-dir DIR, --json

Run 'e2eid issuer <command> --help' (e.g. 'e2eid issuer user add --help') for a command's options.
`

/** Test hook: the fetch used by admin commands and a signal to stop `serve`. */
export interface IssuerCommandDeps {
  fetch?: typeof fetch
  env?: Record<string, string | undefined>
  /** Resolves when `serve` should stop (default: SIGINT or SIGTERM). */
  stopSignal?: (running: { url: string }) => Promise<void>
}
let deps: IssuerCommandDeps = {}

/** Replaces the command's dependencies (tests); returns the previous ones. */
export function setIssuerCommandDeps(d: IssuerCommandDeps): IssuerCommandDeps {
  const prev = deps
  deps = d
  return prev
}

/** `user add|list|show|update|remove` share one parser: the union of their options, as before. */
const USER_OPTIONS = mergeOptions<(typeof ISSUER_HELP)['user update']['options'] & (typeof ISSUER_HELP)['user remove']['options']>(
  ...(['user add', 'user list', 'user show', 'user update', 'user remove'] as const).map((k) => ISSUER_HELP[k].options),
)
/** `keys list|add|retire|compromise` share one parser too. */
const KEYS_OPTIONS = mergeOptions<(typeof ISSUER_HELP)['keys add']['options'] & (typeof ISSUER_HELP)['keys compromise']['options']>(
  ...(['keys list', 'keys add', 'keys retire', 'keys compromise'] as const).map((k) => ISSUER_HELP[k].options),
)

/** Parses with the options of a help table (command-help.ts), so every parsed option has its help. */
function parse<O extends OptionTable>(args: string[], table: O) {
  try {
    return parseCliArgs({ args, options: parserOptions(table), allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
}

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new UsageError(`${flag} is required`)
  return v
}

function env(): Record<string, string | undefined> {
  return deps.env ?? process.env
}

interface AdminTarget {
  url: string
  token: string
}

function adminTarget(values: { url?: string; 'admin-token'?: string; 'state-dir'?: string }): AdminTarget {
  const url = (values.url ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
  let token = values['admin-token'] ?? env().E2EID_ADMIN_TOKEN
  if (token === undefined || token === '') {
    const file = adminTokenPath(values['state-dir'] ?? stateDirFromEnv())
    try {
      token = readFileSync(file, 'utf8').trim()
    } catch {
      throw new E2eidError('ERR_ISSUER_ADMIN_TOKEN_MISSING', `no admin token: pass --admin-token, set E2EID_ADMIN_TOKEN, or run 'e2eid issuer serve' (writes ${file})`, {
        hint: `pass --admin-token TOKEN, set E2EID_ADMIN_TOKEN, or point --state-dir at the folder of the issuer's admin-token file`,
      })
    }
  }
  return { url, token }
}

function stateDirFromEnv(): string {
  const home = env().E2EID_HOME
  return home !== undefined && home !== '' ? `${home}/issuer` : defaultStateDir()
}

async function call(t: AdminTarget, method: string, path: string, body?: unknown, withToken = true): Promise<unknown> {
  const f = deps.fetch ?? fetch
  let res: Response
  try {
    res = await f(`${t.url}${path}`, {
      method,
      headers: { ...(withToken ? { authorization: `Bearer ${t.token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch (e) {
    const err = fetchError(e, `${t.url}${path}`, "the issuer's admin API", 'ERR_ISSUER_UNREACHABLE')
    const refused = causeCode(e) === 'ECONNREFUSED'
    throw new E2eidError(err.code, err.message, { cause: e, hint: refused ? `nothing listens at ${t.url}: is 'e2eid issuer serve' running there? else pass --url` : `${err.hint ?? 'check the URL'} (--url)` })
  }
  const text = await res.text()
  let json: unknown
  try {
    json = text === '' ? null : JSON.parse(text)
  } catch {
    json = null
  }
  if (!res.ok) {
    const b = (json ?? {}) as { code?: unknown; error?: unknown; error_description?: unknown }
    // The issuer's own code, relayed as it sent it; without one, the HTTP status (CLI_ERROR_PATTERNS).
    const code: ErrorCode = typeof b.code === 'string' ? (b.code as ErrorCode) : `ERR_ISSUER_HTTP_${res.status}`
    const message = typeof b.error_description === 'string' ? b.error_description : typeof b.error === 'string' ? b.error : `HTTP ${res.status}`
    const hint = ADMIN_HINTS[code]
    throw new E2eidError(code, message, { status: res.status, ...(hint === undefined ? {} : { hint }) })
  }
  return json
}

/** What to do about the admin API's refusals. */
const ADMIN_HINTS: Record<string, string> = {
  ERR_ISSUER_ADMIN_TOKEN_MISSING: 'pass --admin-token TOKEN or set E2EID_ADMIN_TOKEN',
  ERR_ISSUER_ADMIN_TOKEN_INVALID:
    "the admin token does not match this issuer's: use the one 'e2eid issuer serve' wrote to <state-dir>/admin-token (--state-dir), or the E2EID_ADMIN_TOKEN it was started with",
  ERR_ISSUER_UNKNOWN_CREDENTIAL_CONFIGURATION: '--config takes one of the credential configuration ids the message lists',
  ERR_ISSUER_USER_NOT_FOUND: "add the user first: e2eid issuer user add --id ID --claims FILE",
}

function out(io: CliIo, jsonMode: boolean | undefined, value: unknown, text: string): void {
  io.stdout(jsonMode === true ? JSON.stringify(value) : text)
}

/** What `issuer serve` prints once it listens; the database URL's password is redacted. */
export function serveStartupText(running: { url: string; issuerUrl: string; db: string; adminTokenFile: string | null }): string {
  return [
    `e2eid issuer listening on ${running.url}`,
    `issuer identifier: ${running.issuerUrl}`,
    `database: ${redactUrl(running.db)}`,
    `admin token: ${running.adminTokenFile ?? 'from E2EID_ADMIN_TOKEN'}`,
    `metadata: ${running.issuerUrl}/.well-known/openid-credential-issuer`,
  ].join('\n')
}

async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, ISSUER_HELP.serve.options)
  const port = values.port === undefined ? 8080 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535')
  const logger = serverLogger(values['log-level'], { E2EID_LOG_LEVEL: process.env.E2EID_LOG_LEVEL, ...env() }, 'issuer')
  const given = env().E2EID_ADMIN_TOKEN
  const running = await startIssuerServer({
    logger,
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.db === undefined ? {} : { db: values.db }),
    ...(values.config === undefined ? {} : { configFile: values.config }),
    // The public identifier: --issuer-url, else E2EID_ISSUER_URL (containers), else the config file's issuer_url.
    ...(values['issuer-url'] !== undefined
      ? { issuerUrl: values['issuer-url'] }
      : env().E2EID_ISSUER_URL !== undefined && env().E2EID_ISSUER_URL !== ''
        ? { issuerUrl: env().E2EID_ISSUER_URL as string }
        : {}),
    stateDir: values['state-dir'] ?? stateDirFromEnv(),
    ...(given === undefined || given === '' ? {} : { adminToken: given }),
  })
  io.stdout(serveStartupText(running))
  await (deps.stopSignal?.(running) ?? untilStopped())
  await running.close()
  return 0
}

function readClaims(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    // A missing or unreadable file names the file and its flag; a file that is not JSON keeps its own code.
    if (causeCode(e) !== undefined) throw fileError(e, file, '--claims', 'claims file')
    throw new E2eidError('ERR_ISSUER_CLAIMS_FILE', `cannot read claims JSON from ${file}: ${e instanceof Error ? e.message : String(e)}`)
  }
}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
  } catch (e) {
    throw fileError(e, file, '--password-file', 'password file')
  }
}

interface UserRow {
  id: string
  claims: Record<string, unknown>
  can_log_in: boolean
  created_at: number
}

const USER_USAGE = 'usage: e2eid issuer user add|list|show|update|remove (see e2eid issuer --help)'

/** `e2eid issuer user add|list|show|update|remove`. */
async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  const { values } = parse(rest, USER_OPTIONS)
  const userPath = () => `/admin/users/${encodeURIComponent(required(values.id, '--id'))}`
  switch (sub) {
    case 'add': {
      const id = required(values.id, '--id')
      const body: Record<string, unknown> = { id, claims: readClaims(required(values.claims, '--claims')) }
      if (values['password-file'] !== undefined) body.password = readPassword(values['password-file'])
      const r = (await call(adminTarget(values), 'POST', '/admin/users', body)) as { id: string }
      out(io, values.json, { id: r.id }, `user ${r.id} added`)
      return 0
    }
    case 'list': {
      const t = adminTarget(values)
      const users: UserRow[] = []
      // Follows the pages (GET /admin/users?after=...) to the end.
      for (let after: string | null = null, first = true; first || after !== null; first = false) {
        const page = (await call(t, 'GET', `/admin/users?limit=1000${after === null ? '' : `&after=${encodeURIComponent(after)}`}`)) as { users: UserRow[]; next: string | null }
        users.push(...page.users)
        after = page.next
      }
      out(io, values.json, users, users.length === 0 ? 'no users' : users.map((u) => `${u.id}  ${u.can_log_in ? 'can log in' : 'no login'}  ${JSON.stringify(u.claims)}`).join('\n'))
      return 0
    }
    case 'show': {
      const u = (await call(adminTarget(values), 'GET', userPath())) as UserRow
      out(io, values.json, u, [`id: ${u.id}`, `login: ${u.can_log_in ? 'yes' : 'no'}`, `created: ${new Date(u.created_at * 1000).toISOString()}`, `claims: ${JSON.stringify(u.claims, null, 2)}`].join('\n'))
      return 0
    }
    case 'update': {
      const path = userPath()
      const body: Record<string, unknown> = {}
      if (values.claims !== undefined) body.claims = readClaims(values.claims)
      if (values['password-file'] !== undefined) body.password = readPassword(values['password-file'])
      if (Object.keys(body).length === 0) throw new UsageError('user update needs --claims FILE and/or --password-file FILE')
      const u = (await call(adminTarget(values), 'PATCH', path, body)) as UserRow
      out(io, values.json, u, `user ${u.id} updated`)
      return 0
    }
    case 'remove': {
      const path = `${userPath()}${values.revoke === true ? '?revoke=true' : ''}`
      const r = (await call(adminTarget(values), 'DELETE', path)) as { id: string; revoked: string[]; credentials: number }
      const revoked = r.revoked.length === 0 ? '' : `; revoked ${r.revoked.join(', ')}`
      out(io, values.json, r, `user ${r.id} removed (${r.credentials} credential record(s) removed, their status list entries kept${revoked})`)
      return 0
    }
    default:
      throw new UsageError(USER_USAGE)
  }
}

interface CredentialRow {
  id: string
  format: string
  credential_configuration_id: string
  status: string
  status_list: { uri: string; idx: number }
}

async function admin(cmd: string, args: string[], io: CliIo): Promise<number> {
  switch (cmd) {
    case 'user':
      return userCommand(args, io)
    case 'configs': {
      const { values } = parse(args, ISSUER_HELP.configs.options)
      const url = (values.url ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
      const md = (await call({ url, token: '' }, 'GET', '/.well-known/openid-credential-issuer', undefined, false)) as {
        credential_configurations_supported?: Record<string, { format?: unknown; vct?: unknown }>
      } | null
      const rows = Object.entries(md?.credential_configurations_supported ?? {}).map(([id, c]) => ({
        id,
        format: typeof c.format === 'string' ? c.format : null,
        vct: typeof c.vct === 'string' ? c.vct : null,
      }))
      out(io, values.json, rows, rows.length === 0 ? 'no credential configurations' : rows.map((r) => `${r.id}  ${r.format ?? '-'}  ${r.vct ?? '-'}`).join('\n'))
      return 0
    }
    case 'offer': {
      const { values } = parse(args, ISSUER_HELP.offer.options)
      const flow = values.flow ?? 'pre-authorized_code'
      if (flow !== 'pre-authorized_code' && flow !== 'authorization_code') throw new UsageError('--flow is pre-authorized_code or authorization_code')
      if (values['tx-code'] === true && values['no-tx-code'] === true) throw new UsageError('--tx-code and --no-tx-code exclude each other')
      // Without a tx_code the offer itself is a bearer secret; the default requires one.
      const txCode = flow === 'pre-authorized_code' && values['no-tx-code'] !== true
      if (flow === 'pre-authorized_code' && !txCode) {
        io.stderr('warning: --no-tx-code: whoever sees this offer (QR code, link) can redeem it; send it only on a channel only the user sees')
      }
      const r = (await call(adminTarget(values), 'POST', '/admin/offers', {
        user_id: required(values.user, '--user'),
        credential_configuration_id: required(values.config, '--config'),
        tx_code: txCode,
        flow,
      })) as { offer_uri: string; offer_uri_by_value: string; tx_code: string | null; credential_configuration_id: string }
      const uri = values['by-value'] === true ? r.offer_uri_by_value : r.offer_uri
      if (values.json === true) {
        io.stdout(JSON.stringify({ offer_uri: uri, tx_code: r.tx_code, credential_configuration_id: r.credential_configuration_id }))
      } else {
        // The QR code only for a terminal: piped or redirected output stays one URI per line.
        const lines = io.isTTY === true ? [await renderTerminalQr(uri), uri] : [uri]
        if (r.tx_code !== null) lines.push(`tx_code (send it on another channel): ${r.tx_code}`)
        io.stdout(lines.join('\n'))
      }
      return 0
    }
    case 'credentials': {
      const { values } = parse(args, ISSUER_HELP.credentials.options)
      const user = required(values.user, '--user')
      const rows = (await call(adminTarget(values), 'GET', `/admin/users/${encodeURIComponent(user)}/credentials`)) as CredentialRow[]
      const list = rows.map((c) => ({
        id: c.id,
        format: c.format,
        credential_configuration_id: c.credential_configuration_id,
        status: c.status,
        status_list: { uri: c.status_list.uri, idx: c.status_list.idx },
      }))
      const text = list.length === 0 ? `no credentials for ${user}` : list.map((c) => `${c.id}  ${c.format}  ${c.credential_configuration_id}  ${c.status}  ${c.status_list.uri}#${c.status_list.idx}`).join('\n')
      out(io, values.json, list, text)
      return 0
    }
    case 'revoke':
    case 'suspend':
    case 'reinstate': {
      const { values } = parse(args, ISSUER_HELP[cmd].options)
      const id = required(values.credential, '--credential')
      const status = cmd === 'revoke' ? 'revoked' : cmd === 'suspend' ? 'suspended' : 'valid'
      const r = (await call(adminTarget(values), 'POST', `/admin/credentials/${encodeURIComponent(id)}/status`, { status })) as CredentialRow
      out(io, values.json, { id: r.id, status: r.status, status_list: r.status_list }, `credential ${r.id} is now ${r.status}`)
      return 0
    }
    case 'keys': {
      const [sub, ...rest] = args
      const { values } = parse(rest, KEYS_OPTIONS)
      const t = adminTarget(values)
      if (sub === 'list') {
        const keys = (await call(t, 'GET', '/admin/keys')) as Array<{ kid: string; alg: string; retired_at: number | null; compromised_since?: number | null }>
        const state = (k: (typeof keys)[number]): string =>
          k.compromised_since != null ? `compromised since ${k.compromised_since}` : k.retired_at === null ? 'active' : 'retired'
        out(io, values.json, keys, keys.map((k) => `${k.kid}  ${k.alg}  ${state(k)}`).join('\n'))
        return 0
      }
      if (sub === 'add') {
        const k = (await call(t, 'POST', '/admin/keys', { alg: values.alg ?? 'ES256' })) as { kid: string; alg: string }
        out(io, values.json, k, `added key ${k.kid} (${k.alg}); it signs from now on`)
        return 0
      }
      if (sub === 'retire') {
        const kid = required(values.kid, '--kid')
        const r = await call(t, 'POST', `/admin/keys/${encodeURIComponent(kid)}/retire`)
        out(io, values.json, r, `retired key ${kid} (still published for verification)`)
        return 0
      }
      if (sub === 'compromise') {
        const kid = required(values.kid, '--kid')
        let since: number | string | undefined
        if (values.since !== undefined) {
          if (/^\d+$/.test(values.since)) since = Number(values.since)
          else if (!Number.isNaN(Date.parse(values.since))) since = new Date(values.since).toISOString()
          else throw new UsageError('--since is a UNIX time in seconds or an ISO 8601 date-time')
        }
        const r = (await call(t, 'POST', `/admin/keys/${encodeURIComponent(kid)}/compromise`, since === undefined ? {} : { since })) as {
          kid: string
          compromised_since: number
          active_kid: string
        }
        out(io, values.json, r, `withdrew key ${r.kid}: no longer published; distrusted from ${r.compromised_since}; now signing with ${r.active_kid}`)
        return 0
      }
      throw new UsageError('usage: e2eid issuer keys list|add|retire|compromise')
    }
    default:
      throw new UsageError(`unknown issuer command '${cmd}'`)
  }
}

/** Runs `e2eid issuer ...`; returns the exit code (0 ok, 1 invalid input, 2 usage). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...args] = argv
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help' || asksForHelp(args)) {
    // Asked for: stdout, exit 0; no command at all is a usage error: stderr, exit 2. A known subcommand
    // (`issuer offer --help`, `issuer user add -h`) prints its own help, else the group's.
    const sub = cmd === 'user' || cmd === 'keys' ? `${cmd} ${args[0] ?? ''}` : cmd
    const own = sub !== undefined && Object.hasOwn(ISSUER_HELP, sub) ? ISSUER_HELP[sub as keyof typeof ISSUER_HELP] : undefined
    io[cmd === undefined ? 'stderr' : 'stdout'](own === undefined ? USAGE : helpText(own))
    return cmd === undefined ? 2 : 0
  }
  try {
    return cmd === 'serve' ? await serveCommand(args, io) : await admin(cmd, args, io)
  } catch (e) {
    return reportError(io, e, { command: 'e2eid issuer', usage: USAGE, fallbackCode: 'ERR_ISSUER_FAILED' })
  }
}
