/**
 * @module sd-jwt/frame
 * sd-jwt-js style frames (`{ _sd: ['a', 0], _sd_decoy: 2, nested: {...} }` for issuance,
 * `{ a: true, nested: { b: true } }` for presentation) as claim paths, so callers and the
 * sd-jwt-js test cases can use either form.
 */
import type { ClaimPath } from './claim-path.js'
import { formatClaimPath } from './claim-path.js'
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
