/**
 * Locates the draft and RFC vectors in `../shared/specs/` beside the checkout (never copied into the repo).
 * With E2EID_REQUIRE_VECTORS=1 (CI) a missing folder throws, so the tests fail instead of skipping.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const specsRoot = fileURLToPath(new URL('../../../../shared/specs/', import.meta.url))

/** Absolute path of `../shared/specs/<sub>`, or undefined when it is missing and not required. */
export function vectorDir(sub: string): string | undefined {
  const dir = specsRoot + sub.replace(/^\/+/, '')
  if (existsSync(dir)) return dir
  if (process.env.E2EID_REQUIRE_VECTORS === '1') {
    throw new Error(`vector folder ${dir} is missing (E2EID_REQUIRE_VECTORS=1)`)
  }
  return undefined
}

/** Reads a vector file as text (`sub` relative to ../shared/specs/). */
export function readVectorText(sub: string): string {
  return readFileSync(specsRoot + sub, 'utf8')
}

/** Reads a vector file as bytes. */
export function readVectorBytes(sub: string): Uint8Array {
  return new Uint8Array(readFileSync(specsRoot + sub))
}
