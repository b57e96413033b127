/**
 * @module status-list/fetch
 * Retrieving a Status List Token over HTTP (draft-20 §8.1-8.2): GET with an Accept header for the
 * formats the caller takes, 2xx only, Content-Type decides the form, the body is read with a size cap
 * and the whole exchange with a time limit. Nothing here is trusted: the caller verifies the token.
 */
import { E2eidError } from '../errors.js'
import { readStreamCapped } from '../encoding/stream.js'
import { utf8Decode } from '../encoding/bytes.js'
import { STATUS_LIST_CWT_TYP } from './token-cwt.js'
import { STATUS_LIST_JWT_MEDIA_TYPE } from './token-jwt.js'

/** A fetched, not yet verified, Status List Token. */
export type FetchedStatusListToken = { format: 'jwt'; token: string } | { format: 'cwt'; token: Uint8Array }

/** Options for {@link fetchStatusListToken}. */
export interface FetchStatusListTokenOptions {
  fetch?: typeof globalThis.fetch
  /** Formats to ask for, in order of preference (default both, JWT first). */
  formats?: readonly ('jwt' | 'cwt')[]
  /** Cap on the response body (default 8 MiB). */
  maxBytes?: number
  /** Time limit for the whole exchange, body included (default 10 s). */
  timeoutMs?: number
  /** Historical resolution (§8.4): adds `?time=<unix seconds>`. */
  time?: number
  signal?: AbortSignal
}

const MEDIA: Record<'jwt' | 'cwt', string> = { jwt: STATUS_LIST_JWT_MEDIA_TYPE, cwt: STATUS_LIST_CWT_TYP }

async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  return readStreamCapped(body.getReader(), max, () => new E2eidError('ERR_STATUS_LIST_RESPONSE_TOO_LARGE', `Status List Token response exceeds ${max} bytes`))
}

function isTimeout(e: unknown): boolean {
  const name = (e as { name?: unknown }).name
  const causeName = ((e as { cause?: { name?: unknown } }).cause ?? {}).name
  return name === 'TimeoutError' || causeName === 'TimeoutError'
}

/**
 * GETs `uri` and returns the raw token. Error codes: ERR_STATUS_LIST_FETCH_FAILED (network),
 * ERR_STATUS_LIST_TIMEOUT, ERR_STATUS_LIST_HTTP_STATUS (not 2xx), ERR_STATUS_LIST_CONTENT_TYPE,
 * ERR_STATUS_LIST_RESPONSE_TOO_LARGE.
 */
export async function fetchStatusListToken(uri: string, options: FetchStatusListTokenOptions = {}): Promise<FetchedStatusListToken> {
  const formats = options.formats ?? ['jwt', 'cwt']
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024
  const fetchImpl = options.fetch ?? globalThis.fetch
  const url = new URL(uri)
  if (options.time !== undefined) url.searchParams.set('time', String(Math.floor(options.time)))
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000)
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal])
  let res: Response
  try {
    // Redirects are followed by fetch (bounded at 20, RFC 9110 §15.4 / draft-20 §8.2).
    res = await fetchImpl(url, { method: 'GET', headers: { accept: formats.map((f) => MEDIA[f]).join(', ') }, signal, redirect: 'follow' })
  } catch (e) {
    if (isTimeout(e) || timeout.aborted) throw new E2eidError('ERR_STATUS_LIST_TIMEOUT', `fetching ${uri} timed out`, { cause: e })
    throw new E2eidError('ERR_STATUS_LIST_FETCH_FAILED', `fetching ${uri} failed`, { cause: e })
  }
  if (res.status < 200 || res.status > 299) {
    res.body?.cancel().catch(() => undefined)
    throw new E2eidError('ERR_STATUS_LIST_HTTP_STATUS', `fetching ${uri} returned HTTP ${res.status}`)
  }
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const format = formats.find((f) => MEDIA[f] === mediaType)
  if (format === undefined) {
    res.body?.cancel().catch(() => undefined)
    throw new E2eidError('ERR_STATUS_LIST_CONTENT_TYPE', `unexpected Content-Type ${JSON.stringify(mediaType)} for a Status List Token`)
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) {
    res.body?.cancel().catch(() => undefined)
    throw new E2eidError('ERR_STATUS_LIST_RESPONSE_TOO_LARGE', `Status List Token response declares ${declared} bytes, more than ${maxBytes}`)
  }
  let body: Uint8Array
  try {
    body = await readCapped(res.body, maxBytes)
  } catch (e) {
    if (e instanceof E2eidError) throw e
    if (isTimeout(e) || timeout.aborted) throw new E2eidError('ERR_STATUS_LIST_TIMEOUT', `reading ${uri} timed out`, { cause: e })
    throw new E2eidError('ERR_STATUS_LIST_FETCH_FAILED', `reading ${uri} failed`, { cause: e })
  }
  if (format === 'cwt') return { format, token: body }
  let text: string
  try {
    text = utf8Decode(body).trim()
  } catch (e) {
    throw new E2eidError('ERR_JWS_MALFORMED', 'Status List Token JWT is not UTF-8', { cause: e })
  }
  return { format, token: text }
}
