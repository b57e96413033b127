/**
 * @module formats/cbor-json
 * The JSON view of CBOR claims, as the CLI contract of `e2eid sd-cwt verify` fixes it: map keys as strings
 * (integer labels in decimal, e.g. "1", "-2"), byte strings as unpadded base64url, integers and floats as numbers,
 * other tags as {"tag": N, "value": V}. Simple values become {"simple": N}; undefined becomes null; integers
 * beyond 2^53 become decimal strings. One converter for the project: `cborToJson` of `@e2eid/shared` (shared/src/cbor/json.ts),
 * so `e2eid verify` and `e2eid sd-cwt verify` print the same view; this module keeps the verifier's error code.
 *
 * A verifier refuses claims that have no JSON view ({@link assertJsonView}, at verification time) but builds the
 * view only when it is read ({@link lazyJsonView}; the result objects expose it through a `claims` accessor): a 1,000-leaf MLS join reads no claims.
 */
import { E2eidError, cborToJson as sharedCborToJson, toDiagnostic } from '@e2eid/shared'
import type { JsonObject, JsonValue } from '../claims/json.js'

const MAX_DEPTH = 64

/** Converts a decoded CBOR value to its JSON view. Throws ERR_VERIFY_CLAIMS_UNSUPPORTED for keys that collide in JSON (1 and "1") or nesting past 64. */
export function cborToJson(v: unknown): JsonValue {
  assertJsonView(v)
  return sharedCborToJson(v)
}

// The JSON name the shared converter gives a map key.
function jsonName(k: unknown): string {
  if (typeof k === 'string') return k
  if (typeof k === 'number' && Number.isInteger(k)) return String(k)
  if (typeof k === 'bigint') return k.toString()
  return toDiagnostic(k)
}

function collision(name: string): never {
  throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', `map key ${JSON.stringify(name)} appears twice in the JSON view (an integer and a text label?)`)
}

/**
 * Checks, without building it, that `v` has a JSON view: nesting within 64 levels and no two keys of a map with
 * one JSON name (1 and "1"). After it, the shared `cborToJson(v)` cannot fail. Throws ERR_VERIFY_CLAIMS_UNSUPPORTED.
 */
export function assertJsonView(v: unknown, depth = 0): void {
  if (depth > MAX_DEPTH) throw new E2eidError('ERR_VERIFY_CLAIMS_UNSUPPORTED', 'claims nest too deeply')
  if (Array.isArray(v)) {
    for (const x of v) assertJsonView(x, depth + 1)
  } else if (v instanceof Map) {
    // Distinct text keys, or distinct integers, never share a name; only a map mixing kinds needs the name set.
    let strings = 0
    let ints = 0
    for (const k of v.keys()) {
      if (typeof k === 'string') strings++
      else if (typeof k === 'number' && Number.isInteger(k)) ints++
    }
    if (strings !== v.size && ints !== v.size) {
      const names = new Set<string>()
      for (const k of v.keys()) {
        const name = jsonName(k)
        if (names.has(name)) collision(name)
        names.add(name)
      }
    }
    for (const x of v.values()) assertJsonView(x, depth + 1)
  } else if (typeof v === 'object' && v !== null && 'tag' in v && 'value' in v) {
    assertJsonView((v as { value: unknown }).value, depth + 1)
  }
}

/**
 * The JSON view of a claims map that passed {@link assertJsonView}, built on the first call and then reused.
 * For result objects whose `claims` is read by few callers.
 */
export function lazyJsonView(claims: Map<unknown, unknown>): () => JsonObject {
  let view: JsonObject | undefined
  return () => (view ??= sharedCborToJson(claims) as JsonObject)
}
