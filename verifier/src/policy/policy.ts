/**
 * @module policy/policy
 * What a verifier demands of a presentation beyond a valid signature: audience and nonce, key binding,
 * accepted formats and credential types, required disclosed claims and their values, status checking,
 * maximum age and clock skew. Deny by default: key binding is required and status is checked whenever
 * the credential carries a reference, unless the policy says otherwise.
 */
import { E2eidError } from '@e2eid/shared'
import type { ClaimsPath } from '../claims/path.js'
import { formatClaimsPath, selectClaims } from '../claims/path.js'
import type { JsonObject, JsonValue } from '../claims/json.js'
import { jsonEquals } from '../claims/json.js'
import type { PresentationFormat } from '../trust/types.js'

/** A constraint on the value of a disclosed claim. */
export interface ClaimConstraint {
  path: ClaimsPath
  /** The claim must equal this value (JSON equality, type included). */
  equals?: JsonValue
  /** The claim must equal one of these values. */
  oneOf?: readonly JsonValue[]
}

/** Whether and how the status of a credential is checked (draft-ietf-oauth-status-list §8.3). */
export type StatusRequirement =
  /** The credential must carry a status reference, and it is checked. */
  | 'required'
  /** Checked when the credential carries one (default). */
  | 'if-present'
  /** Not checked (the result says 'not-checked'). */
  | 'skip'

/** What happens when the status list cannot be fetched. */
export type StatusUnavailable =
  /** Refuse (default): no statement about status means no acceptance. */
  | 'fail-closed'
  /** Answer from a previously fetched, signature-checked list until that list's `exp`. */
  | 'grace-until-exp'

/** The verifier's policy for one presentation. */
export interface VerifierPolicy {
  /** Expected audience of the key-binding token (KB-JWT `aud`, KBT `aud`). Required when key binding is. */
  aud?: string
  /** Expected nonce: KB-JWT `nonce` (string) or KBT `cnonce` (bytes; a string is taken as UTF-8). */
  nonce?: string | Uint8Array
  /** Key binding required (default true). Decided here, never by whether a KB token was sent (RFC 9901 §7.3). */
  requireKeyBinding?: boolean
  /** Accepted formats (default both). */
  formats?: readonly PresentationFormat[]
  /** Accepted credential types (`vct`); absent = any type. */
  credentialTypes?: readonly string[]
  /** Claims that must be disclosed. */
  requiredClaims?: readonly ClaimsPath[]
  /** Value constraints on disclosed claims (a constrained claim must also be disclosed). */
  constraints?: readonly ClaimConstraint[]
  /** Status checking (default 'if-present'). */
  status?: StatusRequirement
  /** When the status list is unreachable (default 'fail-closed'). */
  statusUnavailable?: StatusUnavailable
  /** Maximum age of the credential in seconds, from its `iat` (absent = unlimited). */
  maxAgeSeconds?: number
  /** Allowed clock skew in seconds (default 60). */
  clockSkewSeconds?: number
  /** Maximum age of the key-binding token's `iat` in seconds (default 300). */
  keyBindingMaxAgeSeconds?: number
  /** Overrides the expected credential `typ` (SD-JWT: a media type, default dc+sd-jwt; SD-CWT: default 293). */
  typ?: string | number
  /** Clock in Unix seconds (default: system clock). */
  now?: () => number
}

/** The part of a verified presentation that policy checks look at. */
export interface PolicySubject {
  format: PresentationFormat
  credentialType: string | undefined
  /** The disclosed claims, or a function that builds them (called only when a claim is required or constrained). */
  claims: JsonObject | (() => JsonObject)
  issuedAt: number | undefined
}

/** CWT claim names (RFC 8392 §4; vct = 11 per specs/openid4vci-sd-cwt-format.md) as the labels of an SD-CWT's JSON view. */
export const CWT_CLAIM_ALIASES: Readonly<Record<string, string>> = {
  iss: '1', sub: '2', aud: '3', exp: '4', nbf: '5', iat: '6', cti: '7', cnf: '8', vct: '11', cnonce: '39',
}

/** Aliases to use for a format when selecting claims by name. */
export function claimAliases(format: PresentationFormat): Readonly<Record<string, string>> {
  return format === 'sd-cwt' ? CWT_CLAIM_ALIASES : {}
}

/** Throws ERR_POLICY_FORMAT_NOT_ACCEPTED unless the policy accepts `format`. */
export function checkFormatAccepted(policy: VerifierPolicy, format: PresentationFormat): void {
  if (policy.formats !== undefined && !policy.formats.includes(format)) {
    throw new E2eidError('ERR_POLICY_FORMAT_NOT_ACCEPTED', `format ${format} is not accepted`)
  }
}

/**
 * Checks credential type, age, required claims and value constraints. Throws ERR_POLICY_TYPE_NOT_ACCEPTED,
 * ERR_POLICY_CREDENTIAL_TOO_OLD, ERR_POLICY_CLAIM_MISSING or ERR_POLICY_CLAIM_VALUE.
 */
export function checkPolicyClaims(policy: VerifierPolicy, subject: PolicySubject, now: number): void {
  checkFormatAccepted(policy, subject.format)
  if (policy.credentialTypes !== undefined) {
    if (subject.credentialType === undefined || !policy.credentialTypes.includes(subject.credentialType)) {
      throw new E2eidError('ERR_POLICY_TYPE_NOT_ACCEPTED', `credential type ${JSON.stringify(subject.credentialType ?? null)} is not accepted`)
    }
  }
  if (policy.maxAgeSeconds !== undefined) {
    const skew = policy.clockSkewSeconds ?? 60
    if (subject.issuedAt === undefined || now - skew - subject.issuedAt > policy.maxAgeSeconds) {
      throw new E2eidError('ERR_POLICY_CREDENTIAL_TOO_OLD', `credential is older than ${policy.maxAgeSeconds} s (or has no iat)`)
    }
  }
  const aliases = claimAliases(subject.format)
  let claims: JsonObject | undefined
  const claimsOf = (): JsonObject => (claims ??= typeof subject.claims === 'function' ? subject.claims() : subject.claims)
  for (const path of policy.requiredClaims ?? []) {
    if (selectClaims(claimsOf(), path, aliases).length === 0) {
      throw new E2eidError('ERR_POLICY_CLAIM_MISSING', `required claim ${formatClaimsPath(path)} is not disclosed`)
    }
  }
  for (const c of policy.constraints ?? []) {
    const values = selectClaims(claimsOf(), c.path, aliases)
    const name = formatClaimsPath(c.path)
    if (values.length === 0) throw new E2eidError('ERR_POLICY_CLAIM_MISSING', `constrained claim ${name} is not disclosed`)
    const allowed = [...(c.equals === undefined ? [] : [c.equals]), ...(c.oneOf ?? [])]
    // Every selected value must satisfy the constraint (a wildcard path cannot smuggle one good value past it).
    for (const v of values) {
      if (!allowed.some((a) => jsonEquals(a, v))) {
        throw new E2eidError('ERR_POLICY_CLAIM_VALUE', `claim ${name} does not have an accepted value`)
      }
    }
  }
}
