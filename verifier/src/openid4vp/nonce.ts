/**
 * @module openid4vp/nonce
 * The OpenID4VP `nonce` (a string) as each format's key-binding token carries it: the KB-JWT `nonce` claim is the
 * string itself (OpenID4VP App. B.3.6); the SD-CWT KBT `cnonce` (claim 39) is a byte string, and this project
 * puts the UTF-8 bytes of the request nonce there (a convention wallets must follow; see the verifier README).
 */
import { utf8Encode } from '@e2eid/shared'
import type { PresentationFormat } from '../trust/types.js'

/** The expected nonce for a presentation of `format` answering a request with `nonce`. */
export function expectedNonce(format: PresentationFormat, nonce: string): string | Uint8Array {
  return format === 'sd-cwt' ? utf8Encode(nonce) : nonce
}
