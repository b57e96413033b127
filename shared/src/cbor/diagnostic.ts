/**
 * @module cbor/diagnostic
 * Diagnostic notation (RFC 8949 §8, the EDN the SD-CWT draft prints) for decoded values, for `inspect`
 * views and error messages. Output only; there is no EDN parser.
 */
import { hexEncode } from '../encoding/hex.js'
import { CborSimple, CborTag } from './types.js'

/** Options for {@link toDiagnostic}. */
export interface DiagnosticOptions {
  /** Indent nested arrays and maps by this many spaces per level; 0 (default) prints on one line. */
  indent?: number
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return 'Infinity'
  if (n === -Infinity) return '-Infinity'
  if (Object.is(n, -0)) return '-0.0'
  if (Number.isInteger(n)) return Math.abs(n) > Number.MAX_SAFE_INTEGER ? n.toExponential().replace('e+', 'e') : String(n)
  return String(n)
}

function diag(v: unknown, indent: number, level: number): string {
  const nl = indent > 0 ? '\n' + ' '.repeat(indent * (level + 1)) : ''
  const end = indent > 0 ? '\n' + ' '.repeat(indent * level) : ''
  const sep = indent > 0 ? ',' : ', '
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  switch (typeof v) {
    case 'number':
      return num(v)
    case 'bigint':
      return v.toString()
    case 'boolean':
      return String(v)
    case 'string':
      return JSON.stringify(v)
    default:
      break
  }
  if (v instanceof Uint8Array) return `h'${hexEncode(v)}'`
  if (v instanceof CborSimple) return `simple(${v.value})`
  if (v instanceof CborTag) return `${v.tag}(${diag(v.value, indent, level)})`
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return '[' + v.map((x) => nl + diag(x, indent, level + 1)).join(sep) + end + ']'
  }
  if (v instanceof Map) {
    if (v.size === 0) return '{}'
    const parts = [...v.entries()].map(([k, x]) => nl + diag(k, indent, level + 1) + ': ' + diag(x, indent, level + 1))
    return '{' + parts.join(sep) + end + '}'
  }
  return `<${typeof v}>`
}

/** Diagnostic notation of a decoded CBOR value, e.g. `{1: -7, 4: h'01', simple(59): [h'af37…']}`. */
export function toDiagnostic(value: unknown, options: DiagnosticOptions = {}): string {
  return diag(value, options.indent ?? 0, 0)
}
