/**
 * @module http/app
 * The issuer's Hono app. Routes are thin: read the request, call one operation, write JSON. Every
 * rejection is an {@link OAuthError} (or another E2eidError) turned into a 4xx JSON body in `onError`.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { CryptoProvider } from '@e2eid/shared'
import { isE2eidError } from '@e2eid/shared'
import { redactUrlsIn, requestLog, requestLogging, silentLogger } from '@e2eid/shared/node'
import type { Logger } from '@e2eid/shared/node'
import type { IssuerRepository } from '../storage/repository.js'
import type { IssuerConfig } from '../config/config.js'
import { defaultIssuerConfig } from '../config/config.js'
import type { CredentialFormatAdapter, StatusListTokenAdapter } from '../formats/types.js'
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'
import { OAuthError, asciiDescription, oauthError } from './oauth-error.js'
import { RateLimiter, rateLimit, securityHeaders, walletCors } from './hardening.js'
import { bodyReader, readForm, readJson } from './body.js'
import { createOid4vcLibrary } from '../oauth/library.js'
import { authorizationServerMetadata, credentialIssuerMetadata } from '../oauth/metadata.js'
import { handleTokenRequest } from '../oauth/token.js'
import { handlePushedAuthorizationRequest } from '../oauth/par.js'
import { completeAuthorization, renderLoginPage, startAuthorization } from '../oauth/authorize.js'
import type { AuthorizeOutcome } from '../oauth/authorize.js'
import { authenticateRequest } from '../oauth/access-token.js'
import { handleNonceRequest } from '../credential/nonce.js'
import { handleCredentialRequest } from '../credential/issue-credentials.js'
import { handleNotification } from '../credential/notification.js'
import { availableConfiguration } from '../credential/configurations.js'
import { getCredentialOffer } from '../offer/create-offer.js'
import { StatusListCache, publishStatusList } from '../status/publish-status-list.js'
import { activeSigningKey } from '../keys/signing-keys.js'
import { SigningKeyCache } from '../keys/signing-key-cache.js'
import { coseKeySetDocument, jwksDocument, jwtVcIssuerDocument } from '../keys/key-documents.js'
import { didWebDocument } from '../keys/did-web.js'
import { defaultFormatAdapters, defaultStatusListTokenAdapters } from '../formats/registry.js'
import { registerAdminRoutes } from './admin-routes.js'
import { createAbuseLimits } from './abuse-limits.js'
import { issuerOpenApiDocument } from './openapi-routes.js'

/** Options of {@link createIssuerApp}. */
export interface CreateIssuerAppOptions {
  repository: IssuerRepository
  /** Credential Issuer Identifier: an https URL without path, query or fragment (http only on loopback). */
  issuerUrl: string
  crypto: CryptoProvider
  /** Current time in UNIX seconds (default: the system clock). */
  clock?: () => number
  config?: IssuerConfig
  /** Format adapters (default: the real SD-CWT and SD-JWT VC adapters of @e2eid/shared). */
  formats?: readonly CredentialFormatAdapter[]
  /** Status list token signers (default: statuslist+jwt and statuslist+cwt of @e2eid/shared). */
  statusTokens?: readonly StatusListTokenAdapter[]
  /** Structured log: one line per request, one per security event (default: silent). Never given secrets. */
  logger?: Logger
}

/** The Hono app plus the context it runs on (for tests and the server). */
export type IssuerApp = Hono & { readonly issuer: IssuerContext }

function checkIssuerUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new TypeError(`issuerUrl ${url} is not a URL`)
  }
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]'
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new TypeError('issuerUrl must be https (http only on loopback)')
  if (u.pathname !== '/' || u.search !== '' || u.hash !== '' || url.endsWith('/')) {
    throw new TypeError('issuerUrl must be an origin without path, query, fragment or trailing slash')
  }
  return url
}

function noStore(c: Context): void {
  c.header('Cache-Control', 'no-store')
}

/** Builds the issuer context (shared by the app and the server). */
export function createIssuerContext(o: CreateIssuerAppOptions): IssuerContext {
  const clock = o.clock ?? (() => Date.now() / 1000)
  return {
    repo: o.repository,
    crypto: o.crypto,
    now: () => Math.floor(clock()),
    config: o.config ?? defaultIssuerConfig(),
    issuerUrl: checkIssuerUrl(o.issuerUrl),
    formats: new Map((o.formats ?? defaultFormatAdapters()).map((a) => [a.format, a])),
    statusTokens: new Map((o.statusTokens ?? defaultStatusListTokenAdapters()).map((a) => [a.form, a])),
    signingKeys: new SigningKeyCache(),
  }
}

/**
 * Creates the OpenID4VCI 1.0 issuer app. Use it with `app.request()` in tests or serve it with
 * `@hono/node-server` (see `startIssuerServer`).
 *
 * @example
 * const app = createIssuerApp({ repository: await openSqliteRepository(':memory:'), issuerUrl: 'https://id.example', crypto })
 * const res = await app.request('/.well-known/openid-credential-issuer')
 */
export function createIssuerApp(o: CreateIssuerAppOptions): IssuerApp {
  const ctx = createIssuerContext(o)
  const lib = createOid4vcLibrary(ctx.crypto, ctx.issuerUrl)
  const statusCache = new StatusListCache(Math.min(60, ctx.config.statusListTtl))
  const tokenLimiter = new RateLimiter(ctx.config.tokenRateLimitPerMinute, 60, ctx.now)
  const loginLimiter = new RateLimiter(ctx.config.tokenRateLimitPerMinute, 60, ctx.now)
  const limits = createAbuseLimits(ctx)
  // Anonymous nonce requests write a row without any credential: limited per client like /token.
  const anonymousNonceLimiter = new RateLimiter(ctx.config.tokenRateLimitPerMinute, 60, ctx.now)
  const app = new Hono()
  // First, so that the line has the final status and every event of the request carries its request id.
  app.use('*', requestLogging(o.logger ?? silentLogger()))

  app.onError((err, c) => {
    if (err instanceof OAuthError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v)
      noStore(c)
      return c.json(err.body(), (err.status ?? 400) as 400)
    }
    if (isE2eidError(err)) {
      noStore(c)
      const status = err.status !== undefined && err.status >= 400 && err.status < 500 ? err.status : 400
      return c.json({ error: 'invalid_request', error_description: asciiDescription(err.message) }, status as 400)
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: err.status === 413 ? 'payload_too_large' : 'invalid_request', error_description: asciiDescription(err.message) }, err.status)
    }
    // Without a logger (library use), an internal error still reaches stderr as before.
    if (o.logger === undefined) console.error('issuer: internal error', err)
    else requestLog(c).error({ event: 'internal_error', err_message: redactUrlsIn(err instanceof Error ? err.message : String(err)) }, 'internal error')
    return c.json({ error: 'server_error', error_description: 'internal error' }, 500)
  })
  const postOnly = new Set(['/token', '/par', '/nonce', '/credential', '/notification'])
  app.notFound((c) => {
    if (postOnly.has(c.req.path)) return c.json({ error: 'method_not_allowed', error_description: 'use POST' }, 405, { Allow: 'POST' })
    return c.json({ error: 'not_found', error_description: 'no such endpoint' }, 404)
  })

  app.use('*', securityHeaders())
  app.use('*', bodyReader(ctx.config.bodyLimitBytes))
  app.use('*', limits.perEndpoint)
  const cors = walletCors(ctx.config.walletOrigins)
  for (const p of ['/.well-known/*', '/offers/*', '/token', '/nonce', '/credential', '/notification', '/par', '/status-lists/*', '/vct/*']) app.use(p, cors)

  // Metadata (OpenID4VCI §12.2, RFC 8414) and keys.
  // The configuration is fixed for the app's life: metadata is built (and validated) once per signing alg.
  const issuerMetadataByAlg = new Map<string, ReturnType<typeof credentialIssuerMetadata>>()
  const asMetadata = authorizationServerMetadata(ctx, lib)
  app.get('/.well-known/openid-credential-issuer', async (c) => {
    const { alg } = await activeSigningKey(ctx)
    let md = issuerMetadataByAlg.get(alg)
    if (md === undefined) issuerMetadataByAlg.set(alg, (md = credentialIssuerMetadata(ctx, lib, alg)))
    return c.json(md)
  })
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(asMetadata))
  app.get('/.well-known/jwks.json', async (c) => c.json(await jwksDocument(ctx), 200, { 'Content-Type': 'application/jwk-set+json' }))
  app.get('/.well-known/jwt-vc-issuer', async (c) => c.json(await jwtVcIssuerDocument(ctx)))
  app.get('/.well-known/did.json', async (c) => c.json(await didWebDocument(ctx)))
  app.get('/.well-known/cose-keys', async (c) => c.body(await coseKeySetDocument(ctx) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/cose-key-set' }))
  app.get('/vct/:id', (c) => {
    const id = c.req.param('id')
    const found = availableConfiguration(ctx, id)
    if (found === undefined) throw oauthError('not_found', 'no such credential type')
    const name = found.configuration.display?.[0]?.name ?? id
    return c.json({ vct: issuerEndpoint(ctx, `/vct/${id}`), name })
  })

  // Offers by reference (§4.1.3).
  app.get('/offers/:id', async (c) => {
    noStore(c)
    return c.json(await getCredentialOffer(ctx, c.req.param('id')))
  })

  // Authorization server.
  app.post('/par', async (c) => {
    noStore(c)
    return c.json(await handlePushedAuthorizationRequest(ctx, await readForm(c), c.req.header('dpop')), 201)
  })
  const renderAuthorize = (c: Context, o: AuthorizeOutcome): Response => {
    noStore(c)
    if (o.kind === 'redirect') return c.redirect(o.location, 302)
    return c.html(renderLoginPage(o, issuerEndpoint(ctx, '/authorize')), o.status)
  }
  app.get('/authorize', async (c) => renderAuthorize(c, await startAuthorization(ctx, c.req.query())))
  app.post('/authorize', rateLimit(loginLimiter, { addressOf: limits.addressOf }), async (c) => {
    const o = await completeAuthorization(ctx, await readForm(c))
    if (o.kind === 'login' && o.status === 401) requestLog(c).warn({ event: 'login_failed', client_id: o.clientId }, 'login failed')
    return renderAuthorize(c, o)
  })
  app.post('/token', rateLimit(tokenLimiter, { addressOf: limits.addressOf }), async (c) => {
    noStore(c)
    return c.json(await handleTokenRequest(ctx, await readForm(c), c.req.header('dpop')))
  })

  // Credential issuer (resource server).
  const auth = (c: Context, path: string) =>
    authenticateRequest(ctx, { authorization: c.req.header('authorization'), dpop: c.req.header('dpop'), method: c.req.method, url: issuerEndpoint(ctx, path) })
  app.post('/nonce', rateLimit(anonymousNonceLimiter, { applies: (c) => c.req.header('authorization') === undefined, addressOf: limits.addressOf }), async (c) => {
    noStore(c)
    return c.json(await handleNonceRequest(ctx, { authorization: c.req.header('authorization'), dpop: c.req.header('dpop') }))
  })
  app.post('/credential', async (c) => {
    noStore(c)
    const a = await auth(c, '/credential')
    limits.credentialAccount(a.record.userId)
    const body = await readJson(c, 'invalid_credential_request')
    const issued = await handleCredentialRequest(ctx, a, body)
    // Who got what, never the credential itself.
    const b = body as { credential_configuration_id?: unknown; credential_identifier?: unknown }
    const configuration = typeof b.credential_configuration_id === 'string' ? b.credential_configuration_id : typeof b.credential_identifier === 'string' ? b.credential_identifier : undefined
    requestLog(c).info({ event: 'credential_issued', user_id: a.record.userId, client_id: a.record.clientId, credential_configuration_id: configuration, count: issued.credentials.length }, 'credential issued')
    return c.json(issued)
  })
  app.post('/notification', async (c) => {
    const a = await auth(c, '/notification')
    await handleNotification(ctx, a.record.userId, await readJson(c, 'invalid_notification_request'))
    return c.body(null, 204)
  })

  // Status lists (draft-ietf-oauth-status-list §8).
  app.get('/status-lists/:id', async (c) => {
    const t = await publishStatusList(ctx, c.req.param('id'), statusCache)
    noStore(c)
    return c.body(typeof t.body === 'string' ? t.body : (t.body as Uint8Array<ArrayBuffer>), 200, { 'Content-Type': t.mediaType })
  })

  // Admin API (bearer admin token, constant-time comparison).
  registerAdminRoutes(app, ctx, limits.addressOf)

  // OpenAPI 3.1 description of every route above (http/openapi-routes.ts), built once.
  let openApi: Record<string, unknown> | undefined
  app.get('/openapi.json', (c) => c.json((openApi ??= issuerOpenApiDocument(ctx.issuerUrl))))

  return Object.assign(app, { issuer: ctx })
}

