/**
 * @module commands/issuer
 * `e2eid issuer serve|user add|offer|credentials|revoke|suspend|reinstate|keys`: runs the identity
 * authority and administers a running one over its admin API (bearer admin token).
 */
import { readFileSync } from 'node:fs'
import { parseCliArgs } from '../parse-args.js'
import type { ParseArgsConfig } from 'node:util'
import { E2eidError } from '@e2eid/shared'
import { adminTokenPath, defaultStateDir, renderTerminalQr, startIssuerServer } from '@e2eid/issuer'
import { redactUrl } from '@e2eid/shared/node'
import type { CliIo } from '../io.js'
import { UsageError, causeCode, fetchError, fileError, reportError } from '../errors.js'
import { logLevelOption, serverLogger } from '../logging.js'
import { untilStopped } from '../until-stopped.js'

const USAGE = `usage: e2eid issuer <command> [options]

commands:
  serve [--port N] [--host H] [--db sqlite:PATH | postgres://...] [--config FILE] [--issuer-url URL] [--state-dir DIR]
        [--log-level fatal|error|warn|info|debug|trace|silent]
        runs the issuer (default: port 8080, SQLite file <state-dir>/issuer.sqlite,
        state dir $E2EID_HOME/issuer or ~/.e2eid/issuer, admin token in <state-dir>/admin-token;
        logs: JSON lines on stdout, one readable line each on a terminal; level also from $E2EID_LOG_LEVEL, default info)
  user add --id ID --claims FILE [--password-file FILE]
  offer --user ID --config CONFIG_ID [--tx-code] [--by-value] [--flow pre-authorized_code|authorization_code]
  credentials --user ID
  revoke|suspend|reinstate --credential ID
  keys list | keys add [--alg ES256|EdDSA|ES384] | keys retire --kid KID

admin options (all but serve): --url URL (default http://127.0.0.1:8080), --admin-token TOKEN
  (else $E2EID_ADMIN_TOKEN, else the file serve wrote: <state-dir>/admin-token), --state-dir DIR, --json
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

const ADMIN_OPTIONS = {
  url: { type: 'string' },
  'admin-token': { type: 'string' },
  'state-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseCliArgs({ args, options, allowPositionals: true, strict: true })
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

async function call(t: AdminTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const f = deps.fetch ?? fetch
  let res: Response
  try {
    res = await f(`${t.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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
    const code = typeof b.code === 'string' ? b.code : `ERR_ISSUER_HTTP_${res.status}`
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
  const { values } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    config: { type: 'string' },
    'issuer-url': { type: 'string' },
    'state-dir': { type: 'string' },
    ...logLevelOption,
  })
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
    ...(values['issuer-url'] === undefined ? {} : { issuerUrl: values['issuer-url'] }),
    stateDir: values['state-dir'] ?? stateDirFromEnv(),
    ...(given === undefined || given === '' ? {} : { adminToken: given }),
  })
  io.stdout(serveStartupText(running))
  await (deps.stopSignal?.(running) ?? untilStopped())
  await running.close()
  return 0
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
    case 'user': {
      const [sub, ...rest] = args
      if (sub !== 'add') throw new UsageError("usage: e2eid issuer user add --id ID --claims FILE")
      const { values } = parse(rest, { ...ADMIN_OPTIONS, id: { type: 'string' }, claims: { type: 'string' }, 'password-file': { type: 'string' } })
      const id = required(values.id, '--id')
      const claimsFile = required(values.claims, '--claims')
      let claims: unknown
      try {
        claims = JSON.parse(readFileSync(claimsFile, 'utf8'))
      } catch (e) {
        if (causeCode(e) !== undefined) throw fileError(e, claimsFile, '--claims', 'claims file')
        throw new E2eidError('ERR_ISSUER_CLAIMS_FILE', `cannot read claims JSON from ${claimsFile}: ${e instanceof Error ? e.message : String(e)}`)
      }
      const body: Record<string, unknown> = { id, claims }
      const passwordFile = values['password-file']
      if (passwordFile !== undefined) {
        try {
          body.password = readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '')
        } catch (e) {
          throw fileError(e, passwordFile, '--password-file', 'password file')
        }
      }
      const r = (await call(adminTarget(values), 'POST', '/admin/users', body)) as { id: string }
      out(io, values.json, { id: r.id }, `user ${r.id} added`)
      return 0
    }
    case 'offer': {
      const { values } = parse(args, {
        ...ADMIN_OPTIONS,
        user: { type: 'string' },
        config: { type: 'string' },
        'tx-code': { type: 'boolean' },
        'by-value': { type: 'boolean' },
        flow: { type: 'string' },
      })
      const flow = values.flow ?? 'pre-authorized_code'
      if (flow !== 'pre-authorized_code' && flow !== 'authorization_code') throw new UsageError('--flow is pre-authorized_code or authorization_code')
      const r = (await call(adminTarget(values), 'POST', '/admin/offers', {
        user_id: required(values.user, '--user'),
        credential_configuration_id: required(values.config, '--config'),
        tx_code: values['tx-code'] === true,
        flow,
      })) as { offer_uri: string; offer_uri_by_value: string; tx_code: string | null; credential_configuration_id: string }
      const uri = values['by-value'] === true ? r.offer_uri_by_value : r.offer_uri
      if (values.json === true) {
        io.stdout(JSON.stringify({ offer_uri: uri, tx_code: r.tx_code, credential_configuration_id: r.credential_configuration_id }))
      } else {
        const lines = [await renderTerminalQr(uri), uri]
        if (r.tx_code !== null) lines.push(`tx_code (send it on another channel): ${r.tx_code}`)
        io.stdout(lines.join('\n'))
      }
      return 0
    }
    case 'credentials': {
      const { values } = parse(args, { ...ADMIN_OPTIONS, user: { type: 'string' } })
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
      const { values } = parse(args, { ...ADMIN_OPTIONS, credential: { type: 'string' } })
      const id = required(values.credential, '--credential')
      const status = cmd === 'revoke' ? 'revoked' : cmd === 'suspend' ? 'suspended' : 'valid'
      const r = (await call(adminTarget(values), 'POST', `/admin/credentials/${encodeURIComponent(id)}/status`, { status })) as CredentialRow
      out(io, values.json, { id: r.id, status: r.status, status_list: r.status_list }, `credential ${r.id} is now ${r.status}`)
      return 0
    }
    case 'keys': {
      const [sub, ...rest] = args
      const { values } = parse(rest, { ...ADMIN_OPTIONS, alg: { type: 'string' }, kid: { type: 'string' } })
      const t = adminTarget(values)
      if (sub === 'list') {
        const keys = (await call(t, 'GET', '/admin/keys')) as Array<{ kid: string; alg: string; retired_at: number | null }>
        out(io, values.json, keys, keys.map((k) => `${k.kid}  ${k.alg}  ${k.retired_at === null ? 'active' : 'retired'}`).join('\n'))
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
      throw new UsageError('usage: e2eid issuer keys list|add|retire')
    }
    default:
      throw new UsageError(`unknown issuer command '${cmd}'`)
  }
}

/** Runs `e2eid issuer ...`; returns the exit code (0 ok, 1 invalid input, 2 usage). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...args] = argv
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help' || args.includes('--help') || args.includes('-h')) {
    // Asked for: stdout, exit 0; no command at all is a usage error: stderr, exit 2.
    io[cmd === undefined ? 'stderr' : 'stdout'](USAGE)
    return cmd === undefined ? 2 : 0
  }
  try {
    return cmd === 'serve' ? await serveCommand(args, io) : await admin(cmd, args, io)
  } catch (e) {
    return reportError(io, e, { command: 'e2eid issuer', usage: USAGE, fallbackCode: 'ERR_ISSUER_FAILED' })
  }
}
