/**
 * @module formats/sd-jwt
 * SD-JWT presentations (RFC 9901 §7.1/§7.3) through shared/sd-jwt, with issuer keys from the verifier's trust
 * store (SD-JWT VC §2.5: a key discovery mechanism permitted by policy). SD-JWT VC (`typ` `dc+sd-jwt`, the default;
 * legacy `vc+sd-jwt`) gets the SD-JWT VC rules (§2.2: `vct` and `iss` required, registered claims never disclosed).
 * A plain RFC 9901 SD-JWT is verified only when the policy names its other `typ` explicitly (e.g. `example+sd-jwt`,
 * the RFC's examples; explicit typing, RFC 9901 §9.11): then `vct` is not required, and is the credential type only
 * when present.
 */
import { E2eidError, SD_JWT_VC_FORMAT, isSdJwtVcTyp, sdJwtStatusReference, verifySdJwt, verifySdJwtVcPresentation } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import type { JsonObject, JsonValue } from '../claims/json.js'
import type { FormatVerified, FormatVerifyContext } from './types.js'

/** Verifies a compact SD-JWT (+KB-JWT) presentation. Errors: the shared ERR_SDJWT_* codes and the trust store's. */
export async function verifySdJwtFormat(compact: string, ctx: FormatVerifyContext): Promise<FormatVerified> {
  if (ctx.nonce instanceof Uint8Array) throw new E2eidError('ERR_POLICY_INVALID', 'an SD-JWT nonce is a string')
  if (ctx.typ !== undefined && typeof ctx.typ !== 'string') throw new E2eidError('ERR_POLICY_INVALID', 'an SD-JWT typ is a string')
  let issuerKeys: PublicJwk[] = []
  const common = {
    provider: ctx.provider,
    issuerKeys: async ({ iss, kid }: { iss: string | undefined; kid: string | undefined }) => {
      const r = await ctx.trust.issuerKeys({ iss, kid, format: SD_JWT_VC_FORMAT })
      issuerKeys = r.keys
      return r.keys
    },
    requireKeyBinding: ctx.requireKeyBinding,
    now: ctx.now,
    skew: ctx.skew,
    maxKbAge: ctx.keyBindingMaxAge,
    ...(ctx.aud === undefined ? {} : { aud: ctx.aud }),
    ...(ctx.nonce === undefined ? {} : { nonce: ctx.nonce }),
  }
  let v: { issuer: string | undefined; holderKey: PublicJwk | undefined; claims: Record<string, unknown>; vct: string | undefined; status: { uri: string; idx: number } | undefined; issuerKey: PublicJwk; keyBound: boolean }
  if (ctx.typ !== undefined && !isSdJwtVcTyp(ctx.typ)) {
    // Plain RFC 9901 SD-JWT under an explicitly expected typ: the SD-JWT VC profile does not apply.
    const p = await verifySdJwt(compact, { ...common, typ: ctx.typ })
    const { iss, vct } = p.claims
    v = {
      issuer: typeof iss === 'string' ? iss : undefined,
      holderKey: p.holderKey,
      claims: p.claims,
      vct: typeof vct === 'string' ? vct : undefined,
      status: sdJwtStatusReference(p.claims),
      issuerKey: p.issuerKey,
      keyBound: p.keyBinding !== undefined,
    }
  } else {
    const p = await verifySdJwtVcPresentation(compact, { ...common, ...(ctx.typ === undefined ? {} : { typ: ctx.typ }) })
    v = { issuer: p.issuer, holderKey: p.holderKey, claims: p.claims, vct: p.vct, status: p.status, issuerKey: p.issuerKey, keyBound: p.keyBinding !== undefined }
  }
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
    keyBound: v.keyBound,
    issuedAt: typeof iat === 'number' ? iat : undefined,
    expiresAt: typeof exp === 'number' ? exp : undefined,
  }
}
