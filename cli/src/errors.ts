/**
 * @module errors
 * One error style for every command. A failure is exit 1 and one JSON object on stdout,
 * `{"error":{"code","message","hint"?}}` (the contract `verify`, `sd-cwt verify` and `status-list decode` always
 * had); a usage error is exit 2, the message and the usage on stderr. Raw Node errors (a port in use, a missing
 * file, a refused connection) become specific codes that say what was being done, with a hint; URLs in messages
 * are redacted.
 */
import { E2eidError, isE2eidError } from '@e2eid/shared'
import type { ErrorCode } from '@e2eid/shared'
import { redactUrlsIn } from '@e2eid/shared/node'
import type { CliIo } from './io.js'

/** A wrong command line: exit 2, message and usage on stderr. */
export class UsageError extends Error {}

/** Options of {@link reportError}. */
export interface ReportErrorOptions {
  /** `e2eid issuer`, `e2eid verify`, … (prefixes usage errors). */
  command: string
  /** Printed after a usage error. */
  usage?: string
  /** The code for an unexpected error (default ERR_CLI_UNEXPECTED). */
  fallbackCode?: ErrorCode
  /** The flag that sets each port, for a port in use (default: `--port`). */
  portFlags?: Record<number, string>
}

const PORT_HINT = 'use --port (or --issuer-port/--verifier-port/--wallet-port for up) to pick a free port'

/** What a network failure's cause code means, for the hint. */
const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there: is the server running, and are the host and port right?',
  ENOTFOUND: 'the host name does not resolve: check the URL',
  EAI_AGAIN: 'the host name could not be resolved now: check the network and the URL',
  ECONNRESET: 'the server closed the connection',
  ETIMEDOUT: 'the server did not answer in time',
  UND_ERR_CONNECT_TIMEOUT: 'the server did not answer in time',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate chain is not trusted',
}

/** The first Node/undici error code (`ECONNREFUSED`, `ENOENT`, …) along `e`'s cause chain. */
export function causeCode(e: unknown): string | undefined {
  let cur: unknown = e
  for (let depth = 0; depth < 6 && cur !== null && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code
    if (typeof code === 'string' && /^(E[A-Z0-9_]+|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*|UNABLE_TO_[A-Z_]+)$/.test(code) && !code.startsWith('ERR_')) return code
    // AggregateError (happy eyeballs: one error per address)
    const errors = (cur as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = causeCode(errors[0])
      if (inner !== undefined) return inner
    }
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
}

/** ENOENT/EACCES/EISDIR reading `path` (given with `flag`) as an E2eidError naming both. */
export function fileError(e: unknown, path: string, flag: string, what = 'file'): E2eidError {
  const code = causeCode(e)
  if (code === 'ENOENT') return new E2eidError('ERR_FILE_NOT_FOUND', `${what} not found: ${path}`, { cause: e, hint: `check the path given to ${flag}` })
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : e instanceof Error ? e.message : String(e)
  return new E2eidError('ERR_FILE_UNREADABLE', `cannot read ${what} ${path} (${flag}): ${why}`, { cause: e, hint: `check the path given to ${flag}` })
}

/** A failed fetch of `url` (what: "the credential offer") as an E2eidError saying what, where and why. */
export function fetchError(e: unknown, url: string, what: string, code: ErrorCode = 'ERR_FETCH_FAILED'): E2eidError {
  const cause = causeCode(e)
  // undici's "fetch failed" hides the reason in its cause ("bad port", a TLS error without a code, …).
  const inner = (e as { cause?: unknown }).cause
  const why = cause ?? (inner instanceof Error ? inner.message : e instanceof Error && e.message !== 'fetch failed' ? e.message : undefined)
  return new E2eidError(code, `cannot fetch ${what} from ${redactUrlsIn(url)}${why === undefined ? '' : `: ${why}`}`, {
    cause: e,
    ...(cause !== undefined && NETWORK_HINTS[cause] !== undefined ? { hint: NETWORK_HINTS[cause] } : {}),
  })
}

/** The first hint along `e`'s cause chain. */
function innerHint(e: unknown): string | undefined {
  let cur: unknown = (e as { cause?: unknown }).cause
  for (let depth = 0; depth < 6 && cur !== null && typeof cur === 'object'; depth++) {
    if (isE2eidError(cur) && cur.hint !== undefined) return cur.hint
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
}

/** Any thrown value as the E2eidError the CLI prints: raw Node errors get a specific code and a hint. */
export function toCliError(e: unknown, o: Pick<ReportErrorOptions, 'fallbackCode' | 'portFlags'> = {}): E2eidError {
  const code = causeCode(e)
  if (isE2eidError(e)) {
    const message = redactUrlsIn(e.message)
    // A library error that wraps another one keeps the inner hint (e.g. the URL policy's --allow-insecure-loopback).
    const inner = innerHint(e)
    if (e.hint === undefined && inner !== undefined) {
      return new E2eidError(e.code, message, { cause: e, hint: inner, ...(e.status === undefined ? {} : { status: e.status }) })
    }
    // A network failure underneath a library error: say why (the library named the URL) and what to do.
    if (e.hint === undefined && code !== undefined && NETWORK_HINTS[code] !== undefined) {
      return new E2eidError(e.code, message.includes(code) ? message : `${message} (${code})`, { cause: e, hint: NETWORK_HINTS[code], ...(e.status === undefined ? {} : { status: e.status }) })
    }
    if (message === e.message) return e
    return new E2eidError(e.code, message, { cause: e, ...(e.hint === undefined ? {} : { hint: e.hint }), ...(e.status === undefined ? {} : { status: e.status }) })
  }
  if (code === 'EADDRINUSE') {
    const port = (e as { port?: unknown }).port
    const address = (e as { address?: unknown }).address
    const flag = typeof port === 'number' ? o.portFlags?.[port] : undefined
    return new E2eidError('ERR_PORT_IN_USE', `port ${String(port ?? '?')} on ${String(address ?? 'this host')} is already in use`, {
      cause: e,
      hint: flag === undefined ? PORT_HINT : `use ${flag} to pick a free port (0 = any free port)`,
    })
  }
  if (code === 'EACCES' && (e as { syscall?: unknown }).syscall === 'listen') {
    return new E2eidError('ERR_PORT_NOT_ALLOWED', `not allowed to listen on port ${String((e as { port?: unknown }).port ?? '?')}`, { cause: e, hint: 'ports below 1024 need privileges: ' + PORT_HINT })
  }
  if (code === 'ENOENT' && typeof (e as { path?: unknown }).path === 'string') {
    return new E2eidError('ERR_FILE_NOT_FOUND', `file not found: ${(e as { path: string }).path}`, { cause: e })
  }
  const message = e instanceof Error ? e.message : String(e)
  if (message === 'fetch failed') {
    return new E2eidError('ERR_FETCH_FAILED', `a network request failed${code === undefined ? '' : `: ${code}`}`, { cause: e, ...(code !== undefined && NETWORK_HINTS[code] !== undefined ? { hint: NETWORK_HINTS[code] } : {}) })
  }
  return new E2eidError(o.fallbackCode ?? 'ERR_CLI_UNEXPECTED', redactUrlsIn(message), { cause: e })
}

/** Reports `e` the one way: usage → stderr + usage, exit 2; anything else → one JSON object on stdout, exit 1. */
export function reportError(io: CliIo, e: unknown, o: ReportErrorOptions): number {
  if (e instanceof UsageError) {
    io.stderr(`${o.command}: ${e.message}${o.usage === undefined ? '' : `\n\n${o.usage}`}`)
    return 2
  }
  io.stdout(JSON.stringify(toCliError(e, o).toJSON()))
  return 1
}

/** The issuer's stable code (`ERR_ISSUER_…`) behind a wallet error: its error body's `code`, or named in the message. */
function issuerCode(e: unknown): string | undefined {
  let cur: unknown = e
  for (let depth = 0; depth < 6 && cur !== null && typeof cur === 'object'; depth++) {
    const body = (cur as { errorResponse?: { code?: unknown } }).errorResponse
    if (typeof body?.code === 'string' && body.code.startsWith('ERR_ISSUER_')) return body.code
    const m = cur instanceof Error ? /\b(ERR_ISSUER_[A-Z0-9_]+)\b/.exec(cur.message) : null
    if (m !== null) return m[1]
    cur = (cur as { cause?: unknown }).cause
  }
  return undefined
}

const NEW_OFFER = "an offer works once and for a short time: ask the issuer for a new one (e2eid issuer offer --user ID --config CONFIG_ID)"

/**
 * A wallet's failure to redeem an offer, told as what happened to the offer: "already used" (the offer URI was
 * fetched, or its pre-authorized code redeemed, before), expired, unknown, or a wrong transaction code, instead of
 * the bare HTTP 404 / invalid_grant the protocol answers. Other errors are returned unchanged.
 */
export function explainOfferRefusal(e: unknown): unknown {
  if (!isE2eidError(e) || !/^ERR_WALLET_(OFFER_INVALID|TOKEN_FAILED)$/.test(e.code)) return e
  const code = issuerCode(e)
  const used = code === 'ERR_ISSUER_OFFER_ALREADY_FETCHED' || code === 'ERR_ISSUER_OFFER_ALREADY_USED' || code === 'ERR_ISSUER_CODE_USED' || (code === undefined && /already used/.test(e.message))
  const because = code === undefined ? '' : ` (${code})`
  if (used) return new E2eidError('ERR_WALLET_OFFER_ALREADY_USED', `this credential offer was already used${because}`, { cause: e, hint: NEW_OFFER })
  if (code === 'ERR_ISSUER_CODE_EXPIRED') return new E2eidError('ERR_WALLET_OFFER_EXPIRED', `this credential offer has expired${because}`, { cause: e, hint: NEW_OFFER })
  if (code === 'ERR_ISSUER_OFFER_NOT_FOUND') {
    return new E2eidError('ERR_WALLET_OFFER_NOT_FOUND', `the issuer no longer has this credential offer: it was already used, has expired, or the URI is wrong${because}`, { cause: e, hint: NEW_OFFER })
  }
  if (code === 'ERR_ISSUER_CODE_UNKNOWN') return new E2eidError('ERR_WALLET_OFFER_NOT_FOUND', `the issuer does not know this offer's code${because}`, { cause: e, hint: NEW_OFFER })
  if (code === 'ERR_ISSUER_TX_CODE_INVALID') return new E2eidError(e.code, e.message, { cause: e, hint: 'check the transaction code (--tx-code) the issuer sent on another channel' })
  if (code === 'ERR_ISSUER_TX_CODE_LOCKED') return new E2eidError('ERR_WALLET_OFFER_LOCKED', `too many wrong transaction codes: the offer is invalidated${because}`, { cause: e, hint: NEW_OFFER })
  return e
}
