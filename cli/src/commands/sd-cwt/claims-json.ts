/**
 * @module commands/sd-cwt/claims-json
 * The claims file of `e2eid sd-cwt issue`: JSON that people can write, turned into the pre-issuance claims Map of
 * `issueSdCwt` (tag 58 To Be Redacted, tag 62 To Be Decoy; draft-ietf-spice-sd-cwt-08 §11).
 *
 * ```json
 * {
 *   "claims": {
 *     "1": "https://issuer.example",
 *     "2": "https://holder.example",
 *     "email": "alice@example.com",
 *     "address": { "country": "us", "region": "ca" },
 *     "roles": ["admin", "user"],
 *     "photo": { "bstr": "iVBORw0K" }
 *   },
 *   "redact": ["2", "email", "address", "address.country", "roles.1"],
 *   "decoys": { "address": 1 },
 *   "validFor": 86400
 * }
 * ```
 *
 * - `claims` (required): the claims set. An object key written as a decimal integer ("1", "-2", "503") is an
 *   integer label; any other key is a text label; a key that is itself a JSON string in quotes (`"\"503\""`) is
 *   the text label inside the quotes. Strings, booleans, null, arrays and objects map to their CBOR kinds; a
 *   whole JSON number is a CBOR integer, any other number a float. `{"bstr": "<base64url>"}` is a byte string;
 *   `{"tag": N, "value": V}` is tag N around V (tags 58, 60 and 62 are refused: use `redact` and `decoys`).
 * - `redact` (optional): claim PATHs the holder may withhold, in the PATH syntax of the whole CLI (labels joined
 *   with dots, integer labels in decimal, array positions as numbers, a quoted segment is a text label). Listing a
 *   container and something inside it gives nested redactions.
 * - `decoys` (optional): PATH of a map or array → number of decoy digests to add there (decoys in the top-level
 *   map come from `--decoys N`).
 * - `validFor` (optional): seconds; sets `exp` to the issue time plus this (the claims must then have no `exp`).
 * The issuer adds `cnf` (the holder key) and `iat` (the issue time, `--now`) when the claims have none.
 */
import { CborTag, E2eidError, TAG_REDACTED_ELEMENT, TAG_TO_BE_DECOY, TAG_TO_BE_REDACTED, base64urlDecode, parseClaimPath, resolveClaimPath } from '@e2eid/shared'
import type { ClaimPathSegment } from '@e2eid/shared'

/** Deepest nesting of the claims JSON (maps and arrays), the SD-CWT claims depth limit of our profile. */
const MAX_CLAIMS_DEPTH = 16
/** Largest claims file, in bytes. */
const MAX_CLAIMS_FILE_BYTES = 256 * 1024

const SHAPE = '{"claims": {...}, "redact"?: [PATH, ...], "decoys"?: {PATH: N}, "validFor"?: seconds}'

interface ClaimsFileShape {
  claims: Record<string, unknown>
  redact?: string[]
  decoys?: Record<string, number>
  validFor?: number
}

// The CLI package has no schema library of its own; the shape is small enough to check by hand.
function checkShape(json: unknown): ClaimsFileShape {
  const bad = (what: string): never => invalid(`claims file: ${what} (expected ${SHAPE})`)
  if (!isPlainObject(json)) return bad('not a JSON object')
  for (const k of Object.keys(json)) if (!['claims', 'redact', 'decoys', 'validFor'].includes(k)) bad(`unknown member ${JSON.stringify(k)}`)
  if (!isPlainObject(json.claims)) bad('"claims" must be an object')
  const out: ClaimsFileShape = { claims: json.claims as Record<string, unknown> }
  if (json.redact !== undefined) {
    if (!Array.isArray(json.redact) || !json.redact.every((p) => typeof p === 'string')) bad('"redact" must be an array of PATH strings')
    out.redact = json.redact as string[]
  }
  if (json.decoys !== undefined) {
    if (!isPlainObject(json.decoys)) bad('"decoys" must be an object of PATH: count')
    for (const n of Object.values(json.decoys as Record<string, unknown>)) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100) bad('each "decoys" count must be an integer from 1 to 100')
    }
    out.decoys = json.decoys as Record<string, number>
  }
  if (json.validFor !== undefined) {
    if (typeof json.validFor !== 'number' || !Number.isSafeInteger(json.validFor) || json.validFor < 1) bad('"validFor" must be a positive integer number of seconds')
    out.validFor = json.validFor as number
  }
  return out
}

/** The parsed claims file: the pre-issuance claims (markers applied) and the validity to add. */
export interface IssueClaims {
  /** Pre-issuance claims for `issueSdCwt` (tag 58 / 62 markers in place). */
  claims: Map<unknown, unknown>
  /** `validFor` of the file, if any. */
  validFor?: number
}

const INT_KEY = /^-?(0|[1-9][0-9]*)$/

function invalid(message: string, cause?: unknown): never {
  throw new E2eidError('ERR_CLI_CLAIMS_INVALID', message, cause === undefined ? {} : { cause })
}

function label(key: string): number | string {
  if (INT_KEY.test(key)) {
    const n = Number(key)
    if (!Number.isSafeInteger(n)) invalid(`integer label ${key} is out of range`)
    return n
  }
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) {
    try {
      const s: unknown = JSON.parse(key)
      if (typeof s === 'string') return s
    } catch (e) {
      invalid(`bad quoted label ${key}`, e)
    }
  }
  return key
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Converts one JSON value to the CBOR value model (Map, Uint8Array, CborTag, number, ...). */
function jsonToCbor(v: unknown, depth = 0): unknown {
  if (depth > MAX_CLAIMS_DEPTH) invalid(`claims nest deeper than ${MAX_CLAIMS_DEPTH} levels`)
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) invalid(`integer ${v} is beyond ±2^53`)
    return v
  }
  if (Array.isArray(v)) return v.map((x) => jsonToCbor(x, depth + 1))
  if (!isPlainObject(v)) invalid('unsupported JSON value')
  const keys = Object.keys(v)
  if (keys.length === 1 && keys[0] === 'bstr') {
    if (typeof v.bstr !== 'string') invalid('{"bstr": ...} needs a base64url string')
    try {
      return base64urlDecode(v.bstr)
    } catch (e) {
      invalid('{"bstr": ...} is not unpadded base64url', e)
    }
  }
  if (keys.length === 2 && keys.includes('tag') && keys.includes('value')) {
    const tag = v.tag
    if (typeof tag !== 'number' || !Number.isSafeInteger(tag) || tag < 0) invalid('{"tag": N, "value": V} needs an unsigned integer N')
    if (tag === TAG_TO_BE_REDACTED || tag === TAG_REDACTED_ELEMENT || tag === TAG_TO_BE_DECOY) {
      invalid(`tag ${tag} is reserved for redactions: list the claim in "redact" (or "decoys") instead`)
    }
    return new CborTag(tag, jsonToCbor(v.value, depth + 1))
  }
  const m = new Map<unknown, unknown>()
  for (const k of keys) {
    const l = label(k)
    if (m.has(l)) invalid(`label ${JSON.stringify(k)} appears twice (as ${typeof l === 'number' ? 'an integer' : 'text'})`)
    m.set(l, jsonToCbor(v[k], depth + 1))
  }
  return m
}

function pathId(p: readonly ClaimPathSegment[]): string {
  return p.map((s) => (typeof s === 'number' ? 'n' + s : 's' + s)).join('\u0000')
}

/**
 * Parses a claims file (see the module comment). Errors: ERR_CLI_CLAIMS_INVALID (not JSON, wrong shape, bad
 * value), ERR_SDCWT_PATH_INVALID / ERR_SDCWT_PATH_NOT_FOUND (a `redact` or `decoys` PATH), and
 * ERR_CLI_CLAIMS_INVALID for `decoys` on something that is not a map or an array.
 */
export function parseClaimsFile(text: string): IssueClaims {
  if (text.length > MAX_CLAIMS_FILE_BYTES) invalid(`the claims file is larger than ${MAX_CLAIMS_FILE_BYTES} bytes`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    invalid('the claims file is not valid JSON', e)
  }
  const parsed = { data: checkShape(json) }
  const plain = jsonToCbor(parsed.data.claims) as Map<unknown, unknown>

  const redact = new Set<string>()
  for (const p of parsed.data.redact ?? []) redact.add(pathId(resolveClaimPath(plain, parseClaimPath(p))))
  const decoys = new Map<string, number>()
  for (const [p, n] of Object.entries(parsed.data.decoys ?? {})) {
    const resolved = resolveClaimPath(plain, parseClaimPath(p))
    let node: unknown = plain
    for (const s of resolved) node = node instanceof Map ? node.get(s) : (node as unknown[])[s as number]
    if (!(node instanceof Map) && !Array.isArray(node)) invalid(`decoys: ${p} is not a map or an array`)
    decoys.set(pathId(resolved), n)
  }

  let nextDecoy = 1
  const mark = (v: unknown, path: ClaimPathSegment[]): unknown => {
    const extra = decoys.get(pathId(path)) ?? 0
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>()
      for (const [k, x] of v) {
        const p = [...path, k as ClaimPathSegment]
        out.set(redact.has(pathId(p)) ? new CborTag(TAG_TO_BE_REDACTED, k) : k, mark(x, p))
      }
      for (let i = 0; i < extra; i++) out.set(new CborTag(TAG_TO_BE_DECOY, nextDecoy++), null)
      return out
    }
    if (Array.isArray(v)) {
      const out: unknown[] = v.map((x, i) => {
        const inner = mark(x, [...path, i])
        return redact.has(pathId([...path, i])) ? new CborTag(TAG_TO_BE_REDACTED, inner) : inner
      })
      for (let i = 0; i < extra; i++) out.push(new CborTag(TAG_TO_BE_DECOY, nextDecoy++))
      return out
    }
    if (v instanceof CborTag) return new CborTag(v.tag, mark(v.value, path))
    return v
  }
  const claims = mark(plain, []) as Map<unknown, unknown>
  return parsed.data.validFor === undefined ? { claims } : { claims, validFor: parsed.data.validFor }
}
