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
