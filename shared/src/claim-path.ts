/**
 * @module claim-path
 * Claim paths, in one place:
 * - the dotted form of the CLI, the configs and the SD-JWT holder (`email`, `address.country`, `roles.1`,
 *   `roles.*` where a wildcard is allowed): a segment of digits is an array index (or a digit-only key);
 * - the SD-CWT dotted form, which also names CBOR integer labels (`503.country`, `-1`) and quotes text
 *   labels that look numeric or hold dots (`"503"`, `"a.b"`);
 * - claims path pointers (OpenID4VP 1.0 §7, OpenID4VCI App. C, SD-JWT VC type metadata) and the
 *   selection they make (§7.1), used by the verifier's policy and DCQL and by the wallet's DCQL matching.
 * Each caller passes its own error code.
 */
import { E2eidError } from './errors.js'

/** A claims path pointer: string (object key), null (every array element) or non-negative integer (array index). */
export type ClaimsPathPointer = readonly (string | number | null)[]

const INDEX = /^(0|[1-9][0-9]{0,8})$/

/**
 * Parses the dotted form: `a.b.0` → `['a', 'b', 0]`; with `wildcard`, `*` → null. Throws `code` for an
 * empty path or an empty segment.
 */
export function parseDottedClaimPath(s: string, o: { readonly code: string; readonly wildcard: true }): (string | number | null)[]
export function parseDottedClaimPath(s: string, o: { readonly code: string; readonly wildcard?: false }): (string | number)[]
export function parseDottedClaimPath(s: string, o: { readonly code: string; readonly wildcard?: boolean }): (string | number | null)[] {
  if (s === '') throw new E2eidError(o.code, 'claim path must not be empty')
  return s.split('.').map((seg) => {
    if (seg === '') throw new E2eidError(o.code, `claim path ${JSON.stringify(s)} has an empty segment`)
    if (o.wildcard === true && seg === '*') return null
    return INDEX.test(seg) ? Number(seg) : seg
  })
}

/** The dotted form of a path (null as `*`). Not reversible for keys holding dots; display and diagnostics. */
export function formatDottedClaimPath(path: ClaimsPathPointer): string {
  return path.map((s) => (s === null ? '*' : String(s))).join('.')
}

const SD_CWT_INT = /^-?(0|[1-9][0-9]*)$/
const SD_CWT_BARE = /^[^."]+$/

/**
 * Parses the SD-CWT dotted form. A segment in double quotes is a JSON string and always a text label; a
 * bare decimal segment names an integer label, an array position, or (when the map has no such integer
 * label) the text label with those characters. Throws ERR_SDCWT_PATH_INVALID.
 */
export function parseSdCwtClaimPath(path: string): (string | number)[] {
  if (typeof path !== 'string' || path.length === 0) throw new E2eidError('ERR_SDCWT_PATH_INVALID', 'a claim path must be a non-empty string')
  const out: (string | number)[] = []
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
      if (seg.length === 0 || !SD_CWT_BARE.test(seg)) throw new E2eidError('ERR_SDCWT_PATH_INVALID', `empty or invalid segment in ${JSON.stringify(path)}`)
      if (SD_CWT_INT.test(seg)) {
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

/** Formats an SD-CWT path so that {@link parseSdCwtClaimPath} gives it back (numeric-looking or dotted text labels quoted). */
export function formatSdCwtClaimPath(path: readonly (string | number)[]): string {
  return path.map((s) => (typeof s === 'number' ? String(s) : SD_CWT_BARE.test(s) && !SD_CWT_INT.test(s) ? s : JSON.stringify(s))).join('.')
}

/** Validates an untrusted claims path pointer (at most 32 segments); throws `code` when malformed. */
export function parseClaimsPathPointer(value: unknown, code: string): ClaimsPathPointer {
  if (!Array.isArray(value) || value.length === 0 || value.length > 32) {
    throw new E2eidError(code, 'a claims path must be a non-empty array')
  }
  for (const seg of value) {
    const ok = seg === null || typeof seg === 'string' || (typeof seg === 'number' && Number.isSafeInteger(seg) && seg >= 0)
    if (!ok) throw new E2eidError(code, `invalid claims path segment ${JSON.stringify(seg)}`)
  }
  return value as ClaimsPathPointer
}

/** Options of {@link selectByClaimsPath}. */
export interface ClaimsPathSelectOptions {
  /**
   * An integer on an object selects the member of that decimal name (SD-CWT claims in their JSON view, where
   * integer labels are decimal strings: `[2]` and `["2"]` both select CWT `sub`). Default false (§7.1: an
   * integer selects an array element only).
   */
  readonly integerSelectsObjectKey?: boolean
  /** A top-level name tried as another key when absent (e.g. `sub` → `2` for CWT claims). */
  readonly aliases?: Readonly<Record<string, string>>
}

/**
 * The claims a pointer selects (OpenID4VP 1.0 §7.1), each with its concrete path (indices for null, the key
 * actually present). Own members only. An empty result means the claim is absent.
 */
export function selectByClaimsPath(root: unknown, path: ClaimsPathPointer, o: ClaimsPathSelectOptions = {}): { path: (string | number)[]; value: unknown }[] {
  let current: { path: (string | number)[]; value: unknown }[] = [{ path: [], value: root }]
  path.forEach((seg, depth) => {
    const next: typeof current = []
    for (const { path: p, value } of current) {
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value)
      const obj = value as Record<string, unknown>
      if (seg === null) {
        if (Array.isArray(value)) value.forEach((v: unknown, i) => next.push({ path: [...p, i], value: v }))
      } else if (typeof seg === 'number') {
        if (Array.isArray(value)) {
          if (seg < value.length) next.push({ path: [...p, seg], value: value[seg] as unknown })
        } else if (o.integerSelectsObjectKey === true && isObject && Object.hasOwn(obj, String(seg))) {
          next.push({ path: [...p, String(seg)], value: obj[String(seg)] })
        }
      } else if (isObject) {
        const alias = depth === 0 ? o.aliases?.[seg] : undefined
        if (Object.hasOwn(obj, seg)) next.push({ path: [...p, seg], value: obj[seg] })
        else if (alias !== undefined && Object.hasOwn(obj, alias)) next.push({ path: [...p, alias], value: obj[alias] })
      }
    }
    current = next
  })
  return current
}
