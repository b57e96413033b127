/**
 * @module http/admin-routes
 * The admin API (`/admin/*`): users, offers, issued credentials and their status, signing keys. Every
 * request needs `Authorization: Bearer <admin token>`, checked in constant time; no CORS.
 */
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { parseWith } from '@e2eid/shared'
import { requestLog } from '@e2eid/shared/node'
import { asOAuthError, oauthError } from './oauth-error.js'
import { readJson } from './body.js'
import { peerAddress } from './client-address.js'
import { checkAdminToken } from '../admin/admin-token.js'
import { addUser, getUserView, listUsers, removeUser, updateUser, zNewUser, zUserListQuery, zUserUpdate } from '../admin/users.js'
import { adminCreateOffer, zOfferRequest } from '../admin/offers.js'
import { changeCredentialStatus, listUserCredentials, summarizeCredential } from '../admin/credentials.js'
import { activeSigningKey, addSigningKey, compromiseSigningKey, listSigningKeys, retireSigningKey } from '../keys/signing-keys.js'

export const zStatusChange = z.object({ status: z.enum(['revoked', 'suspended', 'valid']) })
export const zNewKey = z.object({ alg: z.enum(['ES256', 'EdDSA', 'ES384']) })
/** DELETE /admin/users/{id} query: `revoke=true` revokes the user's unrevoked credentials first. */
export const zUserRemoveQuery = z.object({ revoke: z.enum(['true', 'false']).default('false') })
/** `since`: UNIX seconds or an ISO 8601 date-time; absent = the key's creation (everything it signed). */
export const zCompromise = z.object({ since: z.union([z.number().int().min(0), z.string().datetime({ offset: true })]).optional() })

function parse<T>(schema: z.ZodType<T>, v: unknown): T {
  return parseWith(schema, v, 'ERR_ISSUER_ADMIN_INPUT', (i) => `${i?.path.map(String).join('.') ?? ''}: ${i?.message ?? 'invalid'}`, asOAuthError('invalid_request'))
}

/** Registers the admin routes on `app`. */
export function registerAdminRoutes(app: Hono, ctx: IssuerContext, addressOf: (c: Context) => string = (c) => peerAddress(c.env)): void {
  app.use('/admin/*', async (c, next) => {
    // Failed authentications per client address are counted in the database (all instances);
    // past the limit the token is not even checked until the window ends.
    const failures = `admin-failure:${addressOf(c)}`
    const now = ctx.now()
    if ((await ctx.repo.rateCounter(failures, 60, now, false)) >= ctx.config.rateLimitsPerMinute.adminFailures) {
      requestLog(c).warn({ event: 'admin_throttled' }, 'admin authentication throttled')
      throw oauthError('too_many_requests', 'too many failed admin authentications, retry later', 'ERR_ISSUER_ADMIN_THROTTLED', {
        headers: { 'Retry-After': String(Math.max(1, 60 - (now % 60))) },
      })
    }
    const header = c.req.header('authorization')
    const m = /^Bearer (\S{1,512})$/.exec(header ?? '')
    if (m === null || !(await checkAdminToken(ctx.repo, ctx.crypto, m[1]!))) {
      await ctx.repo.rateCounter(failures, 60, now, true)
      // Missing and wrong are told apart (the operator's fix differs); the token itself is never logged.
      const missing = header === undefined || header === ''
      requestLog(c).warn({ event: 'admin_token_refused', reason: missing ? 'missing' : 'wrong' }, 'admin token refused')
      throw oauthError('unauthorized', missing ? 'admin token required (Authorization: Bearer)' : 'wrong admin token', missing ? 'ERR_ISSUER_ADMIN_TOKEN_MISSING' : 'ERR_ISSUER_ADMIN_TOKEN_INVALID', {
        headers: { 'WWW-Authenticate': missing ? 'Bearer realm="e2eid-issuer-admin"' : 'Bearer realm="e2eid-issuer-admin", error="invalid_token"' },
      })
    }
    c.header('Cache-Control', 'no-store')
    await next()
  })
  app.post('/admin/users', async (c) => c.json(await addUser(ctx, parse(zNewUser, await readJson(c))), 201))
  app.get('/admin/users', async (c) => c.json(await listUsers(ctx, parse(zUserListQuery, c.req.query()))))
  app.get('/admin/users/:id', async (c) => c.json(await getUserView(ctx, c.req.param('id'))))
  app.patch('/admin/users/:id', async (c) => c.json(await updateUser(ctx, c.req.param('id'), parse(zUserUpdate, await readJson(c)))))
  app.delete('/admin/users/:id', async (c) => c.json(await removeUser(ctx, c.req.param('id'), parse(zUserRemoveQuery, c.req.query()).revoke === 'true')))
  app.get('/admin/users/:id/credentials', async (c) => c.json(await listUserCredentials(ctx, c.req.param('id'))))
  app.post('/admin/offers', async (c) => c.json(await adminCreateOffer(ctx, parse(zOfferRequest, await readJson(c))), 201))
  app.get('/admin/credentials/:id', async (c) => {
    const r = await ctx.repo.getCredential(c.req.param('id'))
    if (r === null) throw oauthError('not_found', 'no such credential', 'ERR_ISSUER_CREDENTIAL_NOT_FOUND')
    return c.json(summarizeCredential(ctx, r))
  })
  app.post('/admin/credentials/:id/status', async (c) => {
    const body = parse(zStatusChange, await readJson(c))
    const changed = await changeCredentialStatus(ctx, c.req.param('id'), body.status)
    requestLog(c).info({ event: 'credential_status_changed', credential_id: c.req.param('id'), status: body.status }, `credential ${body.status}`)
    return c.json(changed)
  })
  app.get('/admin/keys', async (c) => {
    await activeSigningKey(ctx)
    const keys = await listSigningKeys(ctx)
    return c.json(keys.map((k) => ({ kid: k.kid, alg: k.alg, created_at: k.createdAt, retired_at: k.retiredAt, compromised_since: k.compromisedSince ?? null, public_jwk: k.publicJwk })))
  })
  app.post('/admin/keys', async (c) => {
    const body = parse(zNewKey, await readJson(c))
    const k = await addSigningKey(ctx, body.alg)
    return c.json({ kid: k.kid, alg: k.alg, public_jwk: k.publicJwk }, 201)
  })
  app.post('/admin/keys/:kid/retire', async (c) => {
    await retireSigningKey(ctx, c.req.param('kid'))
    requestLog(c).info({ event: 'signing_key_retired', kid: c.req.param('kid') }, 'signing key retired')
    return c.json({ kid: c.req.param('kid'), retired: true })
  })
  // Withdraw a compromised key (no longer signs, no longer published; see README, operator procedure).
  app.post('/admin/keys/:kid/compromise', async (c) => {
    const body = parse(zCompromise, await readJson(c))
    const since = typeof body.since === 'string' ? Math.floor(Date.parse(body.since) / 1000) : body.since
    const r = await compromiseSigningKey(ctx, c.req.param('kid'), since)
    requestLog(c).warn({ event: 'signing_key_compromised', kid: r.kid, compromised_since: r.compromisedSince, active_kid: r.activeKid }, 'signing key withdrawn as compromised')
    return c.json({ kid: r.kid, compromised_since: r.compromisedSince, active_kid: r.activeKid })
  })
}
