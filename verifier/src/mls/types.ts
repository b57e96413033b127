/**
 * @module mls/types
 * Contracts between the MLS AuthenticationService and the presentation verifiers (SD-CWT KBT,
 * SD-JWT+KB-JWT) that the application injects.
 */
import type { MlsCredentialKind, PublicJwk } from '@e2eid/shared'

/** A Token Status List reference (`status.status_list`), kept for the group status re-check. */
export interface MlsStatusReference {
  readonly idx: number
  readonly uri: string
}

/** What the AuthenticationService tells the presentation verifier about where the credential appears. */
export interface MlsVerificationContext {
  /**
   * The `aud` values acceptable here (specs/mls-profile.md §4), or undefined while joining a group
   * through a Welcome, when the group is not known yet (the service checks `audience` right after).
   */
  readonly audiences: readonly string[] | undefined
  /** The LeafNode `signature_key` the credential must be bound to (the service checks the binding too). */
  readonly signatureKey: Uint8Array
}

/**
 * The result of a successful presentation verification (issuer signature, validity, disclosures,
 * key-binding signature with the `cnf` key, status as the verifier's policy demands).
 */
export interface VerifiedMlsPresentation {
  /** `cnf` as a key (COSE_Key or `jwk`). One of `holderKey` / `holderKeyThumbprint` is required. */
  readonly holderKey?: PublicJwk
  /** `cnf` as an RFC 9679 COSE Key Thumbprint (`ckt`), SHA-256. */
  readonly holderKeyThumbprint?: Uint8Array
  /** `sub`: the MLS client identity (draft §3.1). */
  readonly sub?: string
  /** The disclosed claims. */
  readonly claims: Readonly<Record<string, unknown>>
  /** The issuer (`iss`) whose key verified the credential. */
  readonly issuer: string
  /** The credential's status list entry, if any. */
  readonly status?: MlsStatusReference
  /** The `aud` of the KBT / KB-JWT as signed by the holder. */
  readonly audience: string | undefined
}

/**
 * Verifies one presentation. `presentation` is the SD-KBT bytes for `sd-cwt` and the
 * SD-JWT+KB-JWT compact text for `sd-jwt`. Throws an E2eidError (its code is kept as the refusal
 * reason) on any failure.
 */
export type MlsPresentationVerifier = (
  kind: MlsCredentialKind,
  presentation: Uint8Array | string,
  context: MlsVerificationContext,
) => Promise<VerifiedMlsPresentation>

/** What the AuthenticationService verified about one leaf (credential + signature key). */
export interface VerifiedMlsMember {
  readonly kind: MlsCredentialKind | 'basic'
  readonly credentialType: number
  /** The LeafNode `signature_key`. */
  readonly signatureKey: Uint8Array
  /** The `cnf` key, as a JWK (for `ckt` credentials: rebuilt from the signature key). */
  readonly holderKey: PublicJwk
  /** `sub` for our credentials; the (unverified) identity bytes as UTF-8 for an allowed basic credential. */
  readonly identity: string | undefined
  readonly sub: string | undefined
  readonly issuer: string | undefined
  readonly claims: Readonly<Record<string, unknown>>
  readonly status: MlsStatusReference | undefined
  readonly audience: string | undefined
  /** False only for an allowed basic credential (nothing was verified). */
  readonly verified: boolean
  /** Unix milliseconds of the verification. */
  readonly verifiedAt: number
}

/** Checks a status list entry now; returns the Token Status List value (0 valid, 1 invalid, 2 suspended, …). */
export type MlsStatusChecker = (status: MlsStatusReference, member: VerifiedMlsMember) => Promise<number>
