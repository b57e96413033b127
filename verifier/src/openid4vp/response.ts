/**
 * @module openid4vp/response
 * The direct_post Authorization Response (OpenID4VP 1.0 §8.2): form-encoded `vp_token` (a JSON object keyed by
 * Credential Query id, each value a non-empty array of presentations, §8.1) and `state`, or an `error` (§8.5).
 */
import { z } from 'zod'
import { E2eidError } from '@e2eid/shared'

/** A parsed direct_post body. */
export type DirectPostResponse =
  | { kind: 'vp_token'; vpToken: Record<string, string[]>; state: string }
  | { kind: 'error'; error: string; errorDescription: string | undefined; state: string }

export const zVpToken = z.record(z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), z.array(z.string().min(1).max(1 << 20)).min(1).max(16))

function field(form: Record<string, unknown>, name: string): string | undefined {
  const v = form[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new E2eidError('ERR_OPENID4VP_RESPONSE_INVALID', `${name} must be given once, as text`)
  return v
}

/** Parses the fields of a direct_post body. Throws ERR_OPENID4VP_RESPONSE_INVALID. */
export function parseDirectPostResponse(form: Record<string, unknown>): DirectPostResponse {
  const state = field(form, 'state')
  if (state === undefined || state === '') throw new E2eidError('ERR_OPENID4VP_RESPONSE_INVALID', 'the response has no state')
  const error = field(form, 'error')
  if (error !== undefined) return { kind: 'error', error, errorDescription: field(form, 'error_description'), state }
  const raw = field(form, 'vp_token')
  if (raw === undefined) throw new E2eidError('ERR_OPENID4VP_RESPONSE_INVALID', 'the response has no vp_token')
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (e) {
    throw new E2eidError('ERR_OPENID4VP_RESPONSE_INVALID', 'vp_token is not JSON', { cause: e })
  }
  const parsed = zVpToken.safeParse(json)
  if (!parsed.success || Object.keys(parsed.data).length === 0) {
    throw new E2eidError('ERR_OPENID4VP_RESPONSE_INVALID', 'vp_token must map credential query ids to arrays of presentations')
  }
  return { kind: 'vp_token', vpToken: parsed.data, state }
}
