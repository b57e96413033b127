import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { base64urlDecode, base64urlEncode } from './base64url.js'
import { hexDecode, hexEncode } from './hex.js'

describe('RFC 4648 §5 base64url (unpadded)', () => {
  it('round-trips any bytes and matches node Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const s = base64urlEncode(b)
        expect(s).toBe(Buffer.from(b).toString('base64url'))
        expect(base64urlDecode(s)).toEqual(b)
      }),
    )
  })
  it('matches node Buffer across the 8 KiB chunk boundary of the encoder (6,141 to 6,147 bytes → 8,188 to 8,196 chars) and at 100 KB', () => {
    for (const n of [6141, 6142, 6143, 6144, 6145, 6146, 6147, 100_000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff)
      const s = base64urlEncode(b)
      expect(s).toBe(Buffer.from(b).toString('base64url'))
      expect(base64urlDecode(s)).toEqual(b)
    }
  })
  it('without a native Buffer (browsers) the portable encoder gives the same text', async () => {
    const NodeBuffer = Buffer
    vi.stubGlobal('Buffer', undefined)
    try {
      vi.resetModules()
      const portable = (await import('./base64url.js')).base64urlEncode
      for (const n of [0, 1, 2, 3, 24, 25, 26, 100, 6143, 6144, 6145]) {
        const b = Uint8Array.from({ length: n }, (_, i) => (i * 197 + 3) & 0xff)
        expect(portable(b)).toBe(NodeBuffer.from(b).toString('base64url'))
      }
    } finally {
      vi.unstubAllGlobals()
      vi.resetModules()
    }
  })
  it('rejects padding, foreign characters, impossible lengths and non-canonical tails', () => {
    for (const bad of ['AA==', 'A+B/', 'A', 'AB', 'a b']) {
      expect(() => base64urlDecode(bad === 'AB' ? 'AB' : bad)).toThrow(expect.objectContaining({ code: 'ERR_BASE64URL_INVALID' }))
    }
  })
  it('hex round-trips and ignores whitespace', () => {
    expect(hexDecode('d2 84\n43')).toEqual(new Uint8Array([0xd2, 0x84, 0x43]))
    expect(hexEncode(new Uint8Array([0, 255]))).toBe('00ff')
    expect(() => hexDecode('abc')).toThrow(expect.objectContaining({ code: 'ERR_HEX_INVALID' }))
  })
})
