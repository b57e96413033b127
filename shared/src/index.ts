/**
 * @module @e2eid/shared
 * Public API of the shared wire formats and crypto (Web APIs only; Node fast paths
 * are in `@e2eid/shared/node`). Each area has its own `index.ts`; add its exports here by name.
 */
export { E2eidError, isE2eidError } from './errors.js'
export type { E2eidErrorOptions } from './errors.js'
export { base64urlEncode, base64urlDecode, hexEncode, hexDecode, bytesEqual, concatBytes, utf8Encode, utf8Decode, readStreamCapped } from './encoding/index.js'
export * from './crypto/index.js'
export { PAGE_STYLE } from './page-style.js'
// cbor/, cose/, sd-cwt/, sd-jwt/, jose/, status-list/, mls/: each area appends one `export * from './<area>/index.js'`
// line below (the area's own index.ts lists its public names explicitly).
export * from './jose/index.js'
export * from './cbor/index.js'
export * from './mls/index.js'
export * from './cose/index.js'
export * from './status-list/index.js'
// cose/ owns the RFC 9679 thumbprint; mls/ exports same-named helpers with the same result, so name cose's explicitly.
export { coseKeyThumbprint, coseKeyThumbprintInput } from './cose/index.js'
export * from './sd-jwt/index.js'
export * from './sd-cwt/index.js'
export * from './did/index.js'
export { SD_JWT_VC_FORMAT, SD_CWT_FORMAT } from './format-ids.js'
export type { CredentialFormatIdentifier } from './format-ids.js'
export { parseDottedClaimPath, formatDottedClaimPath, parseClaimsPathPointer, selectByClaimsPath } from './claim-path.js'
export type { ClaimsPathPointer, ClaimsPathSelectOptions } from './claim-path.js'
export * from './openapi/index.js'
export * from './dcql/index.js'
