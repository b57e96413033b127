/**
 * @module status-list/reference
 * The `status` claim of a Referenced Token (draft-20 §6): JOSE `"status": {"status_list": {"idx", "uri"}}`,
 * COSE claim 65535 holding a map with the text key "status_list" → `{"idx": uint, "uri": tstr}`.
 */
import { E2eidError } from '../errors.js'
import { STATUS_LIST_CWT_CLAIM } from './token-cwt.js'

/** Where a token's status lives: index `idx` of the Status List Token at `uri`. */
export interface StatusListReference {
  idx: number
  uri: string
}

function field(container: unknown, name: string): unknown {
  if (container instanceof Map) return container.get(name)
  if (typeof container === 'object' && container !== null && !Array.isArray(container)) return (container as Record<string, unknown>)[name]
  throw new E2eidError('ERR_STATUS_CLAIM_INVALID', `"${name}"'s container must be a map`)
}

/**
 * Validates `{idx, uri}` (§6.1): `idx` a non-negative integer, `uri` an absolute URI.
 * Throws ERR_STATUS_CLAIM_INVALID.
 */
export function parseStatusListReference(value: unknown): StatusListReference {
  const idx = field(value, 'idx')
  const uri = field(value, 'uri')
  if (typeof idx !== 'number' || idx >>> 0 !== idx) throw new E2eidError('ERR_STATUS_CLAIM_INVALID', 'status_list "idx" must be a non-negative integer below 2^32')
  if (typeof uri !== 'string' || !URL.canParse(uri)) throw new E2eidError('ERR_STATUS_CLAIM_INVALID', 'status_list "uri" must be an absolute URI')
  return { idx, uri }
}

/** Reads `status.status_list` from a JWT payload. ERR_STATUS_CLAIM_MISSING when there is none. */
export function statusReferenceFromJwtPayload(payload: Record<string, unknown>): StatusListReference {
  const status = payload.status
  if (status === undefined) throw new E2eidError('ERR_STATUS_CLAIM_MISSING', 'token has no "status" claim')
  const sl = field(status, 'status_list')
  if (sl === undefined) throw new E2eidError('ERR_STATUS_CLAIM_MISSING', 'token "status" has no "status_list"')
  return parseStatusListReference(sl)
}

/** Reads claim 65535 → "status_list" from decoded CWT claims (a Map with integer keys). */
export function statusReferenceFromCwtClaims(claims: Map<unknown, unknown>): StatusListReference {
  const status = claims.get(STATUS_LIST_CWT_CLAIM.status)
  if (status === undefined) throw new E2eidError('ERR_STATUS_CLAIM_MISSING', 'token has no status claim (65535)')
  if (!(status instanceof Map)) throw new E2eidError('ERR_STATUS_CLAIM_INVALID', 'status claim (65535) must be a map')
  const sl = status.get('status_list')
  if (sl === undefined) throw new E2eidError('ERR_STATUS_CLAIM_MISSING', 'status claim has no "status_list"')
  if (!(sl instanceof Map)) throw new E2eidError('ERR_STATUS_CLAIM_INVALID', '"status_list" must be a map')
  return parseStatusListReference(sl)
}

/** The JOSE `status` claim value for a reference: `{status_list: {idx, uri}}`. */
export function jwtStatusClaim(ref: StatusListReference): { status_list: StatusListReference } {
  const r = parseStatusListReference(ref)
  return { status_list: { idx: r.idx, uri: r.uri } }
}

/** The COSE claim 65535 value for a reference: a map with text keys (§6.3). */
export function cwtStatusClaim(ref: StatusListReference): Map<string, Map<string, unknown>> {
  const r = parseStatusListReference(ref)
  return new Map([['status_list', new Map<string, unknown>([['idx', r.idx], ['uri', r.uri]])]])
}
