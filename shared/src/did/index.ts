/**
 * @module did
 * DID resolution shared by the verifier and the wallet: did:jwk, did:key (Ed25519, P-256, P-384) and did:web
 * (fetch injected), and the assertionMethod keys of a DID document.
 */
export { base58btcDecode, base58btcEncode } from './base58.js'
export { didJwkToJwk, didJwkResolver } from './did-jwk.js'
export { didKeyToJwk, didKeyResolver } from './did-key.js'
export { didWebUrl, createDidWebResolver } from './did-web.js'
export type { DidFetchJson, DidWebUrlOptions } from './did-web.js'
export { compressedPointToJwk } from './ec-point.js'
export { assertionKeys } from './document.js'
export type { DidKey } from './document.js'
export { createDidResolver, resolveDidAssertionKeys } from './resolver.js'
export type { DidResolverOptions } from './resolver.js'
