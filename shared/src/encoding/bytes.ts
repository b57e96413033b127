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
