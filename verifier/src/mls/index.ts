/**
 * @module mls
 * Verifier side of MLS: the ts-mls AuthenticationService for SD-CWT / SD-JWT credentials,
 * group helpers, status re-check and strict message decoding.
 */
export { MlsCredentialAuthenticationService, groupRequiresE2eidCredentials, sameMlsIdentity, mlsIdentityKey } from './authentication-service.js'
export type { MlsAuthenticationServiceOptions, MlsValidationScope, ScopedAuthenticationService } from './authentication-service.js'
export {
  assertMlsGroupState,
  createMlsGroup,
  addMlsMembers,
  removeMlsMembers,
  updateMlsCredential,
  joinMlsGroup,
  processMlsMessage,
  sendMlsApplicationMessage,
  listMlsMembers,
  e2eidRequiredCapabilities,
  isBasicCredential,
} from './group.js'
export type { MlsGroupParams, MlsGroupMember, CreateMlsGroupParams, MlsCommitResult, ProcessedMlsMessage } from './group.js'
export { recheckMlsGroupStatus, mlsStatusChecker } from './status.js'
export type { MlsStatusFinding, RecheckMlsGroupStatusParams, MlsStatusCheckerOptions } from './status.js'
export { encodeMlsMessage, decodeMlsMessage, decodeMlsKeyPackage, decodeMlsWelcome, decodeMlsFramedMessage, MAX_MLS_MESSAGE_BYTES } from './codec.js'
export type {
  MlsStatusReference,
  MlsVerificationContext,
  VerifiedMlsPresentation,
  MlsPresentationVerifier,
  VerifiedMlsMember,
  MlsStatusChecker,
} from './types.js'
export { mlsPresentationVerifier, presentedAudience } from './presentation-verifier.js'
