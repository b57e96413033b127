/**
 * @module claims/json
 * The JSON view of disclosed claims that policies, DCQL and the service work on.
 */

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A JSON object of claims. */
export type JsonObject = { [key: string]: JsonValue }

/** Deep equality of JSON values (type and value, DCQL §6.3 "values": exact match). */
export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]))
  const ao = a as JsonObject
  const bo = b as JsonObject
  const ak = Object.keys(ao)
  if (ak.length !== Object.keys(bo).length) return false
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEquals(ao[k], bo[k]))
}
