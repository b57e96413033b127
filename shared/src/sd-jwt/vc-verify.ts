/**
 * @module sd-jwt/vc-verify
 * Verifier side of SD-JWT VC (§2.4): RFC 9901 §7.1/§7.3 via {@link verifySdJwt}, then the VC
 * profile: `typ` `dc+sd-jwt`, `iss` and `vct` present, registered claims not disclosed,
 * `cnf.jwk` present when key binding is required, `status` well formed.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { IssuerKeys } from './issuer-jwt.js'
import type { KeyBindingClaims } from './kb-jwt.js'
import type { StatusListReference } from './vc-profile.js'
import { acceptedVcTyp, assertVcClaimsNotDisclosed, issuerOf, statusOf, vctOf } from './vc-profile.js'
import { verifySdJwt } from './verify.js'

/** Verifier policy for {@link verifySdJwtVcPresentation}. */
export interface VerifySdJwtVcOptions {
  readonly provider: CryptoProvider
  /** Trusted issuer keys, or a resolver by `iss` / `kid`. */
  readonly issuerKeys: IssuerKeys
  /** Expected KB-JWT `aud` (required when a KB-JWT is checked). */
  readonly aud?: string
  /** Expected KB-JWT `nonce`; when omitted, check `keyBinding.nonce` for replay yourself. */
  readonly nonce?: string
  /** Key binding required by policy (default true). */
  readonly requireKeyBinding?: boolean
  /** Current time in seconds since the epoch (default: the system clock). */
  readonly now?: number
  /** Clock skew in seconds (default 30). */
  readonly skew?: number
  /** Maximum KB-JWT age in seconds (default 300). */
  readonly maxKbAge?: number
  /** Expected `typ` (default `dc+sd-jwt`). */
  readonly typ?: string
  /** Also accept the legacy `vc+sd-jwt` (only when `typ` is not overridden). */
  readonly acceptLegacyTyp?: boolean
  readonly algorithms?: readonly SignatureAlgorithm[]
  readonly kbAlgorithms?: readonly SignatureAlgorithm[]
  readonly maxLength?: number
}

/** A verified SD-JWT VC presentation. */
export interface VerifiedSdJwtVc {
  readonly issuer: string
  /** `cnf.jwk`; always present when key binding was required. */
  readonly holderKey: PublicJwk | undefined
  /** The processed payload (§7.1 step 3). */
  readonly claims: Record<string, unknown>
  readonly header: Record<string, unknown>
  readonly status: StatusListReference | undefined
  readonly vct: string
  readonly keyBinding: KeyBindingClaims | undefined
  readonly issuerKey: PublicJwk
}

/** Verifies an SD-JWT VC presentation, deny by default. Every failure is an E2eidError `ERR_SDJWT_*`. */
export async function verifySdJwtVcPresentation(compact: string, o: VerifySdJwtVcOptions): Promise<VerifiedSdJwtVc> {
  const v = await verifySdJwt(compact, { ...o, typ: acceptedVcTyp(o.typ, o.acceptLegacyTyp) })
  assertVcClaimsNotDisclosed(v.topLevelDisclosed)
  return {
    issuer: issuerOf(v.claims),
    holderKey: v.holderKey,
    claims: v.claims,
    header: v.header,
    status: statusOf(v.claims),
    vct: vctOf(v.claims),
    keyBinding: v.keyBinding,
    issuerKey: v.issuerKey,
  }
}
