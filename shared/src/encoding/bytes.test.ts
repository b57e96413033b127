import { describe, expect, it } from 'vitest'
import { transientBytes } from './bytes.js'

describe('transientBytes (short-lived buffers from a shared slab)', () => {
  it('gives zero-filled, never overlapping regions of the asked size, across slab boundaries and above 2 KiB', () => {
    const got: Uint8Array[] = []
    for (let i = 0; i < 400; i++) {
      const n = [0, 1, 7, 8, 63, 64, 65, 333, 700, 2048, 2049, 5000][i % 12]!
      const b = transientBytes(n)
      expect(b).toBeInstanceOf(Uint8Array)
      expect(Object.getPrototypeOf(b)).toBe(Uint8Array.prototype)
      expect(b.length).toBe(n)
      expect(b.every((x) => x === 0)).toBe(true)
      b.fill(0xff)
      got.push(b)
    }
    // Filling one never changed another: each is still all 0xff and the regions of one buffer are disjoint.
    for (const b of got) expect(b.every((x) => x === 0xff)).toBe(true)
    const byBuffer = new Map<ArrayBufferLike, [number, number][]>()
    for (const b of got) {
      const list = byBuffer.get(b.buffer) ?? []
      list.push([b.byteOffset, b.byteOffset + b.length])
      byBuffer.set(b.buffer, list)
    }
    for (const list of byBuffer.values()) {
      list.sort((a, b) => a[0] - b[0])
      for (let i = 1; i < list.length; i++) expect(list[i]![0]).toBeGreaterThanOrEqual(list[i - 1]![1])
    }
  })
})
