/**
 * @module http
 * The one door through which the verifier reaches the network. Every fetch goes through an
 * injected `fetch` (so tests can assert which URLs the verifier contacted), with a URL policy
 * (HTTPS only; plain HTTP only for loopback hosts when explicitly allowed), no redirects,
 * a time limit and a size limit (SD-JWT VC -19 "HTTP retrieval": HTTPS, SSRF care, time and size bounds).
 */
import { E2eidError, readStreamCapped } from '@e2eid/shared'

/** The fetch signature the verifier accepts (the global `fetch` fits). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

/** Options for {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The fetch used for every request (default: the global fetch). */
  fetch?: FetchLike
  /** Allow `http:` for localhost, 127.0.0.1 and [::1] only (tests, local demos). Default false. */
  allowInsecureLoopback?: boolean
  /** Abort a request after this many milliseconds (default 5000). */
  timeoutMs?: number
  /** Refuse bodies larger than this many bytes (default 1 MiB). */
  maxBytes?: number
}

/** A response body the verifier accepted, with its media type. */
interface HttpBody {
  bytes: Uint8Array
  contentType: string
}

/** A small HTTP GET client with the verifier's URL policy and bounds. */
export interface HttpClient {
  /** GETs `url`; throws ERR_VERIFY_URL_NOT_ALLOWED, ERR_VERIFY_FETCH_FAILED or ERR_VERIFY_FETCH_TOO_LARGE. */
  get(url: string, accept: string): Promise<HttpBody>
  /** GETs `url` and parses JSON; additionally throws ERR_VERIFY_FETCH_INVALID_JSON. */
  getJson(url: string): Promise<unknown>
  /** The fetch in use (handed to the status client so that all traffic goes through one function). */
  readonly fetch: FetchLike
  /** Throws ERR_VERIFY_URL_NOT_ALLOWED unless `url` passes the URL policy. */
  assertAllowed(url: string): URL
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True when `host` (URL.hostname) names the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase())
}

/** Creates the verifier's HTTP client. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const timeoutMs = options.timeoutMs ?? 5000
  const maxBytes = options.maxBytes ?? 1024 * 1024

  function assertAllowed(raw: string): URL {
    let url: URL
    try {
      url = new URL(raw)
    } catch (e) {
      throw new E2eidError('ERR_VERIFY_URL_NOT_ALLOWED', `not a URL: ${JSON.stringify(raw)}`, { cause: e })
    }
    const insecureOk = options.allowInsecureLoopback === true && url.protocol === 'http:' && isLoopbackHost(url.hostname)
    if (url.protocol !== 'https:' && !insecureOk) {
      // A local setup (issuer on http://127.0.0.1) needs the explicit development switch: say which.
      const hint = url.protocol === 'http:' && isLoopbackHost(url.hostname) ? 'http on loopback is fetched only with --allow-insecure-loopback (config: allow_insecure_loopback), for development' : undefined
      throw new E2eidError('ERR_VERIFY_URL_NOT_ALLOWED', `only https URLs may be fetched: ${url.origin}`, hint === undefined ? {} : { hint })
    }
    if (url.username !== '' || url.password !== '') {
      throw new E2eidError('ERR_VERIFY_URL_NOT_ALLOWED', 'URLs with credentials are not fetched')
    }
    return url
  }

  async function get(raw: string, accept: string): Promise<HttpBody> {
    const url = assertAllowed(raw)
    let res: Response
    try {
      res = await doFetch(url.href, { headers: { accept }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
    } catch (e) {
      throw new E2eidError('ERR_VERIFY_FETCH_FAILED', `could not fetch ${url.href}`, { cause: e })
    }
    // Never use the body of an error response (SD-JWT VC -19 HTTP retrieval).
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => undefined)
      throw new E2eidError('ERR_VERIFY_FETCH_FAILED', `${url.href} answered HTTP ${res.status}`)
    }
    const declared = Number(res.headers.get('content-length') ?? '0')
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined)
      throw new E2eidError('ERR_VERIFY_FETCH_TOO_LARGE', `${url.href} is larger than ${maxBytes} bytes`)
    }
    const bytes = await readBounded(res, maxBytes, url.href)
    return { bytes, contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase() }
  }

  async function getJson(raw: string): Promise<unknown> {
    const { bytes } = await get(raw, 'application/json')
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    } catch (e) {
      throw new E2eidError('ERR_VERIFY_FETCH_INVALID_JSON', `${raw} did not return JSON`, { cause: e })
    }
  }

  return { get, getJson, fetch: doFetch, assertAllowed }
}

async function readBounded(res: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  if (res.body === null) return new Uint8Array(0)
  try {
    return await readStreamCapped(res.body.getReader(), maxBytes, () => new E2eidError('ERR_VERIFY_FETCH_TOO_LARGE', `${what} is larger than ${maxBytes} bytes`))
  } catch (e) {
    if (e instanceof E2eidError) throw e
    throw new E2eidError('ERR_VERIFY_FETCH_FAILED', `could not read ${what}`, { cause: e })
  }
}
