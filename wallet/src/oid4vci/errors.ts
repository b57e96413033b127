/**
 * @module oid4vci/errors
 * Turns the OpenID4VCI library's errors into E2eidError with the issuer's OAuth error code and
 * description in the message.
 */
import type { ErrorCode } from '@e2eid/shared'
import { E2eidError } from '@e2eid/shared'
import { Oauth2ClientErrorResponseError } from '@openid4vc/oauth2'
import { Openid4vciRetrieveCredentialsError } from '@openid4vc/openid4vci'

/** An error response of the Credential Endpoint (§8.3.1) received outside the library. */
export class CredentialErrorResponse extends Error {
  constructor(readonly error: string, description: string | undefined) {
    super(`${error}${description === undefined ? '' : `: ${description}`}`)
  }
}

function describe(e: unknown): string {
  if (e instanceof Oauth2ClientErrorResponseError) {
    const r = e.errorResponse
    return `${r.error}${typeof r.error_description === 'string' ? `: ${r.error_description}` : ''}`
  }
  if (e instanceof Openid4vciRetrieveCredentialsError) {
    const body = e.response.credentialErrorResponseResult
    if (body?.success) {
      return `${body.data.error}${body.data.error_description ? `: ${body.data.error_description}` : ''}`
    }
    return `HTTP ${e.response.response.status}`
  }
  return e instanceof Error ? e.message : String(e)
}

/** `e` itself when it is already an E2eidError, else an E2eidError with `code` saying `what` failed and why. */
export function wrapError(code: ErrorCode, what: string, e: unknown): E2eidError {
  if (e instanceof E2eidError) return e
  return new E2eidError(code, `${what}: ${describe(e)}`, { cause: e })
}

/** The OAuth `error` code of an error response, if `e` is one. */
export function oauthErrorCode(e: unknown): string | undefined {
  if (e instanceof Openid4vciRetrieveCredentialsError) {
    const body = e.response.credentialErrorResponseResult
    return body?.success ? body.data.error : undefined
  }
  if (e instanceof CredentialErrorResponse) return e.error
  return e instanceof Oauth2ClientErrorResponseError ? e.errorResponse.error : undefined
}
