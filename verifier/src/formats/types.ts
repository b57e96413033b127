/**
 * @module formats/types
 * The common result of the format-specific verifiers (SD-CWT KBT, SD-JWT+KB-JWT), before policy and status.
 */
import type { CryptoProvider, PublicJwk } from '@e2eid/shared'
import type { JsonObject, JsonValue } from '../claims/json.js'
import type { TrustStore } from '../trust/types.js'

/** A Token Status List reference (draft-ietf-oauth-status-list §6). */
export interface StatusReference {
  uri: string
  idx: number
}

/** What the format verifiers need. */
export interface FormatVerifyContext {
  trust: TrustStore
  provider: CryptoProvider
  requireKeyBinding: boolean
  aud: string | undefined
  nonce: string | Uint8Array | undefined
  /** Unix seconds (integer). */
  now: number
  skew: number
  keyBindingMaxAge: number
  typ: string | number | undefined
}

/** A cryptographically verified presentation (issuer signature, disclosures, key binding, validity). */
export interface FormatVerified {
  issuer: string | undefined
  holderKey: PublicJwk | undefined
  /** Disclosed claims as JSON (SD-JWT: the processed payload; SD-CWT: its JSON view, built on the first call). */
  claims: () => JsonObject
  /** `claims.sub ?? claims["2"]` (the subject, JSON or CWT label), readable without building the SD-CWT JSON view. */
  subject: JsonValue | undefined
  credentialType: string | undefined
  statusRef: StatusReference | undefined
  /** The issuer key that verified the credential (status lists are checked against the same authority's keys). */
  issuerKey: PublicJwk
  /** All keys of the issuing authority that the trust store returned. */
  issuerKeys: PublicJwk[]
  keyBound: boolean
  issuedAt: number | undefined
  expiresAt: number | undefined
}
