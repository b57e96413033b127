/**
 * @module formats/types
 * Credential format adapters: the issuer core is format-agnostic and hands the minting of one
 * credential to the adapter registered for the configuration's `format`. Adapters wrap the real
 * encoders of `@e2eid/shared` (SD-CWT, SD-JWT VC); there is no fallback format.
 */
import type { CryptoProvider, PrivateJwk, PublicJwk, SignatureAlgorithm } from '@e2eid/shared'
import type { CredentialFormatId, StatusListForm } from '../storage/repository.js'
import type { CredentialConfiguration } from '../config/config.js'

/** The authority's key that signs a credential or a status list token. */
export interface IssuerSigningKey {
  kid: string
  alg: SignatureAlgorithm
  privateJwk: PrivateJwk
  publicJwk: PublicJwk
}

/** Everything an adapter needs to mint one credential, and nothing from the request. */
export interface IssueCredentialInput {
  /** What the credential names as its issuer (`iss`): the Credential Issuer Identifier, or its did:web (keys/did-web.ts). */
  issuer: string
  /** The Credential Issuer Identifier, base of the URLs the issuer publishes (the default `vct`); default `issuer`. */
  credentialIssuer?: string
  configurationId: string
  configuration: CredentialConfiguration
  signingKey: IssuerSigningKey
  /** The holder's key from the verified proof (the MLS signature key): becomes `cnf`. */
  holderJwk: PublicJwk
  /** The id of the user the access token was granted for (this authority's subject identifier). */
  userId: string
  /** The attributes of the user the access token was granted for. */
  claims: Record<string, unknown>
  /** Which of `claims` are selectively disclosable (others are plain). */
  selectivelyDisclosable: readonly string[]
  /** Number of decoy digests to add. */
  decoys: number
  iat: number
  nbf: number
  exp: number
  /** Token Status List reference (draft-ietf-oauth-status-list §6.2 JWT / §6.3 CWT). */
  status: { uri: string; idx: number }
  crypto: CryptoProvider
}

/** Mints credentials of one OpenID4VCI format. */
export interface CredentialFormatAdapter {
  /** OpenID4VCI format identifier (`credential_configurations_supported[].format`). */
  readonly format: string
  /** How the repository records the format. */
  readonly recordFormat: CredentialFormatId
  /** Which status list token form references from this format point at. */
  readonly statusListForm: StatusListForm
  /** `credential_signing_alg_values_supported` (JOSE names or COSE ids). */
  signingAlgValues(alg: SignatureAlgorithm): Array<string | number>
  /** Returns the credential as it travels in the Credential Response (a string; binary formats base64url). */
  issue(input: IssueCredentialInput): Promise<string>
}

/** Input of {@link StatusListTokenAdapter.sign}. */
export interface SignStatusListInput {
  /** The status list token's own URI (`sub`). */
  uri: string
  bits: 1 | 2 | 4 | 8
  /** The uncompressed list, LSB-first (draft-ietf-oauth-status-list §4.1). */
  data: Uint8Array
  iat: number
  exp: number
  ttl: number
  signingKey: IssuerSigningKey
  crypto: CryptoProvider
}

/** Signs status list tokens of one form (statuslist+jwt or statuslist+cwt). */
export interface StatusListTokenAdapter {
  readonly form: StatusListForm
  /** Response media type: application/statuslist+jwt or application/statuslist+cwt. */
  readonly mediaType: string
  /** A compact JWT (string) or the CWT bytes. */
  sign(input: SignStatusListInput): Promise<string | Uint8Array>
}
