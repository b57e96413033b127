/**
 * @module cbor
 * The strict CBOR profile of e2eid (RFC 8949 Preferred Serialization, definite lengths, no duplicate keys,
 * Maps for maps, Uint8Array for byte strings, {@link CborTag} and {@link CborSimple}).
 */
export { CborTag, CborSimple } from './types.js'
export { encodeCbor, encodeBstrHeader, wrapBstr, sortMapKeys, compareCborBytes } from './encode.js'
export type { EncodeCborOptions } from './encode.js'
export { decodeCbor, DEFAULT_MAX_DEPTH, DEFAULT_MAX_BYTES } from './decode.js'
export type { DecodeCborOptions } from './decode.js'
export { toDiagnostic } from './diagnostic.js'
export { cborToJson } from './json.js'
export type { JsonValue } from './json.js'
export type { DiagnosticOptions } from './diagnostic.js'
