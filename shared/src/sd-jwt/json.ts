/**
 * @module sd-jwt/json
 * JSON in and out of SD-JWT parts. Two output styles: `compact` (JSON.stringify, what
 * sd-jwt-js and most issuers emit) and `python` (Python `json.dumps` defaults: `", "` and
 * `": "` separators, non-ASCII escaped as `\uXXXX`), which is how the RFC 9901 and SD-JWT VC
 * examples were generated; with it issuance reproduces those examples byte for byte.
 */
import { base64urlDecode } from '../encoding/base64url.js'
import { utf8Decode } from '../encoding/bytes.js'
import type { SdJwtErrorCode } from './errors.js'
import { sdJwtError } from './errors.js'

/** How JSON is serialized when issuing or presenting. */
export type JsonStyle = 'compact' | 'python'

const NON_ASCII = /[\u007f-\uffff]/g

function pyString(s: string): string {
  // JSON.stringify already escapes controls and lone surrogates like Python; add ensure_ascii
  // (Python escapes everything outside ' '..'~', DEL included).
  return JSON.stringify(s).replace(NON_ASCII, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

function pyJson(v: unknown): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'string':
      return pyString(v)
    case 'number':
      if (!Number.isFinite(v)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'JSON cannot carry a non-finite number')
      return JSON.stringify(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'object':
      if (Array.isArray(v)) return '[' + v.map(pyJson).join(', ') + ']'
      return (
        '{' +
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => pyString(k) + ': ' + pyJson(x))
          .join(', ') +
        '}'
      )
    default:
      throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `JSON cannot carry a ${typeof v}`)
  }
}

/** Serializes `value` in the given style. */
export function encodeJson(value: unknown, style: JsonStyle = 'compact'): string {
  if (style === 'python') return pyJson(value)
  const s = JSON.stringify(value)
  if (s === undefined) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'value cannot be serialized as JSON')
  return s
}

/** Decodes a base64url segment and parses it as JSON; any failure is `code`. */
export function decodeJsonSegment(segment: string, code: SdJwtErrorCode, what: string): unknown {
  try {
    return JSON.parse(utf8Decode(base64urlDecode(segment))) as unknown
  } catch (e) {
    throw sdJwtError(code, `${what} is not base64url-encoded UTF-8 JSON`, e)
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
