/**
 * @module cose
 * COSE for e2eid: COSE_Key ↔ JWK, RFC 9679 COSE Key Thumbprint, COSE_Sign1 (RFC 9052) sign / decode / verify.
 */
export { COSE_KEY, COSE_KTY, COSE_CRV, coseKeyToJwk, coseKeyToPrivateJwk, jwkToCoseKey, samePublicKey } from './key.js'
export type { JwkToCoseKeyOptions } from './key.js'
export { coseKeyThumbprint, coseKeyThumbprintInput, coseKeyThumbprintUri } from './thumbprint.js'
export {
  COSE_HEADER,
  COSE_SIGN1_TAG,
  parseCoseSign1,
  decodeCoseSign1,
  sigStructure1,
  signCoseSign1,
  signCoseSign1Parts,
  verifyCoseSign1,
  defaultAlg,
} from './sign1.js'
export type { CoseSign1, DecodeCoseSign1Options, SignCoseSign1Input, VerifyCoseSign1Options, VerifiedCoseSign1 } from './sign1.js'
