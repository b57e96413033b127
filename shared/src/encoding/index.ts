export { base64urlEncode, base64urlDecode } from './base64url.js'
export { hexEncode, hexDecode } from './hex.js'
export { bytesEqual, concatBytes, utf8Encode, utf8Decode } from './bytes.js'
export { readStreamCapped } from './stream.js'
