/**
 * @module claims/path
 * Claims path pointers (OpenID4VP 1.0 §7, the same as OpenID4VCI App. C and SD-JWT VC type metadata):
 * a non-empty array of string (object key), null (every array element) or non-negative integer (array index).
 * For SD-CWT claims in their JSON view (integer labels as decimal strings) an integer on an object selects
 * the key of that label, so `[2]` and `["2"]` both select CWT `sub`.
 */
import { E2eidError } from '@e2eid/shared'
import type { ErrorCode } from '@e2eid/shared'
import type { JsonValue } from './json.js'
import { isJsonObject } from './json.js'

/** A claims path pointer. */
export type ClaimsPath = readonly (string | number | null)[]

/** Validates an untrusted claims path; throws `code` (default ERR_POLICY_INVALID) when malformed. */
export function parseClaimsPath(value: unknown, code: ErrorCode = 'ERR_POLICY_INVALID'): ClaimsPath {
  if (!Array.isArray(value) || value.length === 0 || value.length > 32) {
    throw new E2eidError(code, 'a claims path must be a non-empty array')
  }
  for (const seg of value) {
    const ok = seg === null || typeof seg === 'string' || (typeof seg === 'number' && Number.isSafeInteger(seg) && seg >= 0)
    if (!ok) throw new E2eidError(code, `invalid claims path segment ${JSON.stringify(seg)}`)
  }
  return value as ClaimsPath
}

/**
 * Parses the CLI/config dotted form (`address.country`, `roles.1`, `roles.*`): segments of digits are integers,
 * `*` is null. Throws ERR_POLICY_INVALID.
 */
export function parseDottedPath(s: string): ClaimsPath {
  if (s.length === 0) throw new E2eidError('ERR_POLICY_INVALID', 'empty claim path')
  return s.split('.').map((seg) => {
    if (seg === '') throw new E2eidError('ERR_POLICY_INVALID', `empty segment in claim path ${JSON.stringify(s)}`)
    if (seg === '*') return null
    return /^(0|[1-9][0-9]{0,8})$/.test(seg) ? Number(seg) : seg
  })
}

/** Dotted display form of a claims path. */
export function formatClaimsPath(path: ClaimsPath): string {
  return path.map((s) => (s === null ? '*' : String(s))).join('.')
}

/**
 * Selects the values a path points to (OpenID4VP §7.1 processing). An empty result means the claim is absent.
 * `aliases` maps a top-level name to another key (e.g. `sub` → `2` for CWT claims) tried when the name is absent.
 */
export function selectClaims(root: JsonValue, path: ClaimsPath, aliases: Readonly<Record<string, string>> = {}): JsonValue[] {
  let current: JsonValue[] = [root]
  path.forEach((seg, depth) => {
    const next: JsonValue[] = []
    for (const v of current) {
      if (seg === null) {
        if (Array.isArray(v)) next.push(...v)
      } else if (typeof seg === 'number') {
        if (Array.isArray(v)) {
          if (seg < v.length) next.push(v[seg]!)
        } else if (isJsonObject(v) && Object.hasOwn(v, String(seg))) {
          next.push(v[String(seg)]!)
        }
      } else if (isJsonObject(v)) {
        if (Object.hasOwn(v, seg)) next.push(v[seg]!)
        else if (depth === 0 && aliases[seg] !== undefined && Object.hasOwn(v, aliases[seg])) next.push(v[aliases[seg]]!)
      }
    }
    current = next
  })
  return current
}
