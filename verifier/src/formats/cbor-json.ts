/**
 * @module formats/cbor-json
 * The JSON view of CBOR claims, as the CLI contract of `e2eid sd-cwt verify` fixes it: map keys as strings
 * (integer labels in decimal, e.g. "1", "-2"), byte strings as unpadded base64url, integers and floats as numbers,
 * other tags as {"tag": N, "value": V}. Simple values become {"simple": N}; undefined becomes null; integers
 * beyond 2^53 become decimal strings.
 */
import { CborSimple, CborTag, E2eidError, base64urlEncode } from '@e2eid/shared'
import type { JsonObject, JsonValue } from '../claims/json.js'

function keyText(k: unknown): string {
  if (typeof k === 'string') return k
  if (typeof k === 'number' || typeof k === 'bigint') return String(k)
  if (k instanceof Uint8Array) return base64urlEncode(k)
  if (typeof k === 'boolean') return String(k)
  if (k instanceof CborSimple) return `simple(${k.value})`
  throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', 'a claim map key cannot be shown as JSON')
}

/** Converts a decoded CBOR value to its JSON view. Throws ERR_VERIFY_CLAIMS_UNSUPPORTED for duplicate keys after conversion. */
export function cborToJson(v: unknown, depth = 0): JsonValue {
  if (depth > 64) throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', 'claims nest too deeply')
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v)
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
  if (v instanceof Uint8Array) return base64urlEncode(v)
  if (Array.isArray(v)) return v.map((x) => cborToJson(x, depth + 1))
  if (v instanceof CborTag) return { tag: v.tag, value: cborToJson(v.value, depth + 1) }
  if (v instanceof CborSimple) return { simple: v.value }
  if (v instanceof Map) {
    const out: JsonObject = {}
    for (const [k, x] of v) {
      const key = keyText(k)
      // "1" and 1 would collide in JSON: refuse rather than silently drop one.
      if (Object.hasOwn(out, key)) throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', `claim key ${key} appears twice in the JSON view`)
      out[key] = cborToJson(x, depth + 1)
    }
    return out
  }
  throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', 'a claim value cannot be shown as JSON')
}
