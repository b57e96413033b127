/**
 * @module formats/cbor-json
 * The JSON view of CBOR claims, as the CLI contract of `e2eid sd-cwt verify` fixes it: map keys as strings
 * (integer labels in decimal, e.g. "1", "-2"), byte strings as unpadded base64url, integers and floats as numbers,
 * other tags as {"tag": N, "value": V}. Simple values become {"simple": N}; undefined becomes null; integers
 * beyond 2^53 become decimal strings. One converter for the project: `cborToJson` of `@e2eid/shared` (shared/src/cbor/json.ts),
 * so `e2eid verify` and `e2eid sd-cwt verify` print the same view; this module keeps the verifier's error code.
 */
import { E2eidError, cborToJson as sharedCborToJson } from '@e2eid/shared'
import type { JsonValue } from '../claims/json.js'

/** Converts a decoded CBOR value to its JSON view. Throws ERR_VERIFY_CLAIMS_UNSUPPORTED for keys that collide in JSON (1 and "1") or nesting past 64. */
export function cborToJson(v: unknown): JsonValue {
  checkDepth(v, 0)
  try {
    return sharedCborToJson(v)
  } catch (e) {
    if (e instanceof E2eidError && e.code === 'ERR_CBOR_JSON_KEY_COLLISION') throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', e.message, { cause: e })
    throw e
  }
}

function checkDepth(v: unknown, depth: number): void {
  if (depth > 64) throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', 'claims nest too deeply')
  if (Array.isArray(v)) for (const x of v) checkDepth(x, depth + 1)
  else if (v instanceof Map) for (const x of v.values()) checkDepth(x, depth + 1)
  else if (typeof v === 'object' && v !== null && 'tag' in v && 'value' in v) checkDepth((v as { value: unknown }).value, depth + 1)
}
