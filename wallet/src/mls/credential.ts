/**
 * @module mls/credential
 * Wraps a presentation made by the wallet's SD-CWT / SD-JWT code into the MLS Credential of
 * draft-mahy-mls-sd-cwt-credential-02 §3: an SD-KBT (bytes) becomes `sd_cwt`, an SD-JWT+KB-JWT
 * (compact text) becomes `sd_jwt`. The presentation's `aud` must follow specs/mls-profile.md §4
 * (`mlsKeyPackageAudience` for a KeyPackage, `mlsGroupAudience` inside a group).
 */
import { E2eidError, parseMlsCredentialTypes, sdCwtMlsCredential, sdJwtMlsCredential, toMlsCredentialCarrier } from '@e2eid/shared'
import type { MlsCredential, MlsCredentialTypes } from '@e2eid/shared'
import type { CredentialCustom } from 'ts-mls'

/** Options for {@link mlsCredentialFromPresentation}. */
export interface MlsCredentialOptions {
  /** Deployment's credential type numbers (default 0x0005 / 0x0006). */
  types?: Partial<MlsCredentialTypes>
  /** For SD-JWT: store the draft's compacted (base64url-decoded) form. Default false. */
  compacted?: boolean
}

/** The MLS credential model of a presentation: bytes → sd_cwt (a KBT), string → sd_jwt (SD-JWT+KB-JWT). */
export function mlsCredentialModelFromPresentation(presentation: Uint8Array | string, options: MlsCredentialOptions = {}): MlsCredential {
  if (presentation instanceof Uint8Array) return sdCwtMlsCredential(presentation)
  if (typeof presentation === 'string') return sdJwtMlsCredential(presentation, { compacted: options.compacted ?? false })
  throw new E2eidError('ERR_MLS_CREDENTIAL_MALFORMED', 'a presentation is KBT bytes or SD-JWT text')
}

/**
 * The ts-mls `Credential` (a `CredentialCustom`) for a presentation, ready for a KeyPackage or a
 * LeafNode. The presentation must be bound (cnf) to the key that will sign the LeafNode.
 */
export function mlsCredentialFromPresentation(presentation: Uint8Array | string, options: MlsCredentialOptions = {}): CredentialCustom {
  const types = parseMlsCredentialTypes(options.types)
  return toMlsCredentialCarrier(mlsCredentialModelFromPresentation(presentation, options), types)
}
