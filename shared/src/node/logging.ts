/**
 * @module node/logging
 * Structured logs for the servers (issuer, verifier service): pino JSON lines (one per request, one per
 * security-relevant event), or a readable one-line form on a terminal. Secrets never reach a log line: requests
 * are logged by route pattern (never the raw URL with its query), headers are never logged, the usual secret
 * field names are censored by pino's redaction, and URLs pass through {@link redactUrl}.
 */
import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import type { Logger, LevelWithSilent } from 'pino'
import { isE2eidError } from '../errors.js'

export type { Logger } from 'pino'

/** The levels `--log-level` / `E2EID_LOG_LEVEL` accept. */
export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** True when `s` is one of {@link LOG_LEVELS}. */
export function isLogLevel(s: string): s is LevelWithSilent {
  return (LOG_LEVELS as readonly string[]).includes(s)
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Minimum level (default info). */
  level?: LevelWithSilent
  /** Readable one-line form instead of JSON lines (default: when stdout is a terminal). */
  pretty?: boolean
  /** Where lines go (default stdout). Tests pass a capture. */
  destination?: { write(line: string): void }
  /** Bound to every line, e.g. `{ service: 'issuer' }`. */
  base?: Record<string, unknown>
}

/**
 * Field names whose values are secrets, censored wherever they appear at the top level or one level down
 * (defence in depth: the code never passes them to the logger).
 */
const SECRET_KEYS = [
  'authorization', 'password', 'token', 'access_token', 'refresh_token', 'admin_token', 'tx_code', 'pre-authorized_code',
  'pre_authorized_code', 'dpop', 'proof', 'proofs', 'credential', 'credentials', 'vp_token', 'response_code', 'result_token',
  'client_secret', 'cookie', 'code', 'headers',
]

/** A pino logger (JSON lines, or a readable line per record when `pretty`). */
export function createLogger(o: CreateLoggerOptions = {}): Logger {
  const pretty = o.pretty ?? process.stdout.isTTY === true
  const out = o.destination ?? { write: (s: string) => void process.stdout.write(s) }
  const destination = pretty ? { write: (line: string) => out.write(prettyLine(line)) } : out
  return pino(
    {
      level: o.level ?? 'info',
      base: o.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_KEYS.flatMap((k) => (/^\w+$/.test(k) ? [k, `*.${k}`] : [`["${k}"]`, `*["${k}"]`])), censor: '[redacted]' },
    },
    destination,
  )
}

/** A logger that writes nothing (the default of the apps when none is given). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}

/** `12:00:01 INFO  request POST /token 200 3ms request_id=… error_code=…`: one JSON record as one readable line. */
export function prettyLine(json: string): string {
  let r: Record<string, unknown>
  try {
    r = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json
  }
  const { time, level, msg, ...rest } = r
  const t = typeof time === 'string' ? time.slice(11, 19) : ''
  const extra = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
  return `${t} ${String(level ?? '').toUpperCase().padEnd(5)} ${String(msg ?? '')}${extra === '' ? '' : ' ' + extra}\n`
}

/** Query parameters whose values are secrets (OAuth codes, tokens, passwords). */
const SECRET_QUERY = /^(code|pre-authorized_code|tx_code|response_code|token|access_token|refresh_token|id_token|password|secret|client_secret|key|api_key|state|request_uri)$/i

/**
 * A URL safe to log: the password of its userinfo (`postgres://user:***@host/db`) and the values of secret query
 * parameters become `***`. Text that is not a URL is returned with any `//user:password@` masked.
 */
export function redactUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return url.replace(/(\/\/[^/:@\s]*):[^@/\s]*@/g, '$1:***@')
  }
  const secretQuery = [...u.searchParams.keys()].filter((k) => SECRET_QUERY.test(k))
  // Nothing to hide: the input as it was (URL would normalize it, e.g. add a trailing slash).
  if (u.password === '' && secretQuery.length === 0) return url
  if (u.password !== '') u.password = '***'
  for (const k of secretQuery) u.searchParams.set(k, '***')
  return u.href.replace(/%2A%2A%2A/g, '***')
}

/** Every URL in `text` passed through {@link redactUrl}. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (m) => redactUrl(m))
}

/** The minimal Hono `Context` the middleware reads (structural, so that @e2eid/shared does not depend on hono). */
export interface LoggableContext {
  req: { method: string; routePath: string; header(name: string): string | undefined }
  res: Response
  error: unknown
  header(name: string, value: string): void
}

// Keyed by the Hono context (one per request, passed to every middleware and handler); not by c.req.raw, which
// body-limit middleware replaces.
const requestLoggers = new WeakMap<object, Logger>()
const fallback = silentLogger()

/** The logger of the request being served (bound to its request id); a silent one outside the middleware. */
export function requestLog(c: object): Logger {
  return requestLoggers.get(c) ?? fallback
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The stable error code of an error response: the thrown E2eidError's, else the JSON body's `code`, else its ERR_ prefix or `error`. */
async function errorCode(c: LoggableContext): Promise<string | undefined> {
  if (isE2eidError(c.error)) return c.error.code
  if (c.error !== undefined && c.error !== null) return 'ERR_INTERNAL'
  if (!(c.res.headers.get('content-type') ?? '').includes('json')) return undefined
  try {
    const b = (await c.res.clone().json()) as { code?: unknown; error?: unknown; error_description?: unknown }
    if (typeof b.code === 'string') return b.code
    const m = typeof b.error_description === 'string' ? /^(ERR_[A-Z0-9_]+)/.exec(b.error_description) : null
    if (m !== null) return m[1]
    return typeof b.error === 'string' ? b.error : undefined
  } catch {
    return undefined
  }
}

/**
 * Hono middleware: one line per request (request id, method, route pattern, status, duration, error code). The
 * request id is the caller's `X-Request-Id` when it is a plain token, else a fresh UUID; it is returned in
 * `X-Request-Id` and bound to {@link requestLog}, so that events logged while serving carry it.
 */
export function requestLogging(logger: Logger): (c: LoggableContext, next: () => Promise<void>) => Promise<void> {
  return async (c, next) => {
    const start = performance.now()
    const given = c.req.header('x-request-id')
    const id = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID()
    const log = logger.child({ request_id: id })
    requestLoggers.set(c, log)
    c.header('X-Request-Id', id)
    await next()
    try {
      if (!c.res.headers.has('x-request-id')) c.res.headers.set('X-Request-Id', id)
    } catch {
      // immutable headers (a proxied Response): the id is still in the log line
    }
    const status = c.res.status
    const code = status >= 400 ? await errorCode(c) : undefined
    const line = {
      method: c.req.method,
      route: c.req.routePath,
      status,
      duration_ms: Math.round((performance.now() - start) * 10) / 10,
      ...(code === undefined ? {} : { error_code: code }),
    }
    if (status >= 500) log.error(line, 'request')
    else if (status >= 400) log.warn(line, 'request')
    else log.info(line, 'request')
  }
}
