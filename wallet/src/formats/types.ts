/**
 * @module formats/types
 * What the wallet needs from each credential format: the holder checks on receipt and the
 * building of a presentation. The SD-CWT and SD-JWT VC implementations wrap the holder
 * functions of `@e2eid/shared`; the wallet core stays format-agnostic.
 */
import type { CryptoProvider, PrivateJwk, PublicJwk } from '@e2eid/shared'
import type { CredentialMetadata, StatusReference } from '../storage/schema.js'

/** A claim path: object keys and array indices from the top of the claims set. */
export type ClaimPath = ReadonlyArray<string | number>

/**
 * A claim path as given by a user or a request: parsed segments, or text in the format's own
 * syntax (`address.country`, `roles.1`; SD-CWT also `503.country` and quoted `"a.b"` labels),
 * parsed by the format's shared helper (parseSdJwtClaimPath / parseClaimPath).
 */
export type ClaimPathInput = string | ClaimPath

/** The credential's holder key: its private half is unwrapped only inside {@link HolderSigner.withPrivateKey}. */
export interface HolderSigner {
  alg: 'EdDSA' | 'ES256'
  publicJwk: PublicJwk
  /** Raw signature over `data` (Ed25519 or ECDSA r||s). */
  sign(data: Uint8Array): Promise<Uint8Array>
  /** Runs `use` with the unwrapped private JWK, which is wiped afterwards. */
  withPrivateKey<T>(use: (jwk: PrivateJwk) => Promise<T>): Promise<T>
}

/** Input of {@link CredentialFormatHandler.checkReceived}. */
export interface CheckReceivedInput {
  /** The `credential` value of the Credential Response, unparsed. */
  credential: unknown
  /** Credential Issuer Identifier the wallet talked to. */
  issuer: string
  /** The holder keys whose proofs were sent in this request; the credential's `cnf` must be one of them. */
  holderKeys: readonly PublicJwk[]
  /** Credential Issuer metadata (as fetched), for key discovery. */
  issuerMetadata: Record<string, unknown>
  /** The credential configuration the credential was requested for. */
  credentialConfiguration: Record<string, unknown>
  now: number
  fetch: typeof fetch
  provider: CryptoProvider
  /** Resolve a did:web issuer on localhost/127.0.0.1 over plain HTTP (loopback development, tests). Default false. */
  allowInsecureLoopback?: boolean
}

/** What the holder checks established about a received credential. */
export interface CheckedCredential {
  /** The credential as it will be stored (exactly as received). */
  raw: string
  /** Index into `holderKeys` of the key in `cnf`. */
  holderKeyIndex: number
  /** All claims with every disclosure applied, JSON-friendly (for display). */
  claims: Record<string, unknown>
  /** Every selectively disclosable claim path. */
  disclosablePaths: ClaimPath[]
  status?: StatusReference
  metadata: CredentialMetadata
}

/** A presentation request: which claims, for whom, with which nonce. */
export interface PresentationRequest {
  /** Claim paths to disclose (already resolved from DCQL when a query was given). */
  paths: readonly ClaimPathInput[]
  aud: string
  /** Verifier nonce: text for SD-JWT (`nonce`); for SD-CWT the `cnonce` is its bytes when hex, else its UTF-8 (specs/openid4vp-sd-cwt.md). */
  nonce?: string
}

/** What a presentation will disclose, before signing. */
export interface PresentationPreview {
  /** The selectively disclosable claim paths whose disclosures will be sent (parents included). */
  disclosed: ClaimPath[]
  /** The claims set the verifier will see (always-visible claims plus the disclosed ones). */
  claims: Record<string, unknown>
}

/** Format-specific holder operations. */
export interface CredentialFormatHandler {
  /** OpenID4VCI format identifiers this handler accepts. */
  readonly formats: readonly string[]
  /** Runs the holder checks on receipt; throws E2eidError to refuse the credential. */
  checkReceived(input: CheckReceivedInput): Promise<CheckedCredential>
  /** What {@link present} would disclose for `paths`; throws if a path is not in the credential. */
  preview(raw: string, paths: readonly ClaimPathInput[]): PresentationPreview
  /** Builds the smallest presentation disclosing `paths`: SD-CWT KBT (hex) or SD-JWT+KB (compact). */
  present(raw: string, request: PresentationRequest, signer: HolderSigner, now: number, provider: CryptoProvider): Promise<string>
}
