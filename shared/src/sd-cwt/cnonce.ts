/**
 * @module sd-cwt/cnonce
 * The e2eid convention between an OpenID4VP `nonce` (a string, OpenID4VP 1.0 §5.2) and the KBT `cnonce`
 * (claim 39, a byte string, draft-ietf-spice-sd-cwt-08 §8.1): the cnonce holds the bytes whose hex is the
 * nonce. A nonce that is not hex (another verifier's) stands for its UTF-8 bytes. Wallet and verifier both
 * use this one rule (specs/openid4vp-sd-cwt.md).
 */
import { hexDecode } from '../encoding/hex.js'
import { utf8Encode } from '../encoding/bytes.js'

const HEX = /^(?:[0-9a-fA-F]{2})+$/

/**
 * The KBT `cnonce` bytes for an OpenID4VP nonce: hex (non-empty, even length, either case) is decoded, any
 * other text is taken as UTF-8.
 *
 * @example
 * cnonceFromNonce('a1b2') // Uint8Array [0xa1, 0xb2]
 * cnonceFromNonce('n-1')  // the UTF-8 bytes of "n-1"
 */
export function cnonceFromNonce(nonce: string): Uint8Array {
  return HEX.test(nonce) ? hexDecode(nonce) : utf8Encode(nonce)
}
