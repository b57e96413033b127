/**
 * @module http/oauth-error
 * The one error type endpoints throw: an {@link E2eidError} that also carries its OAuth 2.0 /
 * OpenID4VCI wire form (`error` code, HTTP status, `WWW-Authenticate`). `app.onError` turns it into
 * JSON; handlers never build error responses themselves.
 */
import { E2eidError } from '@e2eid/shared'
import type { ErrorCode, ErrorFactory } from '@e2eid/shared'

/**
 * OAuth 2.0 (RFC 6749 §5.2, RFC 6750 §3.1, RFC 9449 §7/§12), OpenID4VCI 1.0 (§6.3, §8.3.1, §11.3)
 * and admin-API error codes this issuer returns.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'access_denied'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'unknown_credential_identifier'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'invalid_encryption_parameters'
  | 'credential_request_denied'
  | 'invalid_notification_id'
  | 'invalid_notification_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unauthorized'
  | 'conflict'

/** Options for {@link OAuthError}. */
export interface OAuthErrorOptions {
  status?: number
  /** Extra response headers (e.g. WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>
  cause?: unknown
}

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
}

/** The E2eidError code of an OAuth error thrown without a more specific one (the type checks each spelling). */
const DEFAULT_CODE: { readonly [K in OAuthErrorCode]: `ERR_ISSUER_${Uppercase<K>}` } = {
  invalid_request: 'ERR_ISSUER_INVALID_REQUEST',
  invalid_client: 'ERR_ISSUER_INVALID_CLIENT',
  invalid_grant: 'ERR_ISSUER_INVALID_GRANT',
  unauthorized_client: 'ERR_ISSUER_UNAUTHORIZED_CLIENT',
  unsupported_grant_type: 'ERR_ISSUER_UNSUPPORTED_GRANT_TYPE',
  invalid_scope: 'ERR_ISSUER_INVALID_SCOPE',
  invalid_token: 'ERR_ISSUER_INVALID_TOKEN',
  invalid_dpop_proof: 'ERR_ISSUER_INVALID_DPOP_PROOF',
  use_dpop_nonce: 'ERR_ISSUER_USE_DPOP_NONCE',
  access_denied: 'ERR_ISSUER_ACCESS_DENIED',
  invalid_credential_request: 'ERR_ISSUER_INVALID_CREDENTIAL_REQUEST',
  unknown_credential_configuration: 'ERR_ISSUER_UNKNOWN_CREDENTIAL_CONFIGURATION',
  unknown_credential_identifier: 'ERR_ISSUER_UNKNOWN_CREDENTIAL_IDENTIFIER',
  invalid_proof: 'ERR_ISSUER_INVALID_PROOF',
  invalid_nonce: 'ERR_ISSUER_INVALID_NONCE',
  invalid_encryption_parameters: 'ERR_ISSUER_INVALID_ENCRYPTION_PARAMETERS',
  credential_request_denied: 'ERR_ISSUER_CREDENTIAL_REQUEST_DENIED',
  invalid_notification_id: 'ERR_ISSUER_INVALID_NOTIFICATION_ID',
  invalid_notification_request: 'ERR_ISSUER_INVALID_NOTIFICATION_REQUEST',
  not_found: 'ERR_ISSUER_NOT_FOUND',
  method_not_allowed: 'ERR_ISSUER_METHOD_NOT_ALLOWED',
  payload_too_large: 'ERR_ISSUER_PAYLOAD_TOO_LARGE',
  unsupported_media_type: 'ERR_ISSUER_UNSUPPORTED_MEDIA_TYPE',
  too_many_requests: 'ERR_ISSUER_TOO_MANY_REQUESTS',
  unauthorized: 'ERR_ISSUER_UNAUTHORIZED',
  conflict: 'ERR_ISSUER_CONFLICT',
}

/**
 * An HTTP-facing rejection. `code` (the E2eidError code) is `ERR_ISSUER_<CODE>` unless given;
 * `error` is the OAuth wire code; `status` is always 4xx.
 */
export class OAuthError extends E2eidError {
  readonly error: OAuthErrorCode
  readonly headers: Record<string, string>

  constructor(error: OAuthErrorCode, description: string, code?: ErrorCode, options: OAuthErrorOptions = {}) {
    const status = options.status ?? DEFAULT_STATUS[error] ?? 400
    super(code ?? DEFAULT_CODE[error], description, { status, cause: options.cause })
    this.error = error
    this.headers = headerValues(options.headers ?? {})
  }

  /**
   * The JSON body: `{ error, error_description, code }` (error_description restricted to %x20-21/%x23-5B/%x5D-7E;
   * `code` is our stable E2eidError code, an extension member clients ignore).
   */
  body(): { error: string; error_description: string; code: string } {
    return { error: this.error, error_description: asciiDescription(this.message), code: this.code }
  }
}

/** RFC 6749 §5.2: error_description uses only %x20-21 / %x23-5B / %x5D-7E. */
export function asciiDescription(s: string): string {
  return s.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, "'").slice(0, 300)
}

/**
 * Response header values that may carry request input (a character above U+00FF made the Headers
 * object throw, a 401 became a 500): anything outside printable ASCII (%x20-7E) becomes '?', which also rules
 * out CR/LF header splitting. Applied to every {@link OAuthError} header.
 */
function headerValue(s: string): string {
  return s.replace(/[^\x20-\x7E]/g, '?')
}

function headerValues(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h)) out[k] = headerValue(v)
  return out
}

/**
 * A WWW-Authenticate challenge (RFC 6750 §3, RFC 9449 §7.1) with `error_description` restricted to its charset
 * (%x20-21 / %x23-5B / %x5D-7E: no quote or backslash can end the quoted string early).
 */
export function wwwAuthenticate(scheme: 'DPoP' | 'Bearer', error: string, description: string, extra = ''): string {
  return `${scheme} error="${error}", error_description="${asciiDescription(description)}"${extra}`
}

/** Shorthand constructor. */
export function oauthError(error: OAuthErrorCode, description: string, code?: ErrorCode, options?: OAuthErrorOptions): OAuthError {
  return new OAuthError(error, description, code, options)
}

/** For {@link parseWith}: a schema refusal becomes this OAuth error (the E2eidError code stays the one given). */
export function asOAuthError(error: OAuthErrorCode): ErrorFactory {
  return (code, message) => new OAuthError(error, message, code)
}
