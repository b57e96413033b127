/**
 * @module sd-jwt/vc-holder
 * Holder side of SD-JWT VC: the checks on receipt (RFC 9901 §7.2: the issuer-signed JWT as in
 * §7.1, every disclosure referenced, no KB-JWT; plus `cnf` is the holder's own key) and
 * presentation with a KB-JWT.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { ClaimPath } from './claim-path.js'
import { splitSdJwt } from './compact.js'
import { sdJwtError } from './errors.js'
import type { IssuerKeys } from './issuer-jwt.js'
import { checkIssuerSignedJwt, clockOptions, SD_JWT_CREDENTIAL_TIMES } from './issuer-jwt.js'
import { checkTokenTimes } from '../token-times.js'
import { holderKeyFromCnf } from './kb-jwt.js'
import { presentSdJwt } from './present.js'
import type { VerifiedSdJwtVc } from './vc-verify.js'
import { acceptedVcTyp, assertVcClaimsNotDisclosed, issuerOf, sameJwk, statusOf, vctOf } from './vc-profile.js'
import { DEFAULT_SKEW_SECONDS } from './verify.js'

/** Inputs of {@link checkSdJwtVcReceipt}. */
export interface CheckSdJwtVcReceiptOptions {
  readonly provider: CryptoProvider
  readonly issuerKeys: IssuerKeys
  /** The holder's own public key: `cnf.jwk` must be exactly this key. */
  readonly holderKey: PublicJwk
  readonly now?: number
  readonly skew?: number
  readonly typ?: string
  readonly acceptLegacyTyp?: boolean
  readonly algorithms?: readonly SignatureAlgorithm[]
}

/**
 * Checks a credential just received from the issuer before storing it. Returns what a verifier
 * would see if every disclosure were presented. An expired credential is refused (ERR_SDJWT_EXPIRED).
 */
export async function checkSdJwtVcReceipt(compact: string, o: CheckSdJwtVcReceiptOptions): Promise<VerifiedSdJwtVc> {
  const parts = splitSdJwt(compact)
  clockOptions(o.now, o.skew, DEFAULT_SKEW_SECONDS)
  // §7.2: at issuance the SD-JWT comes without key binding.
  if (parts.kbJwt !== undefined) throw sdJwtError('ERR_SDJWT_KB_UNEXPECTED', 'an issued SD-JWT must not carry a KB-JWT (§7.2)')
  const checked = await checkIssuerSignedJwt(parts, {
    provider: o.provider,
    issuerKeys: o.issuerKeys,
    typ: acceptedVcTyp(o.typ, o.acceptLegacyTyp),
    ...(o.algorithms ? { algorithms: o.algorithms } : {}),
  })
  const { claims } = checked
  assertVcClaimsNotDisclosed(checked.topLevelDisclosed)
  const { now, skew } = clockOptions(o.now, o.skew, DEFAULT_SKEW_SECONDS)
  // The holder checks only exp: a credential not yet valid may still be stored.
  checkTokenTimes({ exp: claims.exp }, { now, skew, codes: { invalid: SD_JWT_CREDENTIAL_TIMES.invalid, expired: SD_JWT_CREDENTIAL_TIMES.expired } })
  const holderKey = holderKeyFromCnf(claims)
  let own: PublicJwk
  try {
    own = parsePublicJwk(o.holderKey)
  } catch (e) {
    throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'holderKey is not a supported public key', e)
  }
  if (!sameJwk(holderKey, own)) throw sdJwtError('ERR_SDJWT_CNF_MISMATCH', 'cnf.jwk is not the holder key')
  return {
    issuer: issuerOf(claims),
    holderKey,
    claims,
    header: checked.jwt.header,
    status: statusOf(claims),
    vct: vctOf(claims),
    keyBinding: undefined,
    issuerKey: checked.issuerKey,
  }
}

/** Inputs of {@link presentSdJwtVc}. */
export interface PresentSdJwtVcOptions {
  readonly provider: CryptoProvider
  /** The issued SD-JWT VC as stored (`<JWT>~<D1>~...~`). */
  readonly sdJwtVc: string
  /** Claim paths to disclose (`email`, `address.country`, `nationalities.1`); containers come along. */
  readonly disclose: readonly (string | ClaimPath)[]
  readonly holderKey: PrivateJwk
  readonly alg?: SignatureAlgorithm
  readonly aud: string
  readonly nonce: string
  /** KB-JWT `iat` (default: `now`, else the system clock). */
  readonly iat?: number
  readonly now?: number
}

/** Builds an SD-JWT+KB presentation of an SD-JWT VC. */
export async function presentSdJwtVc(o: PresentSdJwtVcOptions): Promise<string> {
  return presentSdJwt({
    provider: o.provider,
    sdJwt: o.sdJwtVc,
    disclose: o.disclose,
    holderKey: o.holderKey,
    ...(o.alg ? { alg: o.alg } : {}),
    aud: o.aud,
    nonce: o.nonce,
    iat: o.iat ?? o.now ?? Math.floor(Date.now() / 1000),
  })
}
