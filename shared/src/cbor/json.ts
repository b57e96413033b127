/**
 * @module cbor/json
 * A JSON view of decoded CBOR values, the one the CLI prints (`e2eid sd-cwt verify`): map keys as
 * strings (integer labels in decimal, e.g. "1", "-2"), byte strings as unpadded base64url, integers and floats as
 * numbers, other tags as `{"tag": N, "value": V}`. Lossy by design (a text key "1" and an int key 1 look alike);
 * for display and for JSON APIs, never for re-encoding.
 *
 * Also: integers beyond ±2^53 as decimal strings, NaN / ±Infinity as the strings "NaN" / "Infinity" /
 * "-Infinity", `undefined` as null, simple values as `{"simple": n}`; a map key that is not an int or a text string
 * is written in diagnostic notation (e.g. "simple(59)", "h'01'"). A map whose keys collide in JSON (1 and "1")
 * is refused with ERR_CBOR_JSON_KEY_COLLISION.
 */
import { E2eidError } from '../errors.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { toDiagnostic } from './diagnostic.js'
import { CborSimple, CborTag } from './types.js'

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

function key(k: unknown): string {
  if (typeof k === 'string') return k
  if (typeof k === 'number' && Number.isInteger(k)) return String(k)
  if (typeof k === 'bigint') return k.toString()
  return toDiagnostic(k)
}

/** Converts a decoded CBOR value to JSON as described in the module comment. */
export function cborToJson(v: unknown): JsonValue {
  if (v === null || v === undefined) return null
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v
    case 'number':
      if (Number.isNaN(v)) return 'NaN'
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
      return v
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
    default:
      break
  }
  if (v instanceof Uint8Array) return base64urlEncode(v)
  if (Array.isArray(v)) return v.map(cborToJson)
  if (v instanceof Map) {
    const o: { [key: string]: JsonValue } = {}
    for (const [k, x] of v) {
      const name = key(k)
      // 1 and "1" would both become "1": refuse rather than silently drop a claim.
      if (Object.hasOwn(o, name)) throw new E2eidError('ERR_CBOR_JSON_KEY_COLLISION', `map key ${JSON.stringify(name)} appears twice in the JSON view (an integer and a text label?)`)
      Object.defineProperty(o, name, { value: cborToJson(x), enumerable: true, writable: true, configurable: true })
    }
    return o
  }
  if (v instanceof CborTag) return { tag: v.tag, value: cborToJson(v.value) }
  if (v instanceof CborSimple) return { simple: v.value }
  return null
}
