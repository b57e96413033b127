/**
 * @module encoding/bytes
 * Byte helpers for Uint8Array (no Buffer in shared code).
 */

/** Constant-time comparison of two byte strings (time depends only on the lengths). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Concatenates byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const encoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true })

/** UTF-8 encode. */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s)
}

/** UTF-8 decode; throws a TypeError on invalid UTF-8 (callers wrap it in their own E2eidError). */
export function utf8Decode(b: Uint8Array): string {
  return strictDecoder.decode(b)
}

const SLAB_SIZE = 16384
const SLAB_MAX = 2048
let slab = new ArrayBuffer(SLAB_SIZE)
let slabAt = 0

/**
 * A new zero-filled Uint8Array of `n` bytes. Up to 2 KiB it is a fresh, never reused region of a shared 16 KiB
 * ArrayBuffer (like Node's Buffer pool, but zeroed and never handed out twice): a view costs ~0.2 µs where each
 * small ArrayBuffer costs ~0.6-0.9 µs of allocation and GC (two Sig_structures per presentation).
 * Only for short-lived buffers: a retained view keeps its whole slab alive, and its `.buffer` is shared (use
 * byteOffset/byteLength; never transfer or detach it).
 */
export function transientBytes(n: number): Uint8Array {
  if (n > SLAB_MAX) return new Uint8Array(n)
  if (slabAt + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE)
    slabAt = 0
  }
  const out = new Uint8Array(slab, slabAt, n)
  slabAt += (n + 7) & ~7
  return out
}
