/**
 * @module jose
 * A small JOSE layer over {@link CryptoProvider}: compact JWS/JWT sign and verify (RFC 7515/7519, RFC 8725 rules).
 */
export { signJwt } from './sign.js'
export type { SignJwtInput } from './sign.js'
export { verifyJwt, normalizeTyp } from './verify.js'
export type { VerifyJwtOptions, VerifiedJwt } from './verify.js'
export { decodeJwtUnverified, decodeJws } from './decode.js'
export type { JwsHeader, JwtPayload, DecodedJws } from './decode.js'
export { checkJwtTimeClaims, systemNowSeconds } from './time.js'
export type { JwtTimeOptions } from './time.js'
export { signJws, verifyJwsSignature } from './jws.js'
export type { JwsJsonEncoder } from './jws.js'
export { verifySelfSignedJwt, SelfSignedJwtError } from './self-signed.js'
export type { SelfSignedJwt, SelfSignedJwtRefusal } from './self-signed.js'
export { jwkThumbprint } from './thumbprint.js'
