/**
 * @module formats/sd-jwt
 * SD-JWT VC presentations (RFC 9901 §7.1/§7.3, SD-JWT VC §2.4) through shared/sd-jwt, with issuer keys
 * from the verifier's trust store (SD-JWT VC §2.5: a key discovery mechanism permitted by policy).
 */
import { E2eidError, verifySdJwtVcPresentation } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import type { JsonObject, JsonValue } from '../claims/json.js'
import type { FormatVerified, FormatVerifyContext } from './types.js'

/** Verifies a compact SD-JWT (+KB-JWT) presentation. Errors: the shared ERR_SDJWT_* codes and the trust store's. */
export async function verifySdJwtFormat(compact: string, ctx: FormatVerifyContext): Promise<FormatVerified> {
  if (ctx.nonce instanceof Uint8Array) throw new E2eidError('ERR_POLICY_INVALID', 'an SD-JWT nonce is a string')
  if (ctx.typ !== undefined && typeof ctx.typ !== 'string') throw new E2eidError('ERR_POLICY_INVALID', 'an SD-JWT typ is a string')
  let issuerKeys: PublicJwk[] = []
  const v = await verifySdJwtVcPresentation(compact, {
    provider: ctx.provider,
    issuerKeys: async ({ iss, kid }) => {
      const r = await ctx.trust.issuerKeys({ iss, kid, format: 'dc+sd-jwt' })
      issuerKeys = r.keys
      return r.keys
    },
    requireKeyBinding: ctx.requireKeyBinding,
    now: ctx.now,
    skew: ctx.skew,
    maxKbAge: ctx.keyBindingMaxAge,
    ...(ctx.aud === undefined ? {} : { aud: ctx.aud }),
    ...(ctx.nonce === undefined ? {} : { nonce: ctx.nonce }),
    ...(ctx.typ === undefined ? {} : { typ: ctx.typ }),
  })
  const iat = v.claims.iat
  const exp = v.claims.exp
  return {
    issuer: v.issuer,
    holderKey: v.holderKey,
    claims: () => v.claims as JsonObject,
    subject: (v.claims.sub ?? v.claims['2']) as JsonValue | undefined,
    credentialType: v.vct,
    statusRef: v.status === undefined ? undefined : { uri: v.status.uri, idx: v.status.idx },
    issuerKey: v.issuerKey,
    issuerKeys,
    keyBound: v.keyBinding !== undefined,
    issuedAt: typeof iat === 'number' ? iat : undefined,
    expiresAt: typeof exp === 'number' ? exp : undefined,
  }
}
