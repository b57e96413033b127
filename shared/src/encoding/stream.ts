/**
 * @module encoding/stream
 * Reading a byte stream whole, with a cap: the one loop behind every bounded read (inflated status
 * lists, fetched status list tokens, fetched key sets and metadata).
 */
import type { E2eidError } from '../errors.js'
import { concatBytes } from './bytes.js'

/**
 * Reads `reader` to the end and returns the bytes. As soon as more than `maxBytes` arrive it cancels the
 * stream (nothing past the cap is read or kept) and throws `tooLarge()`.
 */
export async function readStreamCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  tooLarge: () => E2eidError,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return chunks.length === 1 ? chunks[0]! : concatBytes(...chunks)
}
