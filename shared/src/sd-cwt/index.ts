/**
 * @module sd-cwt
 * SD-CWT (draft-ietf-spice-sd-cwt-08): issue, hold (receipt check, disclose, KBT) and verify, over the strict
 * CBOR profile and COSE_Sign1. See specs/sd-cwt-profile.md for the profile and the pitfalls.
 */
export {
  SD_CWT_HEADER,
  CWT_CLAIM,
  CNF_METHOD,
  TYP_SD_CWT,
  TYP_KBT,
  MEDIA_TYPE_SD_CWT,
  MEDIA_TYPE_KBT,
  REDACTED_CLAIM_KEYS,
  TAG_REDACTED_ELEMENT,
  TAG_TO_BE_REDACTED,
  TAG_TO_BE_DECOY,
  NEVER_REDACTED,
  SALT_LENGTH,
} from './constants.js'
export { SD_ALG_IDS, sdAlgHash, redactedClaimHash } from './digest.js'
export { decodeDisclosure, encodeDisclosure, isClaimLabel } from './disclosure.js'
export type { Disclosure } from './disclosure.js'
export { revealClaims } from './reveal.js'
export type { ClaimPathSegment, RevealedDisclosure, UndisclosedDigest, RevealResult, RevealOptions } from './reveal.js'
export { parseSdCwt, isSdCwtTyp, isKbtTyp } from './token.js'
export type { SdCwtToken } from './token.js'
export { resolveCnf } from './cnf.js'
export type { Clock, TokenTimes } from './time.js'
export { decodeSdCwtPresentation, verifyIssuedSdCwt, verifySdCwtPresentation } from './verify.js'
export type { DecodedSdCwtPresentation, SdCwtCheckOptions, VerifiedSdCwt, VerifyIssuedSdCwtOptions, VerifyPresentationOptions, VerifiedPresentation } from './verify.js'
export { SD_AEAD, parseAeadEntry, aeadEntryToCbor, decryptAeadEntry, decryptAeadEntries, encryptDisclosure } from './aead.js'
export type { AeadEntry, AeadKeyLookup, EncryptDisclosureOptions } from './aead.js'
export { redactClaims } from './redact.js'
export type { SaltContext, RedactOptions, RedactResult } from './redact.js'
export { issueSdCwt } from './issue.js'
export type { IssueSdCwtInput } from './issue.js'
export { parseClaimPath, formatClaimPath } from './path.js'
export type { ClaimPath } from './path.js'
export { resolveClaimPath, selectDisclosures } from './disclose.js'
export { createKbt } from './kbt.js'
export { cnonceFromNonce } from './cnonce.js'
export type { CreateKbtInput } from './kbt.js'
export { checkSdCwtReceipt } from './receipt.js'
export type { SdCwtReceiptOptions } from './receipt.js'
export { inspectSdCwt } from './inspect.js'
export type { SdCwtInspection, InspectedDisclosure, InspectedRedaction } from './inspect.js'
