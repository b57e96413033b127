/**
 * @module openid4vp/nonce
 * The OpenID4VP `nonce` (a string) as each format's key-binding token carries it. KB-JWT: the `nonce` claim is
 * the string itself (OpenID4VP App. B.3.6). SD-CWT KBT: `cnonce` (claim 39) is a byte string; the project's
 * convention (shared by `e2eid sd-cwt verify`, `e2eid wallet present` and the wallet's SD-CWT handler) is that
 * the nonce string is the hex of those bytes. This verifier therefore issues hex nonces; a nonce that is not hex
 * (from another verifier) is taken as its UTF-8 bytes.
 */
import { hexDecode, utf8Encode } from '@e2eid/shared'
import type { PresentationFormat } from '../trust/types.js'

const HEX = /^([0-9a-fA-F]{2})+$/

/** The KBT `cnonce` bytes for an OpenID4VP nonce string. */
export function sdCwtCnonce(nonce: string): Uint8Array {
  return HEX.test(nonce) ? hexDecode(nonce.toLowerCase()) : utf8Encode(nonce)
}

/** The expected nonce for a presentation of `format` answering a request with `nonce`. */
export function expectedNonce(format: PresentationFormat, nonce: string): string | Uint8Array {
  return format === 'sd-cwt' ? sdCwtCnonce(nonce) : nonce
}
