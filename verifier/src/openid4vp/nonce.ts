/**
 * @module openid4vp/nonce
 * The OpenID4VP `nonce` (a string) as each format's key-binding token carries it. KB-JWT: the `nonce` claim is
 * the string itself (OpenID4VP App. B.3.6). SD-CWT KBT: `cnonce` (claim 39) is a byte string; the project's
 * convention (shared `cnonceFromNonce`, also used by the wallet's SD-CWT handler; specs/openid4vp-sd-cwt.md) is
 * that the nonce string is the hex of those bytes. This verifier therefore issues hex nonces; a nonce that is not
 * hex (from another verifier) is taken as its UTF-8 bytes.
 */
import { cnonceFromNonce } from '@e2eid/shared'
import type { PresentationFormat } from '../trust/types.js'

/** The KBT `cnonce` bytes for an OpenID4VP nonce string (hex → bytes, other text → UTF-8). */
export function sdCwtCnonce(nonce: string): Uint8Array {
  return cnonceFromNonce(nonce)
}

/** The expected nonce for a presentation of `format` answering a request with `nonce`. */
export function expectedNonce(format: PresentationFormat, nonce: string): string | Uint8Array {
  return format === 'sd-cwt' ? sdCwtCnonce(nonce) : nonce
}
