import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { randomStatusIndex } from './random-index.js'

describe('draft-20 §12.5 random index allocation helper', () => {
  it('stays in range and covers a small list', () => {
    const p = createNodeCryptoProvider()
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const n = randomStatusIndex(10, p)
      expect(n >= 0 && n < 10).toBe(true)
      seen.add(n)
    }
    expect(seen.size).toBe(10)
  })
  it('rejects biased draws (rejection sampling) using injected randomness', () => {
    // size 3: limit = 2^32 - (2^32 % 3) = 4294967295; 0xffffffff must be rejected, then 5 % 3 = 2
    const draws = [new Uint8Array([0xff, 0xff, 0xff, 0xff]), new Uint8Array([0, 0, 0, 5])]
    expect(randomStatusIndex(3, { randomBytes: () => draws.shift()! })).toBe(2)
  })
  it('invalid sizes are ERR_STATUS_LIST_SIZE_INVALID', () => {
    const p = createNodeCryptoProvider()
    for (const s of [0, -1, 1.5, 2 ** 32 + 1]) expect(() => randomStatusIndex(s, p)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_SIZE_INVALID' }))
  })
})
