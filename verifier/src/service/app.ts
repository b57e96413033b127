/**
 * @module service/app
 * The verifier service on Hono: creates OpenID4VP 1.0 Authorization Requests with a DCQL query (direct_post,
 * fresh nonce and state), takes the wallet's direct_post response, verifies every presentation with
 * {@link verifyPresentation} under the verifier's policy (aud = client_id, the request's nonce), checks the
 * response against the DCQL query, and shows the verdict as JSON and as a small page. Routes stay thin.
 *
 * Routes: GET / (page) · POST /requests (JSON; `?html=1` redirects to the page) · GET /requests/:id (the
 * request JSON) · GET /requests/:id/page · POST /response (direct_post) · GET /results/:id.
 *
 * Who may read a result (OpenID4VP 1.0 §8.2, §13.3 session fixation): the session id is not a secret, so the
 * verdict (JSON or page) is released only to a caller holding the `result_token` created with the request (the
 * frontend that asked; `Authorization: Bearer`, or the page's cookie) or the fresh single-use `response_code`
 * that the wallet received in the redirect_uri after its POST (`?response_code=`). An attacker who answers a
 * victim's request gets the code for his own answer, never the victim's token; one who only knows a session id
 * or a request reads nothing.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { ClientErrorStatusCode } from 'hono/utils/http-status'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { getCookie, setCookie } from 'hono/cookie'
import { cors } from 'hono/cors'
import { E2eidError, SD_JWT_VC_FORMAT, base64urlEncode, bytesEqual, isE2eidError, utf8Encode } from '@e2eid/shared'
import type { CryptoProvider } from '@e2eid/shared'
import { redactUrlsIn, requestLog, requestLogging, silentLogger } from '@e2eid/shared/node'
import type { Logger } from '@e2eid/shared/node'
import { evaluateDcqlResponse, parseDcqlQuery } from '../dcql/evaluate.js'
import type { DcqlPresentation } from '../dcql/evaluate.js'
import { SD_CWT_FORMAT_ID, SD_JWT_VC_FORMAT_ID, formatFromId } from '../dcql/format-ids.js'
import type { DcqlQuery, DcqlQueryInput } from '../dcql/z-dcql.js'
import { expectedNonce } from '../openid4vp/nonce.js'
import { authorizationRequestUri, createAuthorizationRequest } from '../openid4vp/request.js'
import { parseDirectPostResponse } from '../openid4vp/response.js'
import type { VerifierPolicy } from '../policy/policy.js'
import type { StatusChecker } from '../status/types.js'
import type { TrustStore } from '../trust/types.js'
import { verifyPresentation } from '../verify-presentation.js'
import { PAGE_CSP, homePage, notFoundPage, sessionPage } from './html.js'
import { SessionStore } from './sessions.js'
import { RequestRateLimiter, requestsGuard, serviceError } from './request-guard.js'
import { verifierOpenApiDocument } from './openapi-routes.js'
import type { Session, SessionPresentation } from './sessions.js'

/** Options of {@link createVerifierApp}. */
export interface VerifierAppOptions {
  /** Public base URL of this service (the Response URI is `<publicUrl>/response`). */
  publicUrl: string
  trust: TrustStore
  status?: StatusChecker
  provider?: CryptoProvider
  /**
   * Base policy, applied to every presentation of a response (required claims and constraints included, so ask
   * each credential query for what the policy requires); `aud`, `nonce` and the format are set per request.
   * `status` defaults to `'required'` here.
   */
  policy?: VerifierPolicy
  /** The DCQL query of new requests (default: built from the policy, see {@link defaultDcqlQuery}). */
  dcqlQuery?: DcqlQueryInput
  /**
   * Also ask for SD-CWT in the default query (an `application/sd-cwt` Credential Query, offered as a second
   * `credential_sets` option). Off by default: the format id is project-defined, and third-party DCQL parsers
   * (the `dcql` package 3.x, Credo) refuse a whole query that names a format they do not know.
   */
  requestSdCwt?: boolean
  /** Clock in Unix seconds. */
  now?: () => number
  randomBytes?: (n: number) => Uint8Array
  /** Lifetime of a request in seconds (default 300). */
  requestTtlSeconds?: number
  /** Most sessions held (default 1000). A pending one is never evicted: at capacity POST /requests answers 503. */
  maxSessions?: number
  /** POST /requests per client address and minute (default 60; 429 with Retry-After beyond). */
  requestsRateLimitPerMinute?: number
  /** When set, POST /requests needs `Authorization: Bearer <requestsToken>` (default: anonymous). */
  requestsToken?: string
  /** Largest accepted request body (default 256 KiB). */
  bodyLimitBytes?: number
  /** Origins of browser wallets (the wallet page) admitted by CORS on POST /requests and POST /response; none by default. */
  walletOrigins?: readonly string[]
  /** Structured log: one line per request, one per refused presentation (default: silent). */
  logger?: Logger
}

/** Options of {@link defaultDcqlQuery}. */
export interface DefaultDcqlQueryOptions {
  /** Add an SD-CWT Credential Query as another `credential_sets` option (see VerifierAppOptions.requestSdCwt). */
  requestSdCwt?: boolean
}

/**
 * The DCQL query asked for when none is configured: one SD-JWT VC (`dc+sd-jwt`) query with the policy's credential
 * types as `vct_values` (OpenID4VP 1.0 App. B.3.5: REQUIRED), asking for the policy's required and constrained
 * claims. Only formats every spec-following wallet can parse are named by default: the `dcql` package 3.x (Credo,
 * oid4vc-ts) rejects the whole query when one Credential Query names an unknown format, and SD-CWT's
 * `application/sd-cwt` is project-defined. So an SD-CWT query is added (as a second `credential_sets` option, either
 * one satisfying the request) only when `requestSdCwt` is set, or when the policy accepts SD-CWT alone.
 * Throws ERR_VERIFY_CONFIG_INVALID when no query can be built (SD-JWT VC without credential types).
 */
export function defaultDcqlQuery(policy: VerifierPolicy, options: DefaultDcqlQueryOptions = {}): DcqlQueryInput {
  const seen = new Set<string>()
  const paths = [...(policy.requiredClaims ?? []), ...(policy.constraints ?? []).map((c) => c.path)].filter((p) => {
    const k = JSON.stringify(p)
    return seen.has(k) ? false : (seen.add(k), true)
  })
  const claims = paths.length === 0 ? undefined : paths.map((p) => ({ path: [...p] }))
  const formats = policy.formats ?? [SD_JWT_VC_FORMAT, 'sd-cwt']
  const credentials: DcqlQueryInput['credentials'] = []
  if (formats.includes(SD_JWT_VC_FORMAT) && policy.credentialTypes !== undefined) {
    credentials.push({ id: 'sd_jwt', format: SD_JWT_VC_FORMAT_ID, meta: { vct_values: [...policy.credentialTypes] }, ...(claims ? { claims } : {}) })
  }
  const sdJwtAccepted = formats.includes(SD_JWT_VC_FORMAT)
  if (formats.includes('sd-cwt') && (options.requestSdCwt === true || !sdJwtAccepted)) {
    const meta = policy.credentialTypes === undefined ? {} : { vct_values: [...policy.credentialTypes] }
    credentials.push({ id: 'sd_cwt', format: SD_CWT_FORMAT_ID, meta, ...(claims ? { claims } : {}) })
  }
  if (credentials.length === 0) {
    throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', 'an SD-JWT VC request needs credential types (vct): set the policy credential types, request SD-CWT, or give a DCQL query')
  }
  // One query alone needs no credential_sets (§6.4.2: every Credential Query is then required).
  if (credentials.length === 1) return { credentials }
  return { credentials, credential_sets: [{ options: credentials.map((c) => [c.id]) }] }
}

function oauthError(c: Context, error: string, description: string, status: ClientErrorStatusCode = 400): Response {
  // error_description is restricted ASCII (RFC 6749 §5.2).
  return c.json({ error, error_description: description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?') }, status)
}

/**
 * Creates the verifier service. Use `app.request()` in tests and `@hono/node-server` to serve it.
 *
 * @example
 * const app = createVerifierApp({ publicUrl: 'https://verifier.example', trust, status, policy })
 * const res = await app.request('/requests', { method: 'POST' })
 */
export function createVerifierApp(options: VerifierAppOptions): Hono {
  const publicUrl = options.publicUrl.replace(/\/+$/, '')
  const now = options.now ?? (() => Date.now() / 1000)
  const randomBytes = options.randomBytes ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)))
  // status defaults to 'required': a credential without a status reference is refused and an unreachable
  // list fails closed; `policy.status: 'if-present'` accepts credentials of authorities that publish no status lists.
  const basePolicy: VerifierPolicy = { ...options.policy, status: options.policy?.status ?? 'required' }
  const dcqlQuery: DcqlQuery = parseDcqlQuery(options.dcqlQuery ?? defaultDcqlQuery(basePolicy, { requestSdCwt: options.requestSdCwt === true }))
  const ttl = options.requestTtlSeconds ?? 300
  const sessions = new SessionStore(options.maxSessions ?? 1000, now)
  const responseUri = `${publicUrl}/response`

  if (options.requestsToken !== undefined && options.requestsToken.length < 16) {
    throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', 'the requests token must be at least 16 characters')
  }
  const requestsLimiter = new RequestRateLimiter(options.requestsRateLimitPerMinute ?? 60, 60, now)

  /** A new pending session, or the seconds to wait when the store is full of pending sessions. */
  function newSession(): Session | number {
    const request = createAuthorizationRequest({ responseUri, dcqlQuery, randomBytes })
    const t = now()
    const id = base64urlEncode(randomBytes(16))
    const resultToken = base64urlEncode(randomBytes(32))
    const session: Session = { id, request, dcqlQuery, createdAt: t, expiresAt: t + ttl, result: { status: 'pending' }, resultToken, responseCode: undefined }
    const r = sessions.add(session)
    return r.added ? session : r.retryAfterSeconds
  }

  /** Whether `given` is the session's result token (constant time). */
  function holdsToken(session: Session, given: string | undefined): boolean {
    return given !== undefined && bytesEqual(utf8Encode(given), utf8Encode(session.resultToken))
  }

  /** Whether `given` is the session's outstanding response_code; a match uses it up (§8.2: single use). */
  function takeResponseCode(session: Session, given: string | undefined): boolean {
    const code = session.responseCode
    if (given === undefined || code === undefined || !bytesEqual(utf8Encode(given), utf8Encode(code))) return false
    session.responseCode = undefined
    return true
  }

  /** §8.2: the redirect_uri for the wallet, with a fresh response_code (≥128 bits) that reads this result once. */
  function redirectWithResponseCode(session: Session): { redirect_uri: string } {
    session.responseCode = base64urlEncode(randomBytes(32))
    return { redirect_uri: `${publicUrl}/requests/${session.id}/page?response_code=${session.responseCode}` }
  }

  // The page's browser keeps the result token in a cookie scoped to its request (HttpOnly, SameSite=Lax so that
  // the wallet's redirect back, a top-level navigation, still carries it).
  const COOKIE = 'e2eid_result'
  function setResultCookie(c: Context, session: Session): void {
    setCookie(c, COOKIE, session.resultToken, {
      path: `/requests/${session.id}`,
      httpOnly: true,
      sameSite: 'Lax',
      secure: publicUrl.startsWith('https:'),
      maxAge: Math.max(60, Math.ceil(session.expiresAt - now()) + 3600),
    })
  }

  function describe(session: Session): Record<string, unknown> {
    return {
      id: session.id,
      request: session.request,
      request_uri: authorizationRequestUri(session.request),
      page: `${publicUrl}/requests/${session.id}/page`,
      result: `${publicUrl}/results/${session.id}`,
      // Only for the caller that created the request: reads the result (Authorization: Bearer).
      result_token: session.resultToken,
      expires_at: session.expiresAt,
    }
  }

  async function verifyVpToken(session: Session, vpToken: Record<string, string[]>): Promise<SessionPresentation[]> {
    const byId = new Map(session.dcqlQuery.credentials.map((q) => [q.id, q]))
    const verified: Record<string, DcqlPresentation[]> = {}
    const out: SessionPresentation[] = []
    for (const [queryId, list] of Object.entries(vpToken)) {
      const q = byId.get(queryId)
      if (q === undefined) throw new E2eidError('ERR_DCQL_UNKNOWN_QUERY_ID', `vp_token answers unknown query ${queryId}`)
      const format = formatFromId(q.format)
      if (format === undefined) throw new E2eidError('ERR_DCQL_FORMAT_MISMATCH', `query ${queryId} has an unsupported format`)
      verified[queryId] = []
      for (const presentation of list) {
        const v = await verifyPresentation(
          presentation,
          {
            ...basePolicy,
            // OpenID4VP App. B.3.6: aud = the full client_id; nonce = the request's.
            aud: session.request.client_id,
            nonce: expectedNonce(format, session.request.nonce),
            requireKeyBinding: basePolicy.requireKeyBinding !== false && q.require_cryptographic_holder_binding !== false,
            // The query's format, unless the base policy refuses that format.
            formats: basePolicy.formats === undefined || basePolicy.formats.includes(format) ? [format] : [],
            now,
          },
          { trust: options.trust, ...(options.status ? { status: options.status } : {}), ...(options.provider ? { provider: options.provider } : {}) },
        )
        verified[queryId].push(v)
        out.push({ queryId, format: v.format, issuer: v.issuer, credentialType: v.credentialType, claims: v.claims, status: v.status })
      }
    }
    evaluateDcqlResponse(session.dcqlQuery, verified)
    return out
  }

  const app = new Hono()
  app.use('*', requestLogging(options.logger ?? silentLogger()))
  app.use('*', bodyLimit({ maxSize: options.bodyLimitBytes ?? 256 * 1024, onError: (c) => oauthError(c, 'invalid_request', 'request body too large', 413) }))
  if (options.walletOrigins !== undefined && options.walletOrigins.length > 0) {
    // A browser wallet posts its direct_post response cross-origin and must read the answer (exact origins only).
    const origins = options.walletOrigins.map((o) => new URL(o).origin)
    const walletCors = cors({ origin: (o) => (origins.includes(o) ? o : null), allowMethods: ['POST'], allowHeaders: ['Content-Type', 'Authorization'], exposeHeaders: ['Retry-After'], maxAge: 600 })
    app.use('/requests', walletCors)
    app.use('/response', walletCors)
  }
  app.use('*', async (c, next) => {
    await next()
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'no-referrer')
    c.header('cache-control', 'no-store')
    // No page of the verifier may be framed (clickjacking of "New presentation request", a
    // verdict shown inside someone else's page): CSP frame-ancestors, and X-Frame-Options for older browsers.
    c.header('x-frame-options', 'DENY')
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.header('content-security-policy', PAGE_CSP)
    }
  })

  app.get('/', (c) => c.html(homePage()))
  // OpenAPI 3.1 description of every route (service/openapi-routes.ts), built once.
  let openApi: Record<string, unknown> | undefined
  app.get('/openapi.json', (c) => c.json((openApi ??= verifierOpenApiDocument(publicUrl))))

  app.post('/requests', requestsGuard({ token: options.requestsToken, limiter: requestsLimiter }), (c) => {
    const session = newSession()
    if (typeof session === 'number') {
      // No pending session is evicted for a new one; the caller retries when one expires.
      return serviceError(c, 503, 'temporarily_unavailable', 'ERR_VERIFY_SESSIONS_FULL', 'too many pending presentation requests, retry later', { 'Retry-After': String(session) })
    }
    if (c.req.query('html') !== undefined) {
      setResultCookie(c, session)
      return c.redirect(`/requests/${session.id}/page`, 303)
    }
    return c.json(describe(session), 201)
  })

  app.get('/requests/:id', (c) => {
    const s = sessions.get(c.req.param('id'))
    return s === undefined ? oauthError(c, 'invalid_request', 'unknown or expired request', 404) : c.json(s.request)
  })

  app.get('/requests/:id/page', (c) => {
    const s = sessions.get(c.req.param('id'))
    if (s === undefined) return c.html(notFoundPage(), 404)
    if (takeResponseCode(s, c.req.query('response_code'))) {
      // The wallet sent this browser back (§8.2): the code becomes the page's cookie, and leaves the address bar.
      setResultCookie(c, s)
      return c.redirect(`/requests/${s.id}/page`, 303)
    }
    return c.html(sessionPage(s, authorizationRequestUri(s.request), holdsToken(s, getCookie(c, COOKIE))))
  })

  app.get('/results/:id', (c) => {
    const s = sessions.get(c.req.param('id'))
    if (s === undefined) return oauthError(c, 'invalid_request', 'unknown or expired request', 404)
    const bearer = /^Bearer ([A-Za-z0-9_-]+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    if (!holdsToken(s, bearer) && !takeResponseCode(s, c.req.query('response_code'))) {
      c.header('www-authenticate', 'Bearer')
      return oauthError(c, 'invalid_request', 'the result needs the result_token of the request (Authorization: Bearer) or the response_code of the redirect_uri', 401)
    }
    return c.json({ id: s.id, ...s.result })
  })

  app.post('/response', async (c) => {
    let form: Record<string, unknown>
    try {
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        throw new E2eidError('ERR_OPENID4VP_RESPONSE_INVALID', 'direct_post responses are application/x-www-form-urlencoded')
      }
      form = await c.req.parseBody({ all: true })
    } catch (e) {
      return oauthError(c, 'invalid_request', isE2eidError(e) ? e.message : 'unreadable body')
    }
    // An unacceptable response throws an E2eidError: app.onError answers it.
    const parsed = parseDirectPostResponse(form)
    const session = sessions.takeByState(parsed.state)
    if (session === undefined) return oauthError(c, 'invalid_request', 'unknown, expired or already answered state')
    if (parsed.kind === 'error') {
      session.result = { status: 'rejected', error: { code: 'ERR_OPENID4VP_WALLET_ERROR', message: `${parsed.error}${parsed.errorDescription ? `: ${parsed.errorDescription}` : ''}` } }
      return c.json(redirectWithResponseCode(session))
    }
    try {
      session.result = { status: 'verified', presentations: await verifyVpToken(session, parsed.vpToken) }
      // §8.2: the wallet sends the user agent here (same-device flow); the response_code shows it the verdict.
      return c.json(redirectWithResponseCode(session))
    } catch (e) {
      const error = isE2eidError(e) ? { code: e.code, message: e.message } : { code: 'ERR_VERIFY_INTERNAL', message: 'verification failed' }
      session.result = { status: 'rejected', error }
      requestLog(c).warn({ event: 'presentation_refused', error_code: error.code }, 'presentation refused')
      return oauthError(c, 'invalid_request', `${error.code}: ${error.message}`)
    }
  })

  app.notFound((c) => oauthError(c, 'invalid_request', 'not found', 404))
  // As the issuer's app.onError: an E2eidError is the client's fault (its 4xx status, 400 by default); anything else
  // is ours, a 500 that names nothing of the failure (no message, no stack) and is logged here instead.
  app.onError((e, c) => {
    if (isE2eidError(e)) return oauthError(c, 'invalid_request', e.message, e.status !== undefined && e.status >= 400 && e.status < 500 ? (e.status as ClientErrorStatusCode) : 400)
    if (e instanceof HTTPException && e.status < 500) return oauthError(c, 'invalid_request', e.message, e.status as ClientErrorStatusCode)
    // Without a logger (library use) it reaches stderr; with one, the request's log line (URLs redacted).
    if (options.logger === undefined) console.error('verifier: internal error', e)
    else requestLog(c).error({ event: 'internal_error', err_message: redactUrlsIn(e instanceof Error ? e.message : String(e)) }, 'internal error')
    return c.json({ error: 'server_error', error_description: 'internal error' }, 500)
  })
  return app
}
