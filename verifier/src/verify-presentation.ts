/**
 * @module verify-presentation
 * verifyPresentation: one entry point for SD-CWT KBTs and SD-JWT+KB-JWT presentations. Order (deny by default):
 * detect the format → policy accepts it → verify signature, disclosures, validity and key binding with the
 * issuer keys of a trusted authority → policy on type, age and disclosed claims → status (§8.3 step 0: only
 * after the credential itself is valid).
 */
import { E2eidError, SD_JWT_VC_FORMAT, createWebCryptoProvider, isE2eidError } from '@e2eid/shared'
import type { CryptoProvider, PublicJwk } from '@e2eid/shared'
import type { JsonObject, JsonValue } from './claims/json.js'
import { detectPresentation } from './formats/detect.js'
import type { DetectedPresentation } from './formats/detect.js'
import { verifySdCwtFormat } from './formats/sd-cwt.js'
import { verifySdJwtFormat } from './formats/sd-jwt.js'
import type { FormatVerified, FormatVerifyContext, StatusReference } from './formats/types.js'
import { checkFormatAccepted, checkPolicyClaims } from './policy/policy.js'
import type { VerifierPolicy } from './policy/policy.js'
import { assertStatusValid } from './status/interpret.js'
import type { StatusChecker, StatusResult } from './status/types.js'
import type { PresentationFormat, TrustStore } from './trust/types.js'
import { assertCredentialKeyNotWithdrawn } from './trust/withdrawn.js'

/** What a verifier needs besides the policy. */
export interface VerifierContext {
  trust: TrustStore
  /** Crypto provider (default: the WebCrypto provider). */
  provider?: CryptoProvider
  /** Status checker; without one, a credential whose status must be checked is refused (ERR_STATUS_NOT_CONFIGURED). */
  status?: StatusChecker
}

/** A presentation that passed every check. */
export interface VerifiedPresentation {
  format: PresentationFormat
  /** The trusted issuer identifier (`iss`). */
  issuer: string | undefined
  /** The holder's key (`cnf`), which signed the key-binding token. */
  holderKey: PublicJwk | undefined
  /** The disclosed claims (SD-JWT: the processed payload; SD-CWT: the Validated Disclosed Claims Set as JSON, built on first read). */
  claims: JsonObject
  /** `vct` (credential type), when the credential has one. */
  credentialType: string | undefined
  /** Status from the Status List, or 'not-checked' (policy 'skip', or no reference under 'if-present'). */
  status: StatusResult | 'not-checked'
  /** The credential's status reference, if any. */
  statusRef: StatusReference | undefined
  /** Whether a key-binding token was verified. */
  keyBound: boolean
  issuedAt: number | undefined
  expiresAt: number | undefined
}

let defaultProvider: CryptoProvider | undefined

function contextFor(policy: VerifierPolicy, ctx: VerifierContext, provider: CryptoProvider, now: number): FormatVerifyContext {
  const requireKeyBinding = policy.requireKeyBinding !== false
  if (requireKeyBinding && (policy.aud === undefined || policy.aud === '')) {
    // Without an expected audience a key-binding token could be replayed to us from anywhere.
    throw new E2eidError('ERR_POLICY_INVALID', 'key binding requires an expected aud')
  }
  return {
    trust: ctx.trust,
    provider,
    requireKeyBinding,
    aud: policy.aud,
    nonce: policy.nonce,
    now,
    skew: policy.clockSkewSeconds ?? 60,
    keyBindingMaxAge: policy.keyBindingMaxAgeSeconds ?? 300,
    typ: policy.typ,
  }
}

// True when the status must be looked up; throws ERR_POLICY_STATUS_MISSING when the policy requires a reference and there is none.
function statusToCheck(v: FormatVerified, policy: VerifierPolicy): boolean {
  const mode = policy.status ?? 'if-present'
  if (mode === 'skip') return false
  if (v.statusRef === undefined) {
    if (mode === 'required') throw new E2eidError('ERR_POLICY_STATUS_MISSING', 'the policy requires a status reference; the credential has none')
    return false
  }
  return true
}

async function checkStatus(v: FormatVerified & { statusRef: StatusReference }, format: PresentationFormat, policy: VerifierPolicy, ctx: VerifierContext): Promise<StatusResult> {
  if (ctx.status === undefined) throw new E2eidError('ERR_STATUS_NOT_CONFIGURED', 'the credential has a status reference but no status checker is configured')
  // Every key of the issuing authority (not only the one the credential's kid named): the list may be signed by a
  // newer key than the credential (§11.3: the same authority).
  let authorityKeys = v.issuerKeys.length > 0 ? v.issuerKeys : [v.issuerKey]
  try {
    authorityKeys = (await ctx.trust.issuerKeys({ iss: v.issuer, kid: undefined, format, purpose: 'status_list' })).keys
  } catch (e) {
    if (isE2eidError(e) && e.code === 'ERR_VERIFY_ISSUER_KEY_WITHDRAWN') throw e
    // keep the credential's keys, except withdrawn ones (never for a status list)
    authorityKeys = authorityKeys.filter((k) => ctx.trust.withdrawnSince?.(v.issuer, k) === undefined)
  }
  const result = await ctx.status.status({
    ref: v.statusRef,
    issuerKeys: authorityKeys,
    format,
    graceUntilExp: policy.statusUnavailable === 'grace-until-exp',
  })
  assertStatusValid(result.status)
  return result
}

/**
 * Verifies a presentation (SD-CWT KBT as CBOR bytes, hex or base64url; SD-JWT compact text) against a policy.
 * Every refusal is an E2eidError: ERR_VERIFY_* (format, trust), the format layer's ERR_SDCWT_* / ERR_SDJWT_*
 * (signature, disclosures, validity, key binding), ERR_POLICY_* and ERR_STATUS_*.
 *
 * @example
 * const v = await verifyPresentation(kbt, { aud: 'https://verifier.example', nonce }, { trust, status })
 * v.claims.org // 'example.com'
 */
export async function verifyPresentation(input: string | Uint8Array, policy: VerifierPolicy, ctx: VerifierContext): Promise<VerifiedPresentation> {
  const d = await verifyDetectedPresentation(detectPresentation(input), policy, ctx)
  const p = d.presentation
  let view: JsonObject | undefined
  // `claims` is an own, enumerable accessor (spread and JSON.stringify see it) that builds the SD-CWT JSON view on first read.
  return {
    format: p.format,
    issuer: p.issuer,
    holderKey: p.holderKey,
    get claims() {
      return (view ??= d.claims())
    },
    set claims(value: JsonObject) {
      view = value
    },
    credentialType: p.credentialType,
    status: p.status,
    statusRef: p.statusRef,
    keyBound: p.keyBound,
    issuedAt: p.issuedAt,
    expiresAt: p.expiresAt,
  }
}

/** What {@link verifyDetectedPresentation} returns: the presentation without its claims, their JSON view on demand, its subject. */
export interface DetectedVerification {
  readonly presentation: Omit<VerifiedPresentation, 'claims'>
  /** The claims' JSON view (SD-CWT: built on the first call). */
  readonly claims: () => JsonObject
  /** `claims.sub ?? claims["2"]` of the JSON view, read without building it. */
  readonly subject: JsonValue | undefined
}

/**
 * {@link verifyPresentation} of a presentation whose format is already detected. Internal (not in the package API):
 * `decodedSdCwt` must be `decodeCbor(detected.bytes, SD_CWT_LIMITS)` made by the caller, so that an SD-CWT the caller
 * already looked into (the MLS adapter reads the KBT `aud`) is not decoded twice.
 */
export async function verifyDetectedPresentation(
  detected: DetectedPresentation,
  policy: VerifierPolicy,
  ctx: VerifierContext,
  decodedSdCwt?: unknown,
): Promise<DetectedVerification> {
  const provider = ctx.provider ?? (defaultProvider ??= createWebCryptoProvider())
  const now = Math.floor((policy.now ?? (() => Date.now() / 1000))())
  checkFormatAccepted(policy, detected.format)
  const fctx = contextFor(policy, ctx, provider, now)
  const v = detected.format === SD_JWT_VC_FORMAT ? await verifySdJwtFormat(detected.compact, fctx) : await verifySdCwtFormat(detected.bytes, fctx, decodedSdCwt)
  // A key the authority withdrew as compromised signs nothing trusted from its withdrawal time on.
  assertCredentialKeyNotWithdrawn(ctx.trust.withdrawnSince?.(v.issuer, v.issuerKey), v.issuedAt)
  if (fctx.requireKeyBinding && !v.keyBound) {
    // Belt and braces: the format layers already refuse, this keeps the rule in one visible place.
    throw new E2eidError('ERR_VERIFY_KEY_BINDING_MISSING', 'key binding is required')
  }
  // The claims go as their view function: the SD-CWT JSON view is built only if a claim policy looks at it.
  checkPolicyClaims(policy, { format: detected.format, credentialType: v.credentialType, claims: v.claims, issuedAt: v.issuedAt }, now)
  // Awaited only when there is a status to look up (a join of 1,000 leaves without status references: no extra hop).
  const status = statusToCheck(v, policy) ? await checkStatus(v as FormatVerified & { statusRef: StatusReference }, detected.format, policy, ctx) : 'not-checked'
  const presentation: Omit<VerifiedPresentation, 'claims'> = {
    format: detected.format,
    issuer: v.issuer,
    holderKey: v.holderKey,
    credentialType: v.credentialType,
    status,
    statusRef: v.statusRef,
    keyBound: v.keyBound,
    issuedAt: v.issuedAt,
    expiresAt: v.expiresAt,
  }
  return { presentation, claims: v.claims, subject: v.subject }
}
