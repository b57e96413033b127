/**
 * @module mls
 * MLS credentials of draft-mahy-mls-sd-cwt-credential (sd_cwt / sd_jwt) and the binding between
 * the credential's `cnf` key and the LeafNode `signature_key`.
 */
export {
  MLS_CREDENTIAL_TYPE_BASIC,
  MLS_CREDENTIAL_TYPE_X509,
  MLS_CREDENTIAL_TYPE_SD_CWT,
  MLS_CREDENTIAL_TYPE_SD_JWT,
  DEFAULT_MLS_CREDENTIAL_TYPES,
  parseMlsCredentialTypes,
  mlsCredentialKindOf,
  mlsCredentialTypeOf,
} from './credential-types.js'
export type { MlsCredentialTypes, MlsCredentialKind } from './credential-types.js'
export {
  sdCwtMlsCredential,
  sdJwtMlsCredential,
  sdJwtPresentationOf,
  encodeMlsCredentialData,
  decodeMlsCredentialData,
  toMlsCredentialCarrier,
  fromMlsCredentialCarrier,
  encodeMlsCredential,
  decodeMlsCredential,
} from './credential.js'
export type {
  MlsCredential,
  SdCwtMlsCredential,
  SdJwtMlsCredential,
  SdJwtTextMlsCredential,
  SdJwtCompactedMlsCredential,
  MlsCredentialCarrier,
  MlsCredentialLimits,
} from './credential.js'
export {
  mlsSignatureKeyFromJwk,
  jwkFromMlsSignatureKey,
  mlsSignatureKeyMatchesJwk,
  mlsSignatureKeyMatchesThumbprint,
} from './signature-key.js'
export { mlsGroupAudience, mlsKeyPackageAudience } from './audience.js'
