/**
 * @module oauth/authorize
 * The Authorization Endpoint (RFC 6749 §4.1.1 with RFC 9126 request_uri) and the login page of
 * the issuer's own user directory. GET shows the login form for a pushed request; POST checks the
 * password and redirects with `code`, `state` and `iss` (RFC 9207).
 */
import { PAGE_STYLE } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import type { PushedAuthorizationRequestRecord } from '../storage/repository.js'
import { hashSecret, randomSecret } from '../util/secrets.js'
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../util/password.js'
import { LOGIN_THROTTLE } from '../storage/rules.js'
import { REQUEST_URI_PREFIX } from './par.js'

const LOGIN_SESSION_TTL = 600
// A pushed request's reference is a randomSecret (base64url). Login sessions are stored under
// hashSecret(`login:<session>`): a request_uri reference can never contain ':', so it never names one.
const REQUEST_URI_REF = /^[A-Za-z0-9_-]{16,128}$/
const LOGIN_SESSION_MARK = 'login_session'

/** What the route renders or does. */
export type AuthorizeOutcome =
  | { kind: 'login'; session: string; clientId: string; configurationIds: string[]; error?: string; status: 200 | 401 }
  | { kind: 'redirect'; location: string }

async function newLoginSession(ctx: IssuerContext, par: PushedAuthorizationRequestRecord): Promise<string> {
  const session = randomSecret(ctx.crypto)
  const now = ctx.now()
  await ctx.repo.savePushedAuthorizationRequest({
    requestUriHash: hashSecret(ctx.crypto, `login:${session}`),
    clientId: par.clientId,
    params: { ...par.params, [LOGIN_SESSION_MARK]: '1' },
    createdAt: now,
    expiresAt: now + LOGIN_SESSION_TTL,
  })
  return session
}

/** GET /authorize?client_id=...&request_uri=... */
export async function startAuthorization(ctx: IssuerContext, query: Record<string, string>): Promise<AuthorizeOutcome> {
  const requestUri = query.request_uri
  const clientId = query.client_id
  if (requestUri === undefined || !requestUri.startsWith(REQUEST_URI_PREFIX) || requestUri.length > 256) {
    throw oauthError('invalid_request', 'request_uri from a pushed authorization request is required', 'ERR_ISSUER_PAR_REQUIRED')
  }
  if (clientId === undefined) throw oauthError('invalid_request', 'client_id is required')
  const ref = requestUri.slice(REQUEST_URI_PREFIX.length)
  if (!REQUEST_URI_REF.test(ref)) throw oauthError('invalid_request', 'request_uri unknown, used or expired', 'ERR_ISSUER_REQUEST_URI_INVALID')
  const par = await ctx.repo.takePushedAuthorizationRequest(hashSecret(ctx.crypto, ref), ctx.now())
  if (par === null || par.params[LOGIN_SESSION_MARK] !== undefined) {
    throw oauthError('invalid_request', 'request_uri unknown, used or expired', 'ERR_ISSUER_REQUEST_URI_INVALID')
  }
  if (par.clientId !== clientId) throw oauthError('invalid_request', 'client_id does not match the pushed request', 'ERR_ISSUER_CLIENT_MISMATCH')
  const session = await newLoginSession(ctx, par)
  return { kind: 'login', session, clientId, configurationIds: (par.params.credential_configuration_ids ?? '').split(' '), status: 200 }
}

/**
 * POST /authorize (login form). Failures count per account (the typed user id, known or not) in the
 * repository, shared by every instance, with a doubling lockout (storage/rules.ts LOGIN_THROTTLE); an unknown
 * user id is checked against a dummy hash at the same scrypt cost, so neither the answer nor its timing
 * tells whether the user exists.
 */
export async function completeAuthorization(ctx: IssuerContext, form: Record<string, string>): Promise<AuthorizeOutcome> {
  const { session, username, password } = form
  if (session === undefined || username === undefined || password === undefined || session.length > 128) {
    throw oauthError('invalid_request', 'session, username and password are required')
  }
  const par = await ctx.repo.takePushedAuthorizationRequest(hashSecret(ctx.crypto, `login:${session}`), ctx.now())
  if (par === null || par.params[LOGIN_SESSION_MARK] !== '1') {
    throw oauthError('invalid_request', 'login session unknown or expired; start again from the wallet', 'ERR_ISSUER_LOGIN_SESSION')
  }
  const params = par.params
  const account = hashSecret(ctx.crypto, `login-account:${username.normalize('NFC')}`)
  const attempt = await ctx.repo.registerLoginAttempt(account, ctx.now(), LOGIN_THROTTLE)
  if (!attempt.allowed) {
    throw oauthError('access_denied', 'too many failed sign-ins for this user id; try again later', 'ERR_ISSUER_LOGIN_LOCKED', {
      status: 429,
      headers: { 'Retry-After': String(attempt.retryAfter) },
    })
  }
  const n = ctx.config.passwordScryptN
  const user = username.length > 256 ? null : await ctx.repo.getUser(username)
  const stored = user?.passwordHash ?? null
  const ok = (await verifyPassword(password, stored ?? (await dummyPasswordHash(n)))) && stored !== null
  if (!ok || user === null || stored === null) {
    const next = await newLoginSession(ctx, par)
    return {
      kind: 'login',
      session: next,
      clientId: par.clientId,
      configurationIds: (params.credential_configuration_ids ?? '').split(' '),
      error: 'Unknown user or wrong password.',
      status: 401,
    }
  }
  await ctx.repo.clearLoginFailures(account)
  // Hashes made with an older, smaller cost are upgraded now that the password is known.
  if (needsRehash(stored, n)) await ctx.repo.setUserPasswordHash(user.id, await hashPassword(password, n))
  // An issuer-initiated offer is for one user: nobody else may complete it.
  if (params.offer_user !== undefined && params.offer_user !== user.id) {
    throw oauthError('access_denied', 'this credential offer was made for another user', 'ERR_ISSUER_OFFER_OTHER_USER')
  }
  const code = randomSecret(ctx.crypto)
  const now = ctx.now()
  await ctx.repo.saveAuthorizationCode({
    codeHash: hashSecret(ctx.crypto, code),
    userId: user.id,
    clientId: par.clientId,
    redirectUri: params.redirect_uri!,
    codeChallenge: params.code_challenge!,
    credentialConfigurationIds: (params.credential_configuration_ids ?? '').split(' ').filter((s) => s.length > 0),
    dpopJkt: params.dpop_jkt ?? null,
    createdAt: now,
    expiresAt: now + ctx.config.authorizationCodeTtl,
  })
  const location = new URL(params.redirect_uri!)
  location.searchParams.set('code', code)
  if (params.state !== undefined) location.searchParams.set('state', params.state)
  location.searchParams.set('iss', ctx.issuerUrl)
  return { kind: 'redirect', location: location.toString() }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The login page (no scripts, no external resources), in the wallet page's look (PAGE_STYLE). */
export function renderLoginPage(o: Extract<AuthorizeOutcome, { kind: 'login' }>, action: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in to the identity authority</title>
<style>${PAGE_STYLE}</style>
</head><body>
<header class="top"><h1>Identity authority</h1><p class="sub">Sign in to receive your identity credential in your wallet.</p></header>
<main class="narrow"><section class="card" aria-labelledby="signin-h">
<h2 id="signin-h">Sign in</h2>
<p>The wallet <strong class="claim-name">${esc(o.clientId)}</strong> asks for: ${o.configurationIds.map((id) => `<span class="badge format">${esc(id)}</span>`).join(' ')}</p>
${o.error === undefined ? '' : `<p class="error-text" role="alert">${esc(o.error)}</p>`}
<form method="post" action="${esc(action)}">
<input type="hidden" name="session" value="${esc(o.session)}">
<label for="username">User id</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in and issue</button>
</form></section></main></body></html>`
}
