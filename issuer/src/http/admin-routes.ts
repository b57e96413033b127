/**
 * @module http/admin-routes
 * The admin API (`/admin/*`): users, offers, issued credentials and their status, signing keys. Every
 * request needs `Authorization: Bearer <admin token>`, checked in constant time; no CORS.
 */
import type { Hono } from 'hono'
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { requestLog } from '@e2eid/shared/node'
import { oauthError } from './oauth-error.js'
import { readJson } from './body.js'
import { checkAdminToken } from '../admin/admin-token.js'
import { addUser, zNewUser } from '../admin/users.js'
import { adminCreateOffer, zOfferRequest } from '../admin/offers.js'
import { changeCredentialStatus, listUserCredentials, summarizeCredential } from '../admin/credentials.js'
import { activeSigningKey, addSigningKey, listSigningKeys, retireSigningKey } from '../keys/signing-keys.js'

const zStatusChange = z.object({ status: z.enum(['revoked', 'suspended', 'valid']) })
const zNewKey = z.object({ alg: z.enum(['ES256', 'EdDSA', 'ES384']) })

function parse<T>(schema: z.ZodType<T>, v: unknown): T {
  const r = schema.safeParse(v)
  if (!r.success) {
    const i = r.error.issues[0]
    throw oauthError('invalid_request', `${i?.path.map(String).join('.') ?? ''}: ${i?.message ?? 'invalid'}`, 'ERR_ISSUER_ADMIN_INPUT')
  }
  return r.data
}

/** Registers the admin routes on `app`. */
export function registerAdminRoutes(app: Hono, ctx: IssuerContext): void {
  app.use('/admin/*', async (c, next) => {
    const header = c.req.header('authorization')
    const m = /^Bearer (\S{1,512})$/.exec(header ?? '')
    if (m === null || !(await checkAdminToken(ctx.repo, ctx.crypto, m[1]!))) {
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
  app.get('/admin/users/:id', async (c) => {
    const u = await ctx.repo.getUser(c.req.param('id'))
    if (u === null) throw oauthError('not_found', 'no such user', 'ERR_ISSUER_USER_NOT_FOUND')
    return c.json({ id: u.id, claims: u.claims, can_log_in: u.passwordHash !== null, created_at: u.createdAt })
  })
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
    return c.json(keys.map((k) => ({ kid: k.kid, alg: k.alg, created_at: k.createdAt, retired_at: k.retiredAt, public_jwk: k.publicJwk })))
  })
  app.post('/admin/keys', async (c) => {
    const body = parse(zNewKey, await readJson(c))
    const k = await addSigningKey(ctx, body.alg)
    return c.json({ kid: k.kid, alg: k.alg, public_jwk: k.publicJwk }, 201)
  })
  app.post('/admin/keys/:kid/retire', async (c) => {
    await retireSigningKey(ctx, c.req.param('kid'))
    return c.json({ kid: c.req.param('kid'), retired: true })
  })
}
