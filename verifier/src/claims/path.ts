/**
 * @module claims/path
 * Claims path pointers (OpenID4VP 1.0 §7, the same as OpenID4VCI App. C and SD-JWT VC type metadata):
 * a non-empty array of string (object key), null (every array element) or non-negative integer (array index).
 * For SD-CWT claims in their JSON view (integer labels as decimal strings) an integer on an object selects
 * the key of that label, so `[2]` and `["2"]` both select CWT `sub`.
 */
import { formatDottedClaimPath, parseClaimsPathPointer, parseDottedClaimPath, selectByClaimsPath } from '@e2eid/shared'
import type { JsonValue } from './json.js'

/** A claims path pointer. */
export type ClaimsPath = readonly (string | number | null)[]

/** Validates an untrusted claims path; throws `code` (default ERR_POLICY_INVALID) when malformed. */
export function parseClaimsPath(value: unknown, code = 'ERR_POLICY_INVALID'): ClaimsPath {
  return parseClaimsPathPointer(value, code)
}

/**
 * Parses the CLI/config dotted form (`address.country`, `roles.1`, `roles.*`): segments of digits are integers,
 * `*` is null. Throws ERR_POLICY_INVALID.
 */
export function parseDottedPath(s: string): ClaimsPath {
  return parseDottedClaimPath(s, { code: 'ERR_POLICY_INVALID', wildcard: true })
}

/** Dotted display form of a claims path. */
export function formatClaimsPath(path: ClaimsPath): string {
  return formatDottedClaimPath(path)
}

/**
 * Selects the values a path points to (OpenID4VP §7.1 processing). An empty result means the claim is absent.
 * `aliases` maps a top-level name to another key (e.g. `sub` → `2` for CWT claims) tried when the name is absent.
 */
export function selectClaims(root: JsonValue, path: ClaimsPath, aliases: Readonly<Record<string, string>> = {}): JsonValue[] {
  return selectByClaimsPath(root, path, { integerSelectsObjectKey: true, aliases }).map((s) => s.value as JsonValue)
}
