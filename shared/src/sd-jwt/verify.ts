/**
 * @module sd-jwt/verify
 * RFC 9901 §7.1 + §7.3 for a Verifier, deny by default: `typ` required, alg allow-list, key
 * binding required unless the policy says otherwise (never inferred from whether a nonce or a
 * KB-JWT was sent, §7.3 step 1), validity claims checked on the processed payload.
 */
import type { HashAlgorithm, SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { splitSdJwt } from './compact.js'
import { sdJwtError } from './errors.js'
import type { IssuerKeys } from './issuer-jwt.js'
import { checkIssuerSignedJwt, checkValidity, clockOptions } from './issuer-jwt.js'
import type { KeyBindingClaims } from './kb-jwt.js'
import { holderKeyFromCnf, verifyKbJwt } from './kb-jwt.js'

/** Default clock skew tolerated on `exp`, `nbf`, `iat` (seconds). */
export const DEFAULT_SKEW_SECONDS = 30
/** Default maximum age of a KB-JWT `iat` (seconds). */
export const DEFAULT_KB_MAX_AGE_SECONDS = 300

/** Verifier policy for {@link verifySdJwt}. */
export interface VerifySdJwtOptions {
  readonly provider: CryptoProvider
  readonly issuerKeys: IssuerKeys
  /** Accepted `typ` header values; required (explicit typing, RFC 9901 §9.11). */
  readonly typ: string | readonly string[]
  /** Key binding required by policy (default true). */
  readonly requireKeyBinding?: boolean
  /** Expected KB-JWT `aud`; required whenever a KB-JWT is checked. */
  readonly aud?: string
  /** Expected KB-JWT `nonce`; when omitted, the result's `keyBinding.nonce` must be checked by the caller. */
  readonly nonce?: string
  /** Current time, seconds since the epoch (default: the system clock). */
  readonly now?: number
  /** Tolerated clock skew in seconds (default 30). */
  readonly skew?: number
  /** Maximum KB-JWT age in seconds (default 300). */
  readonly maxKbAge?: number
  readonly algorithms?: readonly SignatureAlgorithm[]
  readonly kbAlgorithms?: readonly SignatureAlgorithm[]
  /** Maximum accepted length of the compact input (default 1 MiB). */
  readonly maxLength?: number
}

/** A verified SD-JWT (or SD-JWT+KB). */
export interface VerifiedSdJwt {
  /** Issuer-signed JWT header. */
  readonly header: Record<string, unknown>
  /** Issuer-signed JWT payload as signed (with digests). */
  readonly payload: Record<string, unknown>
  /** The processed payload (§7.1 step 3): digests replaced by disclosed claims, `_sd`/`_sd_alg` removed. */
  readonly claims: Record<string, unknown>
  readonly issuerKey: PublicJwk
  /** `cnf.jwk`, when present. */
  readonly holderKey: PublicJwk | undefined
  /** The KB-JWT claims when a KB-JWT was verified. */
  readonly keyBinding: KeyBindingClaims | undefined
  /** Names of the top-level claims that came from disclosures. */
  readonly topLevelDisclosed: ReadonlySet<string>
  readonly hash: HashAlgorithm
}

/** Verifies a compact SD-JWT presentation (RFC 9901 §7.1, §7.3). Every failure is an E2eidError `ERR_SDJWT_*`. */
export async function verifySdJwt(compact: string, options: VerifySdJwtOptions): Promise<VerifiedSdJwt> {
  const { now, skew } = clockOptions(options.now, options.skew, DEFAULT_SKEW_SECONDS)
  const maxKbAge = options.maxKbAge ?? DEFAULT_KB_MAX_AGE_SECONDS
  if (!Number.isFinite(maxKbAge) || maxKbAge < 0) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'maxKbAge must be finite and non-negative')
  const requireKb = options.requireKeyBinding ?? true
  const parts = splitSdJwt(compact, options.maxLength)
  const typ = typeof options.typ === 'string' ? [options.typ] : options.typ
  const checked = await checkIssuerSignedJwt(parts, { provider: options.provider, issuerKeys: options.issuerKeys, typ, ...(options.algorithms ? { algorithms: options.algorithms } : {}) })
  const { claims } = checked
  checkValidity(claims, { now, skew })
  // §7.3 step 2: required by policy and absent ⇒ reject (stops KB stripping).
  if (requireKb && parts.kbJwt === undefined) throw sdJwtError('ERR_SDJWT_KB_MISSING', 'key binding is required but the presentation has no KB-JWT')
  // cnf.jwk is required for key binding (RFC 7800 §3.2); a cnf that is present must be valid.
  const holderKey = requireKb || parts.kbJwt !== undefined || claims.cnf !== undefined ? holderKeyFromCnf(claims) : undefined
  let keyBinding: KeyBindingClaims | undefined
  if (parts.kbJwt !== undefined) {
    // A KB-JWT that is sent is always checked, even when the policy would not need it.
    if (options.aud === undefined) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'an expected aud is needed to check the KB-JWT')
    keyBinding = await verifyKbJwt(parts.kbJwt, {
      provider: options.provider,
      holderKey: holderKey!, // set above: a KB-JWT is present
      sdJwt: parts.sdJwt,
      hash: checked.hash,
      aud: options.aud,
      nonce: options.nonce,
      now,
      skew,
      maxAge: maxKbAge,
      ...(options.kbAlgorithms ? { algorithms: options.kbAlgorithms } : {}),
    })
  }
  return {
    header: checked.jwt.header,
    payload: checked.jwt.payload,
    claims,
    issuerKey: checked.issuerKey,
    holderKey,
    keyBinding,
    topLevelDisclosed: checked.topLevelDisclosed,
    hash: checked.hash,
  }
}
