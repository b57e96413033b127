/**
 * @module present/openid4vp
 * Wallet side of OpenID4VP 1.0 for what the project's verifier sends: an unsigned Authorization
 * Request by value (`openid4vp://?…`, §5), `response_type=vp_token`, `response_mode=direct_post`
 * (§8.2), a DCQL query (§6), Client Identifier prefix `redirect_uri:` (§5.9.3), whose value must
 * then be the Response URI. The KB-JWT / KBT `aud` is the full `client_id` (App. B.3.6) and the
 * nonce is the request's (hex, so SD-CWT can use its bytes as `cnonce`). Signed requests (JAR),
 * `request_uri` and other response modes are refused (ERR_WALLET_OPENID4VP_UNSUPPORTED).
 */
import { E2eidError, parseWith } from '@e2eid/shared'
import { z } from 'zod'
import type { PresentationPreview } from '../formats/types.js'
import type { DcqlMatch } from './dcql.js'
import type { Presentation, Wallet } from '../wallet.js'

const zRequest = z.object({
  response_type: z.literal('vp_token'),
  response_mode: z.literal('direct_post'),
  client_id: z.string().min(1).max(2048),
  response_uri: z.string().url().max(2048),
  nonce: z.string().min(1).max(512),
  state: z.string().min(1).max(512).optional(),
  dcql_query: z.unknown(),
})

/** A parsed OpenID4VP Authorization Request. */
export type Openid4vpRequest = z.infer<typeof zRequest>

/** Parses and checks an `openid4vp://` request URI (or any URI whose query carries the parameters). */
export function parseOpenid4vpRequest(uri: string): Openid4vpRequest {
  const q = uri.indexOf('?')
  if (q < 0) throw new E2eidError('ERR_WALLET_OPENID4VP_INVALID', 'request URI has no parameters')
  const params = new URLSearchParams(uri.slice(q + 1))
  if (params.has('request') || params.has('request_uri')) {
    throw new E2eidError('ERR_WALLET_OPENID4VP_UNSUPPORTED', 'signed or referenced request objects are not supported')
  }
  const raw: Record<string, unknown> = {}
  for (const [k, v] of params) {
    if (k in raw) throw new E2eidError('ERR_WALLET_OPENID4VP_INVALID', `parameter ${k} is repeated`)
    if (k === 'dcql_query' || k === 'client_metadata') {
      try {
        raw[k] = JSON.parse(v) as unknown
      } catch (e) {
        throw new E2eidError('ERR_WALLET_OPENID4VP_INVALID', `${k} is not JSON`, { cause: e })
      }
    } else raw[k] = v
  }
  const mode = raw.response_mode
  if (typeof mode === 'string' && mode !== 'direct_post') throw new E2eidError('ERR_WALLET_OPENID4VP_UNSUPPORTED', `response_mode ${mode} is not supported`)
  const r = parseWith(zRequest, raw, 'ERR_WALLET_OPENID4VP_INVALID', (issue) => `invalid request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`)
  // §5.9.3: an unsigned request may only use the redirect_uri prefix, and with direct_post its value is the Response URI.
  if (r.client_id !== `redirect_uri:${r.response_uri}`) {
    throw new E2eidError('ERR_WALLET_OPENID4VP_UNSUPPORTED', 'unsigned requests must use client_id redirect_uri:<response_uri>')
  }
  const u = new URL(r.response_uri)
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]'
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new E2eidError('ERR_WALLET_OPENID4VP_INVALID', 'response_uri must be https (http only on loopback)')
  }
  return r
}

/** What the wallet would send for a request: per Credential Query, the credential and its preview. */
export interface Openid4vpPlan {
  request: Openid4vpRequest
  items: Array<DcqlMatch & { preview: PresentationPreview }>
}

/** Matches the request's DCQL query and previews every presentation; nothing is signed. */
export async function planOpenid4vpResponse(wallet: Wallet, uri: string): Promise<Openid4vpPlan> {
  const request = parseOpenid4vpRequest(uri)
  const matches = await wallet.matchDcql(request.dcql_query)
  const items = []
  for (const m of matches) items.push({ ...m, preview: await wallet.preview(m.credentialId, { paths: m.paths }) })
  return { request, items }
}

/** The outcome of {@link respondOpenid4vp}. */
export interface Openid4vpResult {
  request: Openid4vpRequest
  /** HTTP status of the Response URI. */
  status: number
  /** The verifier's JSON answer (may hold `redirect_uri`, §8.2). */
  body: unknown
  presentations: Array<Presentation & { queryId: string }>
}

/**
 * Answers an OpenID4VP request: builds one presentation per matched Credential Query (recorded in
 * the history), POSTs `vp_token` (+ `state`) to the Response URI. Throws ERR_WALLET_OPENID4VP_REJECTED
 * when the verifier answers with an error status.
 */
export async function respondOpenid4vp(wallet: Wallet, uri: string, fetchFn: typeof fetch = (i, init) => globalThis.fetch(i, init)): Promise<Openid4vpResult> {
  const { request, items } = await planOpenid4vpResponse(wallet, uri)
  const presentations: Openid4vpResult['presentations'] = []
  const vpToken: Record<string, string[]> = {}
  for (const item of items) {
    const p = await wallet.present(item.credentialId, { paths: item.paths, aud: request.client_id, nonce: request.nonce })
    presentations.push({ ...p, queryId: item.queryId })
    vpToken[item.queryId] = [p.presentation]
  }
  const { status, body } = await postOpenid4vpResponse(request, vpToken, fetchFn)
  return { request, status, body, presentations }
}

/**
 * Posts a vp_token to the request's response_uri (response_mode direct_post, OpenID4VP 1.0 §8.2) and
 * returns the verifier's answer. Throws ERR_WALLET_OPENID4VP_POST_FAILED when the verifier cannot be
 * reached (`unreachableHint` is added to the message), ERR_WALLET_OPENID4VP_REJECTED with the verifier's
 * error when it refuses.
 */
export async function postOpenid4vpResponse(
  request: Openid4vpRequest,
  vpToken: Record<string, string[]>,
  fetchFn: typeof fetch,
  unreachableHint = '',
): Promise<{ status: number; body: unknown }> {
  const form = new URLSearchParams({ vp_token: JSON.stringify(vpToken), ...(request.state === undefined ? {} : { state: request.state }) })
  let res: Response
  try {
    res = await fetchFn(request.response_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'error',
    })
  } catch (e) {
    throw new E2eidError('ERR_WALLET_OPENID4VP_POST_FAILED', `could not reach ${request.response_uri}${unreachableHint}`, { cause: e })
  }
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  if (!res.ok) {
    const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
    const err = typeof b.error === 'string' ? `, ${b.error}` : ''
    const desc = typeof b.error_description === 'string' ? `: ${b.error_description}` : ''
    throw new E2eidError('ERR_WALLET_OPENID4VP_REJECTED', `the verifier refused the presentation (HTTP ${res.status}${err}${desc})`)
  }
  return { status: res.status, body }
}

