/**
 * @module cose/thumbprint
 * COSE Key Thumbprint (RFC 9679): the hash of the deterministic encoding (RFC 8949 §4.2.1) of a COSE_Key
 * holding only its required parameters (EC2: 1, -1, -2, -3; OKP: 1, -1, -2). Used as `ckt` (5) in `cnf`.
 */
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { encodeCbor } from '../cbor/encode.js'
import { coseKeyToJwk, jwkToCoseKey } from './key.js'

/** The RFC 9679 §3 thumbprint input: required members only, deterministic encoding. */
export function coseKeyThumbprintInput(key: PublicJwk | Map<unknown, unknown>): Uint8Array {
  const jwk = key instanceof Map ? coseKeyToJwk(key) : key
  return encodeCbor(jwkToCoseKey(jwk), { canonical: true })
}

/** RFC 9679 COSE Key Thumbprint of a JWK or COSE_Key (SHA-256 unless `hash` says otherwise). */
export function coseKeyThumbprint(key: PublicJwk | Map<unknown, unknown>, provider: Pick<CryptoProvider, 'digest'>, hash: HashAlgorithm = 'SHA-256'): Uint8Array {
  return provider.digest(hash, coseKeyThumbprintInput(key))
}

/** RFC 9679 URI form, as the SD-CWT draft Appendix C prints it: `urn:ietf:params:oauth:ckt:<base64url(SHA-256 thumbprint)>`. */
export function coseKeyThumbprintUri(key: PublicJwk | Map<unknown, unknown>, provider: Pick<CryptoProvider, 'digest'>): string {
  return 'urn:ietf:params:oauth:ckt:' + base64urlEncode(coseKeyThumbprint(key, provider))
}
