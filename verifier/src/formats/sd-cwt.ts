/**
 * @module formats/sd-cwt
 * SD-CWT presentations (draft-ietf-spice-sd-cwt-08 §9) through shared/sd-cwt. The issuer key is chosen before
 * any signature is checked, from the trust store by the SD-CWT's `iss` (claim 1) and `kid` (header 4); the
 * verification then pins that issuer (`expectedIssuer`). A KBT (typ 294) is always checked with its key binding;
 * a bare SD-CWT (typ 293) is accepted only when the policy waives key binding.
 */
import {
  E2eidError,
  SD_CWT_HEADER,
  CWT_CLAIM,
  decodeCoseSign1,
  decodeSdCwtPresentation,
  parseCoseSign1,
  isKbtTyp,
  parseSdCwt,
  statusReferenceFromCwtClaims,
  verifyIssuedSdCwt,
  verifySdCwtPresentation,
  utf8Encode,
  cborToJson as sharedCborToJson,
} from '@e2eid/shared'
import type { SdCwtToken, VerifiedSdCwt, VerifyPresentationOptions } from '@e2eid/shared'
import type { JsonValue } from '../claims/json.js'
import { kidToString } from '../trust/kid.js'
import { assertJsonView, lazyJsonView } from './cbor-json.js'
import type { FormatVerified, FormatVerifyContext, StatusReference } from './types.js'

const COSE_KID = 4
/** CBOR limits for a whole SD-CWT presentation (a caller that decodes it first must use these). */
export const SD_CWT_LIMITS = Object.freeze({ maxBytes: 1 << 20, maxDepth: 32 })
const LIMITS = SD_CWT_LIMITS

function kidOf(token: SdCwtToken): string | undefined {
  const kid = token.sign1.protectedHeaders.get(COSE_KID) ?? token.sign1.unprotectedHeaders.get(COSE_KID)
  if (kid === undefined) return undefined
  if (!(kid instanceof Uint8Array) && typeof kid !== 'string') throw new E2eidError('ERR_SDCWT_HEADER_INVALID', 'kid must be a byte string')
  return kidToString(kid)
}

function statusOf(claims: Map<unknown, unknown>): StatusReference | undefined {
  if (!claims.has(65535)) return undefined
  const ref = statusReferenceFromCwtClaims(claims)
  return { uri: ref.uri, idx: ref.idx }
}

/**
 * Verifies an SD-CWT KBT (or, with key binding waived, a bare SD-CWT). Errors: ERR_SDCWT_*, ERR_COSE_*, ERR_CBOR_*, trust codes.
 * `decoded`, when given, is `decodeCbor(bytes, SD_CWT_LIMITS)` already made by the caller (the MLS adapter reads the
 * KBT `aud` first): the bytes are then not decoded a second time.
 */
export async function verifySdCwtFormat(bytes: Uint8Array, ctx: FormatVerifyContext, decoded?: unknown): Promise<FormatVerified> {
  const outer = decoded === undefined ? decodeCoseSign1(bytes, LIMITS) : parseCoseSign1(decoded, LIMITS)
  const isKbt = isKbtTyp(outer.protectedHeaders.get(SD_CWT_HEADER.typ))
  if (!isKbt && ctx.requireKeyBinding) throw new E2eidError('ERR_SDCWT_KBT_MISSING', 'key binding is required: expected a KBT (typ 294)')
  // Unverified look at the SD-CWT only to pick the issuer's keys (SD-JWT VC §2.5 analogue); nothing else is trusted yet.
  // A KBT is decoded once: verifySdCwtPresentation takes the decoded pair instead of the bytes.
  const presentation = isKbt ? decodeSdCwtPresentation(outer, LIMITS) : undefined
  const token = presentation?.token ?? parseSdCwt(bytes, LIMITS)
  // An overridden typ names the SD-CWT's typ (293 by default) or, for a KBT, the KBT's own (294).
  if (ctx.typ !== undefined) {
    const sdTyp = token.sign1.protectedHeaders.get(SD_CWT_HEADER.typ)
    const kbtTyp = isKbt ? outer.protectedHeaders.get(SD_CWT_HEADER.typ) : undefined
    if (sdTyp !== ctx.typ && kbtTyp !== ctx.typ) throw new E2eidError('ERR_VERIFY_TYP_MISMATCH', `neither the SD-CWT nor the KBT has typ ${JSON.stringify(ctx.typ)}`)
  }
  const iss = token.claims.get(CWT_CLAIM.iss)
  const { keys } = await ctx.trust.issuerKeys({ iss: typeof iss === 'string' ? iss : undefined, kid: kidOf(token), format: 'sd-cwt' })
  const expectedIssuer = typeof iss === 'string' ? iss : undefined
  let v: VerifiedSdCwt
  if (presentation !== undefined) {
    const nonce = typeof ctx.nonce === 'string' ? utf8Encode(ctx.nonce) : ctx.nonce
    const options: VerifyPresentationOptions = { issuerKeys: keys, provider: ctx.provider, now: ctx.now, skew: ctx.skew, limits: LIMITS, aud: ctx.aud ?? '', maxKbtAge: ctx.keyBindingMaxAge }
    if (expectedIssuer !== undefined) options.expectedIssuer = expectedIssuer
    if (nonce !== undefined) options.cnonce = nonce
    v = await verifySdCwtPresentation(presentation, options)
  } else {
    v = await verifyIssuedSdCwt(token, { issuerKeys: keys, provider: ctx.provider, now: ctx.now, skew: ctx.skew, limits: LIMITS, mode: 'verifier', ...(expectedIssuer === undefined ? {} : { expectedIssuer }) })
  }
  // Claims without a JSON view are refused now; the view itself is built when (and if) someone reads it.
  assertJsonView(v.claims)
  // specs/openid4vci-sd-cwt-format.md §5: vct is CWT claim 11 (a text label "vct" is read as a fallback).
  const vct = v.claims.get(11) ?? v.claims.get('vct')
  return {
    issuer: v.issuer,
    holderKey: v.holderKey,
    claims: lazyJsonView(v.claims),
    subject: subjectOf(v.claims),
    credentialType: typeof vct === 'string' ? vct : undefined,
    statusRef: statusOf(v.claims),
    issuerKey: v.issuerKey,
    issuerKeys: [...keys],
    keyBound: isKbt,
    issuedAt: v.times.iat,
    expiresAt: v.times.exp,
  }
}

// What the JSON view would give for `claims.sub ?? claims["2"]`, without building the view.
function subjectOf(claims: Map<unknown, unknown>): JsonValue | undefined {
  const named = claims.has('sub') ? sharedCborToJson(claims.get('sub')) : undefined
  return named ?? (claims.has(CWT_CLAIM.sub) ? sharedCborToJson(claims.get(CWT_CLAIM.sub)) : undefined)
}
