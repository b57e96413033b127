/**
 * @module sd-jwt/frame
 * sd-jwt-js style frames (`{ _sd: ['a', 0], _sd_decoy: 2, nested: {...} }` for issuance,
 * `{ a: true, nested: { b: true } }` for presentation) as claim paths, so callers and the
 * sd-jwt-js test cases can use either form.
 */
import type { ClaimPath } from './claim-path.js'
import { formatClaimPath, parseSdJwtClaimPath } from './claim-path.js'
import { sdJwtError } from './errors.js'
import { isJsonObject } from './json.js'

/** An sd-jwt-js DisclosureFrame. */
export interface DisclosureFrame {
  readonly _sd?: readonly (string | number)[]
  readonly _sd_decoy?: number
  readonly [key: string]: unknown
}

const DIGITS = /^(0|[1-9][0-9]{0,8})$/
const seg = (k: string | number): string | number => (typeof k === 'number' ? k : DIGITS.test(k) ? Number(k) : k)

/** Converts a DisclosureFrame into `disclosable` paths and `decoys` counts for issueSdJwt / issueSdJwtVc. */
export function disclosableFromFrame(frame: DisclosureFrame): { disclosable: ClaimPath[]; decoys: Record<string, number> } {
  const disclosable: ClaimPath[] = []
  const decoys: Record<string, number> = {}
  const walk = (f: unknown, prefix: (string | number)[], depth: number): void => {
    if (!isJsonObject(f) || depth > 32) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'a disclosure frame must be an object')
    for (const [k, v] of Object.entries(f)) {
      if (k === '_sd') {
        if (!Array.isArray(v)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', '_sd in a frame must be an array')
        for (const name of v as unknown[]) {
          if (typeof name !== 'string' && typeof name !== 'number') throw sdJwtError('ERR_SDJWT_INPUT_INVALID', '_sd entries must be names or indices')
          disclosable.push([...prefix, seg(name)])
        }
      } else if (k === '_sd_decoy') {
        if (typeof v !== 'number') throw sdJwtError('ERR_SDJWT_INPUT_INVALID', '_sd_decoy must be a number')
        decoys[formatClaimPath(prefix)] = v
      } else {
        walk(v, [...prefix, seg(k)], depth + 1)
      }
    }
  }
  walk(frame, [], 0)
  return { disclosable, decoys }
}

/** The inverse of {@link disclosableFromFrame}: claim paths and decoy counts as a DisclosureFrame. */
export function frameFromDisclosable(disclosable: readonly (string | ClaimPath)[], decoys: Readonly<Record<string, number>> = {}): DisclosureFrame {
  const root: Record<string, unknown> = {}
  const nodeAt = (path: ClaimPath): Record<string, unknown> => {
    let node = root
    for (const s of path) {
      const k = String(s)
      if (!isJsonObject(node[k])) node[k] = {}
      node = node[k] as Record<string, unknown>
    }
    return node
  }
  for (const p of disclosable) {
    const path = parseSdJwtClaimPath(p)
    const parent = nodeAt(path.slice(0, -1))
    const list = (parent._sd ??= []) as (string | number)[]
    list.push(path[path.length - 1]!)
  }
  for (const [p, n] of Object.entries(decoys)) if (n > 0) nodeAt(p === '' ? [] : parseSdJwtClaimPath(p))._sd_decoy = n
  return root as DisclosureFrame
}

/** Converts a PresentationFrame (`{ a: true, b: { c: true } }`) into claim paths for presentSdJwt. */
export function pathsFromPresentationFrame(frame: Readonly<Record<string, unknown>>): ClaimPath[] {
  const out: ClaimPath[] = []
  const walk = (f: unknown, prefix: (string | number)[], depth: number): void => {
    if (!isJsonObject(f) || depth > 32) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'a presentation frame must be an object')
    for (const [k, v] of Object.entries(f)) {
      if (v === true) out.push([...prefix, seg(k)])
      else if (v === false || v === undefined) continue
      else walk(v, [...prefix, seg(k)], depth + 1)
    }
  }
  walk(frame, [], 0)
  return out
}
