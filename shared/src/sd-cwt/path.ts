/**
 * @module sd-cwt/path
 * Claim paths, the one syntax the CLI and the wallet use to select claims: labels joined with dots, integer
 * labels in decimal, array positions as numbers — `email`, `address.country`, `503.country`, `roles.1`.
 * A segment in double quotes is a JSON string and always a text label (`"503"`, `"a.b"`). A bare decimal segment
 * names an integer label, an array position, or — when the map has no such integer label — the text label
 * with those characters.
 */
import { E2eidError } from '../errors.js'
import type { ClaimPathSegment } from './reveal.js'

/** A parsed claim path. */
export type ClaimPath = readonly ClaimPathSegment[]

const INT = /^-?(0|[1-9][0-9]*)$/
const BARE = /^[^."]+$/

/** Parses a claim path string. Errors: ERR_SDCWT_PATH_INVALID. */
export function parseClaimPath(path: string): ClaimPath {
  if (typeof path !== 'string' || path.length === 0) throw new E2eidError('ERR_SDCWT_PATH_INVALID', 'a claim path must be a non-empty string')
  const out: ClaimPathSegment[] = []
  let i = 0
  while (i <= path.length) {
    if (path[i] === '"') {
      // A JSON string segment: find its closing quote (skipping escapes).
      let j = i + 1
      while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1
      if (j >= path.length) throw new E2eidError('ERR_SDCWT_PATH_INVALID', `unterminated quoted segment in ${JSON.stringify(path)}`)
      let s: unknown
      try {
        s = JSON.parse(path.slice(i, j + 1))
      } catch (e) {
        throw new E2eidError('ERR_SDCWT_PATH_INVALID', `bad quoted segment in ${JSON.stringify(path)}`, { cause: e })
      }
      out.push(s as string)
      i = j + 1
    } else {
      let j = path.indexOf('.', i)
      if (j < 0) j = path.length
      const seg = path.slice(i, j)
      if (seg.length === 0 || !BARE.test(seg)) throw new E2eidError('ERR_SDCWT_PATH_INVALID', `empty or invalid segment in ${JSON.stringify(path)}`)
      if (INT.test(seg)) {
        const n = Number(seg)
        if (!Number.isSafeInteger(n)) throw new E2eidError('ERR_SDCWT_PATH_INVALID', `integer segment ${seg} is out of range`)
        out.push(n)
      } else {
        out.push(seg)
      }
      i = j
    }
    if (i === path.length) break
    if (path[i] !== '.') throw new E2eidError('ERR_SDCWT_PATH_INVALID', `expected "." at position ${i} of ${JSON.stringify(path)}`)
    i++
    if (i === path.length) throw new E2eidError('ERR_SDCWT_PATH_INVALID', `trailing "." in ${JSON.stringify(path)}`)
  }
  return out
}

/** Formats a path so that {@link parseClaimPath} gives it back (text labels that look numeric or hold dots are quoted). */
export function formatClaimPath(path: ClaimPath): string {
  return path.map((s) => (typeof s === 'number' ? String(s) : BARE.test(s) && !INT.test(s) ? s : JSON.stringify(s))).join('.')
}
