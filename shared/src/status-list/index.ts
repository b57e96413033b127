/**
 * @module status-list
 * IETF Token Status List (draft-ietf-oauth-status-list-20) and W3C Bitstring Status List v1.0.
 */
export { StatusList, assertStatusListBits } from './list.js'
export type { StatusListBits } from './list.js'
export { createWebCompression, webCompression, assertCompressionHeader, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression.js'
export type { CompressionFormat, StatusListCompression } from './compression.js'
export {
  compressStatusList,
  decompressStatusList,
  encodeStatusListJson,
  encodeStatusListCbor,
  decodeStatusListJson,
  decodeStatusListCbor,
} from './encode.js'
export type { StatusListJson, StatusListCborValue, DecodeStatusListOptions, EncodeStatusListOptions } from './encode.js'
export { StatusType, statusTypeName } from './status-types.js'
export type { StatusTypeName } from './status-types.js'
export { readStatusListClaims, checkStatusListClaims } from './claims.js'
export type { StatusListTokenClaims, StatusListTokenPolicy } from './claims.js'
export { signStatusListJwt, verifyStatusListJwt, STATUS_LIST_JWT_TYP, STATUS_LIST_JWT_MEDIA_TYPE } from './token-jwt.js'
export type { SignStatusListTokenInput, VerifyStatusListTokenOptions, VerifiedStatusListToken } from './token-jwt.js'
export { signStatusListCwt, verifyStatusListCwt, STATUS_LIST_CWT_TYP, STATUS_LIST_CWT_CLAIM, DEFAULT_MAX_STATUS_LIST_TOKEN_BYTES } from './token-cwt.js'
export type { VerifyStatusListCwtOptions } from './token-cwt.js'
export {
  parseStatusListReference,
  statusReferenceFromJwtPayload,
  statusReferenceFromCwtClaims,
  jwtStatusClaim,
  cwtStatusClaim,
} from './reference.js'
export type { StatusListReference } from './reference.js'
export { fetchStatusListToken } from './fetch.js'
export type { FetchedStatusListToken, FetchStatusListTokenOptions } from './fetch.js'
export { createStatusClient } from './client.js'
export type { StatusClient, StatusClientOptions, StatusLookupOptions, StatusCheckResult, StatusKeyResolver } from './client.js'
export { randomStatusIndex } from './random-index.js'
export {
  BitstringStatusList,
  BITSTRING_MIN_ENTRIES,
  encodeBitstringStatusList,
  decodeBitstringStatusList,
  parseBitstringStatusListEntry,
  checkBitstringStatus,
} from './bitstring.js'
export type { BitstringOptions, BitstringStatusListEntry, BitstringStatusListSubject, BitstringStatusResult } from './bitstring.js'
export { verifyStatusListToken } from './verify-token.js'
