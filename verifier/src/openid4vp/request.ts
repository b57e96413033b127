/**
 * @module openid4vp/request
 * OpenID4VP 1.0 Authorization Requests (§5) for the direct_post response mode (§8.2), unsigned and passed by
 * value: the Client Identifier uses the `redirect_uri:` prefix (§5.9.3), whose value with direct_post is the
 * Response URI; the KB-JWT / KBT `aud` is then that full client_id (App. B.3.6). The request is offered as JSON
 * and as an `openid4vp://` URI carrying the same parameters (JSON-valued ones JSON-encoded, §5.1).
 */
import { E2eidError, base64urlEncode, hexEncode } from '@e2eid/shared'
import type { DcqlQuery } from '../dcql/z-dcql.js'
import { SD_CWT_FORMAT_ID, SD_JWT_VC_FORMAT_ID } from '../dcql/format-ids.js'

/** An unsigned OpenID4VP Authorization Request with a DCQL query. */
export interface AuthorizationRequest {
  response_type: 'vp_token'
  response_mode: 'direct_post'
  client_id: string
  response_uri: string
  /** §5.2: fresh, at least 128 bits, URL-safe; hex, so that an SD-CWT wallet can use its bytes as `cnonce`. */
  nonce: string
  /** §5.2: at least 128 bits; ties the direct_post response to this request. */
  state: string
  dcql_query: DcqlQuery
  client_metadata: { vp_formats_supported: Record<string, Record<string, unknown>> }
}

/** Inputs of {@link createAuthorizationRequest}. */
export interface CreateAuthorizationRequestInput {
  /** Where the wallet POSTs the response (https, or http on loopback for local use). */
  responseUri: string
  dcqlQuery: DcqlQuery
  /** Random bytes (inject in tests). */
  randomBytes: (n: number) => Uint8Array
}

/** The Client Identifier for a Response URI under the `redirect_uri` prefix (§5.9.3). */
export function clientIdFor(responseUri: string): string {
  return `redirect_uri:${responseUri}`
}

function asksFor(query: DcqlQuery, format: string): boolean {
  return query.credentials.some((c) => c.format === format)
}

/** Creates a request with a fresh nonce (256 bits, hex) and state (256 bits, base64url). */
export function createAuthorizationRequest(input: CreateAuthorizationRequestInput): AuthorizationRequest {
  let url: URL
  try {
    url = new URL(input.responseUri)
  } catch (e) {
    throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', 'response URI is not a URL', { cause: e })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', 'response URI must be http(s)')
  const algs = ['ES256', 'ES384', 'EdDSA']
  return {
    response_type: 'vp_token',
    response_mode: 'direct_post',
    client_id: clientIdFor(input.responseUri),
    response_uri: input.responseUri,
    nonce: hexEncode(input.randomBytes(32)),
    state: base64urlEncode(input.randomBytes(32)),
    dcql_query: input.dcqlQuery,
    client_metadata: {
      vp_formats_supported: {
        [SD_JWT_VC_FORMAT_ID]: { 'sd-jwt_alg_values': algs, 'kb-jwt_alg_values': algs },
        // COSE ids of the same algorithms (polymorphic and RFC 9864 fully specified). Named only when the query asks
        // for SD-CWT: its format id is project-defined, and third-party wallets need not know it.
        ...(asksFor(input.dcqlQuery, SD_CWT_FORMAT_ID)
          ? { [SD_CWT_FORMAT_ID]: { sd_cwt_alg_values: [-7, -9, -35, -51, -8, -19], kbt_alg_values: [-7, -9, -35, -51, -8, -19] } }
          : {}),
      },
    },
  }
}

/** The request as an `openid4vp://` URI (parameters by value; JSON-valued ones JSON-encoded). */
export function authorizationRequestUri(request: AuthorizationRequest, scheme = 'openid4vp://'): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(request)) params.set(k, typeof v === 'string' ? v : JSON.stringify(v))
  return `${scheme}?${params.toString()}`
}

/** Parses an `openid4vp://` URI back into its parameters (wallet side, and tests). Throws ERR_OPENID4VP_REQUEST_INVALID. */
export function parseAuthorizationRequestUri(uri: string): Record<string, unknown> {
  const q = uri.indexOf('?')
  if (q < 0) throw new E2eidError('ERR_OPENID4VP_REQUEST_INVALID', 'request URI has no parameters')
  const out: Record<string, unknown> = {}
  for (const [k, v] of new URLSearchParams(uri.slice(q + 1))) {
    if (k === 'dcql_query' || k === 'client_metadata') {
      try {
        out[k] = JSON.parse(v)
      } catch (e) {
        throw new E2eidError('ERR_OPENID4VP_REQUEST_INVALID', `${k} is not JSON`, { cause: e })
      }
    } else {
      out[k] = v
    }
  }
  return out
}
