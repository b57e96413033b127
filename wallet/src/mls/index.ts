/**
 * @module mls
 * Wallet side of MLS: the draft-mahy-mls-sd-cwt-credential Credential and a KeyPackage signed by
 * the credential's holder key.
 */
export { mlsCredentialFromPresentation, mlsCredentialModelFromPresentation } from './credential.js'
export type { MlsCredentialOptions } from './credential.js'
export {
  DEFAULT_MLS_CIPHERSUITE,
  mlsCipherSuite,
  mlsSignatureKeyPairFromJwk,
  mlsCapabilities,
  createMlsKeyPackage,
  encodeMlsKeyPackage,
} from './key-package.js'
export type { CreateMlsKeyPackageParams, MlsKeyPackageBundle } from './key-package.js'
