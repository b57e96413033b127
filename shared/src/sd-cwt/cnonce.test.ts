import { describe, expect, it } from 'vitest'
import { hexEncode, utf8Encode } from '../encoding/index.js'
import { cnonceFromNonce } from './cnonce.js'

describe('OpenID4VP nonce → SD-CWT KBT cnonce (draft-ietf-spice-sd-cwt-08 §8.1 claim 39; specs/openid4vp-sd-cwt.md)', () => {
  it('a hex nonce stands for its bytes (the e2eid verifier issues 32-byte hex nonces), either case', () => {
    expect(cnonceFromNonce('a1b2c3')).toEqual(new Uint8Array([0xa1, 0xb2, 0xc3]))
    expect(cnonceFromNonce('A1B2C3')).toEqual(new Uint8Array([0xa1, 0xb2, 0xc3]))
    const issued = '00ff'.repeat(16)
    expect(hexEncode(cnonceFromNonce(issued))).toBe(issued)
  })
  it('any other nonce (odd length, non-hex characters, empty, whitespace) is taken as UTF-8', () => {
    for (const n of ['n-1', 'abc', 'ab cd', '', 'zz', 'wYc1_-é']) expect(cnonceFromNonce(n), n).toEqual(utf8Encode(n))
  })
})
