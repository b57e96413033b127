/**
 * @module admin/users
 * The issuer's user directory: who may obtain credentials and with which attributes. Attribute
 * names that the credential formats set themselves (iss, iat, cnf, status, ...) are refused, so a
 * user record can never override them.
 */
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import { hashPassword } from '../util/password.js'
import type { UserRecord } from '../storage/repository.js'
import { STATUS } from './credentials.js'

/** Claim names a user record may not carry (registered JWT/CWT/SD-JWT/VC claims the issuer sets). */
const RESERVED_CLAIMS: readonly string[] = ['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cti', 'cnf', 'status', 'vct', 'vct#integrity', '_sd', '_sd_alg', '...', 'sd_hash', 'type']

const zUserId = z.string().min(1).max(128).regex(/^[A-Za-z0-9@._+:-]+$/, 'id: letters, digits and @._+:- only')
const zClaims = z.record(z.string().min(1).max(64), z.unknown())
const zPassword = z.string().min(8).max(256)

export const zNewUser = z.object({
  id: zUserId,
  claims: zClaims,
  password: zPassword.optional(),
})
export type NewUser = z.infer<typeof zNewUser>

/** PATCH /admin/users/{id}: new claims (replacing all of them) and/or a new password (null: the user can no longer log in). */
export const zUserUpdate = z
  .object({
    claims: zClaims.optional(),
    password: zPassword.nullable().optional(),
  })
  .strict()
  .refine((u) => u.claims !== undefined || u.password !== undefined, 'give claims and/or password')
export type UserUpdate = z.infer<typeof zUserUpdate>

/** GET /admin/users query: a page of at most `limit` users (ordered by id) after the id `after`. */
export const zUserListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: zUserId.optional(),
})

/** A user as the admin API shows it (never the password hash). */
export interface UserView {
  id: string
  claims: Record<string, unknown>
  can_log_in: boolean
  created_at: number
}

function userView(u: UserRecord): UserView {
  return { id: u.id, claims: u.claims, can_log_in: u.passwordHash !== null, created_at: u.createdAt }
}

function checkClaims(claims: Record<string, unknown>): void {
  for (const name of Object.keys(claims)) {
    if (RESERVED_CLAIMS.includes(name)) throw oauthError('invalid_request', `claim ${name} is set by the issuer, not by the user record`, 'ERR_ISSUER_RESERVED_CLAIM')
    // In an SD-CWT the attributes become text labels next to the integer labels the issuer sets (1 iss, 8 cnf,
    // 65535 status, ...); "1" beside 1 is valid CBOR but collides in every JSON view (wallets refuse it).
    if (/^-?\d+$/.test(name)) throw oauthError('invalid_request', `claim ${name} looks like a CWT integer label; use a text name`, 'ERR_ISSUER_RESERVED_CLAIM')
  }
  if (JSON.stringify(claims).length > 16_384) throw oauthError('invalid_request', 'claims are too large', 'ERR_ISSUER_CLAIMS_TOO_LARGE')
}

/** Creates a user; 409 if the id exists, 400 for reserved or oversized claims. */
export async function addUser(ctx: IssuerContext, input: NewUser): Promise<{ id: string }> {
  checkClaims(input.claims)
  if ((await ctx.repo.getUser(input.id)) !== null) throw oauthError('conflict', `user ${input.id} exists`, 'ERR_ISSUER_USER_EXISTS')
  await ctx.repo.createUser({
    id: input.id,
    claims: input.claims,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password, ctx.config.passwordScryptN),
    createdAt: ctx.now(),
  })
  return { id: input.id }
}

function notFound(id: string): never {
  throw oauthError('not_found', `no user ${id}`, 'ERR_ISSUER_USER_NOT_FOUND')
}

/** One page of users (ordered by id); `next` is the `after` value of the following page, null on the last. */
export async function listUsers(ctx: IssuerContext, q: z.infer<typeof zUserListQuery>): Promise<{ users: UserView[]; next: string | null }> {
  const rows = await ctx.repo.listUsersPage(q.after ?? null, q.limit + 1)
  const page = rows.slice(0, q.limit)
  return { users: page.map(userView), next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null }
}

export async function getUserView(ctx: IssuerContext, id: string): Promise<UserView> {
  const u = id.length > 128 ? null : await ctx.repo.getUser(id)
  if (u === null) notFound(id)
  return userView(u)
}

/** Changes a user's claims (same rules as creation) and/or password. Credentials already issued keep their claims. */
export async function updateUser(ctx: IssuerContext, id: string, input: UserUpdate): Promise<UserView> {
  if (input.claims !== undefined) checkClaims(input.claims)
  const passwordHash = input.password === undefined ? undefined : input.password === null ? null : await hashPassword(input.password)
  const ok = id.length <= 128 && (await ctx.repo.updateUser(id, { ...(input.claims === undefined ? {} : { claims: input.claims }), ...(passwordHash === undefined ? {} : { passwordHash }) }))
  if (!ok) notFound(id)
  return getUserView(ctx, id)
}

/**
 * Removes a user. Refused (409 ERR_ISSUER_USER_HAS_VALID_CREDENTIALS) while a credential of theirs is neither revoked
 * nor expired: once its record is gone it could no longer be revoked. With `revoke`, every such credential is revoked
 * first (status list bit INVALID, final), then the user is removed. The status list entries of removed credentials
 * stay allocated with their bits (see IssuerRepository.removeUser).
 */
export async function removeUser(ctx: IssuerContext, id: string, revoke: boolean): Promise<{ id: string; removed: true; revoked: string[]; credentials: number }> {
  if (id.length > 128 || (await ctx.repo.getUser(id)) === null) notFound(id)
  const revoked: string[] = []
  if (revoke) {
    for (const c of await ctx.repo.listCredentials(id)) {
      if (c.status === STATUS.revoked) continue
      await ctx.repo.setCredentialStatus(c.id, STATUS.revoked, ctx.now())
      revoked.push(c.id)
    }
  }
  const r = await ctx.repo.removeUser(id, ctx.now())
  if (r.ok) return { id, removed: true, revoked, credentials: r.credentials }
  if (r.reason === 'unknown') notFound(id)
  throw oauthError(
    'conflict',
    `user ${id} has ${r.credentialIds.length} credential(s) neither revoked nor expired (${r.credentialIds.slice(0, 5).join(', ')}); revoke them first (e2eid issuer revoke --credential ID) or remove with --revoke`,
    'ERR_ISSUER_USER_HAS_VALID_CREDENTIALS',
  )
}
