/**
 * @module http/body
 * Reading request bodies strictly: the declared media type must match, form parameters may not
 * repeat (RFC 6749 §3.1), JSON must parse. Size is capped by the body-limit middleware before this.
 */
import type { Context } from 'hono'
import { oauthError } from './oauth-error.js'
import type { OAuthErrorCode } from './oauth-error.js'

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** An application/x-www-form-urlencoded body as a record; duplicate names are refused. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  if (mediaType(c) !== 'application/x-www-form-urlencoded') {
    throw oauthError('invalid_request', 'body must be application/x-www-form-urlencoded', 'ERR_ISSUER_MEDIA_TYPE')
  }
  const params = new URLSearchParams(await c.req.text())
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [k, v] of params) {
    if (k in out) throw oauthError('invalid_request', `parameter ${k.slice(0, 64)} is repeated`, 'ERR_ISSUER_PARAM_REPEATED')
    out[k] = v
  }
  return { ...out }
}

/** An application/json body; `error` is the OAuth error for a malformed one. */
export async function readJson(c: Context, error: OAuthErrorCode = 'invalid_request'): Promise<unknown> {
  if (mediaType(c) !== 'application/json') throw oauthError(error, 'body must be application/json', 'ERR_ISSUER_MEDIA_TYPE')
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw oauthError(error, 'body is not valid JSON', 'ERR_ISSUER_JSON_MALFORMED')
  }
}
