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

/** Claim names a user record may not carry (registered JWT/CWT/SD-JWT/VC claims the issuer sets). */
export const RESERVED_CLAIMS: readonly string[] = ['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cti', 'cnf', 'status', 'vct', 'vct#integrity', '_sd', '_sd_alg', '...', 'sd_hash', 'type']

export const zNewUser = z.object({
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9@._+:-]+$/, 'id: letters, digits and @._+:- only'),
  claims: z.record(z.string().min(1).max(64), z.unknown()),
  password: z.string().min(8).max(256).optional(),
})
export type NewUser = z.infer<typeof zNewUser>

/** Creates a user; 409 if the id exists, 400 for reserved or oversized claims. */
export async function addUser(ctx: IssuerContext, input: NewUser): Promise<{ id: string }> {
  for (const name of Object.keys(input.claims)) {
    if (RESERVED_CLAIMS.includes(name)) throw oauthError('invalid_request', `claim ${name} is set by the issuer, not by the user record`, 'ERR_ISSUER_RESERVED_CLAIM')
    // In an SD-CWT the attributes become text labels next to the integer labels the issuer sets (1 iss, 8 cnf,
    // 65535 status, ...); "1" beside 1 is valid CBOR but collides in every JSON view (wallets refuse it).
    if (/^-?\d+$/.test(name)) throw oauthError('invalid_request', `claim ${name} looks like a CWT integer label; use a text name`, 'ERR_ISSUER_RESERVED_CLAIM')
  }
  if (JSON.stringify(input.claims).length > 16_384) throw oauthError('invalid_request', 'claims are too large', 'ERR_ISSUER_CLAIMS_TOO_LARGE')
  if ((await ctx.repo.getUser(input.id)) !== null) throw oauthError('conflict', `user ${input.id} exists`, 'ERR_ISSUER_USER_EXISTS')
  await ctx.repo.createUser({
    id: input.id,
    claims: input.claims,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password, ctx.config.passwordScryptN),
    createdAt: ctx.now(),
  })
  return { id: input.id }
}
