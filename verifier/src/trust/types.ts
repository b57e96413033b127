/**
 * @module trust/types
 * How a verifier names the authorities it trusts and where each one's keys come from.
 */
import type { PublicJwk, SD_JWT_VC_FORMAT } from '@e2eid/shared'

/** The two presentation formats the verifier accepts. */
export type PresentationFormat = 'sd-cwt' | typeof SD_JWT_VC_FORMAT

/** Where the keys of one authority come from. */
export type KeySource =
  /** Keys written in the configuration. */
  | { type: 'keys'; keys: readonly PublicJwk[] }
  /** A JWK Set (RFC 7517 §5) at a URL, e.g. the issuer's `/.well-known/jwks.json`. */
  | { type: 'jwks_uri'; uri: string }
  /** A COSE_KeySet (RFC 9052 §7) at a URL, CBOR array of COSE_Key. */
  | { type: 'cose_key_set_uri'; uri: string }
  /** SD-JWT VC §2.5 JWT VC Issuer Metadata at `https://host/.well-known/jwt-vc-issuer/path` derived from `issuer`. */
  | { type: 'jwt_vc_issuer' }
  /** The issuer identifier is a DID (did:web, did:key, did:jwk); its assertionMethod keys are trusted. */
  | { type: 'did' }

/** One trusted authority: an exact issuer identifier and the sources of its keys. */
export interface TrustedAuthority {
  /** The issuer identifier exactly as it appears in `iss` (CWT claim 1 or the JWT claim). */
  issuer: string
  /** Where its keys come from; keys from all sources are candidates. */
  sources: readonly KeySource[]
  /** Formats this authority may issue (default: both). */
  formats?: readonly PresentationFormat[]
  /**
   * Keys the authority withdrew as compromised: by kid, with the UNIX time from which what they sign
   * is refused. They are never used for status lists; a credential they signed verifies only if its iat is earlier.
   */
  withdrawn?: readonly { kid: string; since: number }[]
}

/** The keys a verifier may check a credential with, for the issuer it claims. */
export interface IssuerKeys {
  /** The trusted issuer identifier (or the credential's `iss` for a pinned key). */
  issuer: string | undefined
  /** Candidate keys, already narrowed by `kid` when the credential names one. */
  keys: PublicJwk[]
}

/** Answers which keys may have signed a credential claiming `iss` (and naming `kid`). */
export interface TrustStore {
  /**
   * Throws ERR_VERIFY_ISSUER_UNTRUSTED when no configured authority is `iss`, ERR_VERIFY_ISSUER_KEY_UNKNOWN
   * when the authority has no key for `kid`, and the fetch/DID codes when a key source fails.
   */
  issuerKeys(query: { iss: string | undefined; kid: string | undefined; format: PresentationFormat; purpose?: 'credential' | 'status_list' }): Promise<IssuerKeys>
  /**
   * When `key` (by its kid or its key material) is withdrawn by the authority `iss`, the time from which its
   * signatures are refused; undefined otherwise. Optional: trust stores without withdrawals omit it.
   */
  withdrawnSince?(iss: string | undefined, key: PublicJwk): number | undefined
}
