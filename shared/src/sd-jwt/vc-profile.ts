/**
 * @module sd-jwt/vc-profile
 * The SD-JWT VC profile (draft-ietf-oauth-sd-jwt-vc-18/-19) on top of RFC 9901: `typ`
 * `dc+sd-jwt` (`vc+sd-jwt` only behind a flag), `vct` required, the claims that must never be
 * selectively disclosed, and the `status` claim (Token Status List, JWT form).
 */
import type { PublicJwk } from '../crypto/jwk.js'
import { sdJwtError } from './errors.js'
import { isJsonObject } from './json.js'
import { normalizeTypValue } from './jwt.js'
import { SD_JWT_VC_FORMAT, SD_JWT_VC_LEGACY_TYP } from '../format-ids.js'

/** The `typ` of an SD-JWT VC (SD-JWT VC §2.2.1): the format identifier. */
export const SD_JWT_VC_TYP = SD_JWT_VC_FORMAT
/** The pre-November-2024 `typ` (format-ids.ts). */
export { SD_JWT_VC_LEGACY_TYP }

/** Claims that MUST NOT be selectively disclosed (SD-JWT VC §2.2.2). */
export const SD_JWT_VC_NON_DISCLOSABLE_CLAIMS: readonly string[] = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', 'aka_vcts']

/** A Token Status List reference (`status.status_list`, draft-ietf-oauth-status-list §6.1). */
export interface StatusListReference {
  readonly idx: number
  readonly uri: string
}

/**
 * True for the SD-JWT VC `typ` values (`dc+sd-jwt`, legacy `vc+sd-jwt`; an `application/` prefix allowed, RFC 7515
 * §4.1.9). Only these carry the SD-JWT VC rules (vct required, claims never disclosed); any other explicit typ
 * (e.g. RFC 9901's `example+sd-jwt`) is a plain RFC 9901 SD-JWT.
 */
export function isSdJwtVcTyp(typ: string): boolean {
  const t = normalizeTypValue(typ)
  return t === SD_JWT_VC_TYP || t === SD_JWT_VC_LEGACY_TYP
}

/** The `typ` values a verifier accepts. */
export function acceptedVcTyp(typ: string | undefined, acceptLegacyTyp: boolean | undefined): string[] {
  const t = [typ ?? SD_JWT_VC_TYP]
  if (acceptLegacyTyp === true && typ === undefined) t.push(SD_JWT_VC_LEGACY_TYP)
  return t
}

/** Rejects a VC whose non-disclosable claims arrived through disclosures. */
export function assertVcClaimsNotDisclosed(topLevelDisclosed: ReadonlySet<string>): void {
  for (const name of SD_JWT_VC_NON_DISCLOSABLE_CLAIMS) {
    if (topLevelDisclosed.has(name)) throw sdJwtError('ERR_SDJWT_VC_CLAIM_DISCLOSED', `${name} must not be selectively disclosed (SD-JWT VC §2.2.2)`)
  }
}

/** `vct` (REQUIRED, a case-sensitive string). */
export function vctOf(claims: Record<string, unknown>): string {
  const vct = claims.vct
  if (typeof vct !== 'string' || vct === '') throw sdJwtError('ERR_SDJWT_VCT_MISSING', 'the credential has no vct')
  return vct
}

/** `iss`: required by our profile (issuer keys are resolved by it). */
export function issuerOf(claims: Record<string, unknown>): string {
  const iss = claims.iss
  if (typeof iss !== 'string' || iss === '') throw sdJwtError('ERR_SDJWT_ISS_MISSING', 'the credential has no iss')
  return iss
}

/**
 * The `status.status_list` reference, if any; ERR_SDJWT_STATUS_INVALID when malformed. (draft-ietf-oauth-status-list
 * §6.1 defines `status` for any JWT, so it is read from plain SD-JWTs too.)
 */
export function statusOf(claims: Record<string, unknown>): StatusListReference | undefined {
  const status = claims.status
  if (status === undefined) return undefined
  if (!isJsonObject(status)) throw sdJwtError('ERR_SDJWT_STATUS_INVALID', 'status must be a JSON object')
  const sl = status.status_list
  if (sl === undefined) return undefined
  if (!isJsonObject(sl) || typeof sl.uri !== 'string' || !Number.isSafeInteger(sl.idx) || (sl.idx as number) < 0) {
    throw sdJwtError('ERR_SDJWT_STATUS_INVALID', 'status.status_list must have a non-negative integer idx and a uri')
  }
  return { idx: sl.idx as number, uri: sl.uri }
}

/** Compares two public JWKs by key material (kid, alg, use ignored). */
export function sameJwk(a: PublicJwk, b: PublicJwk): boolean {
  if (a.kty !== b.kty || a.crv !== b.crv || a.x !== b.x) return false
  return a.kty !== 'EC' || (b.kty === 'EC' && a.y === b.y)
}
