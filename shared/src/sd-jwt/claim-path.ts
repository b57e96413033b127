/**
 * @module sd-jwt/claim-path
 * The SD-JWT holder's claim paths (the dotted form of claim-path.ts, with SD-JWT codes), shared with SD-CWT: labels joined by dots, array positions as numbers
 * (`email`, `address.country`, `nationalities.1`). A segment that is all digits is an array
 * index when the container is an array and an object key otherwise (`is_over.18`).
 */
import { sdJwtError } from './errors.js'
import { formatDottedClaimPath, parseDottedClaimPath } from '../claim-path.js'

/** A parsed claim path: object keys and array indices from the top of the payload. */
export type ClaimPath = readonly (string | number)[]

/**
 * Parses `a.b.0` into `['a', 'b', 0]`. Throws ERR_SDJWT_PATH_INVALID for an empty path or an
 * empty segment. Pass an array to skip parsing (for claim names that contain dots).
 */
export function parseSdJwtClaimPath(path: string | ClaimPath): ClaimPath {
  if (typeof path !== 'string') {
    if (!Array.isArray(path) || path.length === 0) throw sdJwtError('ERR_SDJWT_PATH_INVALID', 'claim path must not be empty')
    for (const s of path) {
      if (typeof s === 'number' ? !Number.isSafeInteger(s) || s < 0 : typeof s !== 'string' || s === '') {
        throw sdJwtError('ERR_SDJWT_PATH_INVALID', `invalid claim path segment ${JSON.stringify(s)}`)
      }
    }
    return path
  }
  return parseDottedClaimPath(path, { code: 'ERR_SDJWT_PATH_INVALID' })
}

/** The object key a segment names (numbers stand for digit-only keys in objects). */
export function segmentKey(seg: string | number): string {
  return typeof seg === 'number' ? String(seg) : seg
}

/** Joins a parsed path back into its dotted form. */
export function formatClaimPath(path: ClaimPath): string {
  return formatDottedClaimPath(path)
}
