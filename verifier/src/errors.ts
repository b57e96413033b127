/**
 * @module errors
 * The stable codes the verifier itself throws (inside {@link E2eidError}), one per rejection path, with their meaning
 * and, for the service's refusals, their HTTP status. The format layers add theirs (ERR_SDCWT_*, ERR_SDJWT_*,
 * ERR_COSE_*, ERR_CBOR_*, ERR_STATUS_LIST_*, in shared's lists), passed through unchanged so that a refusal names
 * exactly what was wrong. specs/errors.md is generated from these lists.
 */
import type { ErrorInfo, SharedErrorCode } from '@e2eid/shared'

export const VERIFIER_ERRORS = {
  ERR_MLS_KEY_MISMATCH: { meaning: 'the credential cnf is not the LeafNode signature_key' },
  ERR_VERIFY_ISSUER_UNTRUSTED: { meaning: 'ERR_VERIFY_ISSUER_KEY_UNKNOWN' },
  ERR_POLICY_INVALID: { meaning: 'empty claim path' },
  ERR_DCQL_INVALID: { meaning: 'invalid DCQL query: …' },
  ERR_DCQL_FORMAT_MISMATCH: { meaning: 'query … asks for …, got …' },
  ERR_DCQL_META_MISMATCH: { meaning: 'query …: credential type … is not in vct_values' },
  ERR_DCQL_HOLDER_BINDING_MISSING: { meaning: 'query … requires holder binding' },
  ERR_DCQL_CLAIM_MISSING: { meaning: 'query …: claim … is missing or has another value' },
  ERR_DCQL_CLAIM_SETS_UNSATISFIED: { meaning: 'query …: no claim set is satisfied' },
  ERR_DCQL_UNKNOWN_QUERY_ID: { meaning: 'vp_token answers unknown query …' },
  ERR_DCQL_RESPONSE_INVALID: { meaning: 'vp_token entry … is empty' },
  ERR_DCQL_MULTIPLE_NOT_ALLOWED: { meaning: 'query … allows one presentation' },
  ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED: { meaning: 'no presentation for query …' },
  ERR_VERIFY_FORMAT_UNKNOWN: { meaning: 'ERR_VERIFY_TOO_LARGE' },
  ERR_VERIFY_TOO_LARGE: { meaning: 'ERR_VERIFY_TYP_MISMATCH' },
  ERR_VERIFY_TYP_MISMATCH: { meaning: 'ERR_VERIFY_KEY_BINDING_MISSING' },
  ERR_VERIFY_KEY_BINDING_MISSING: { meaning: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' },
  ERR_VERIFY_CLAIMS_UNSUPPORTED: { meaning: 'map key … appears twice in the JSON view (an integer and a text label?)' },
  ERR_SDCWT_KBT_MISSING: { meaning: 'ERR_SDCWT_HEADER_INVALID' },
  ERR_VERIFY_ISSUER_KEY_UNKNOWN: { meaning: 'ERR_VERIFY_ISSUER_KEY_WITHDRAWN' },
  ERR_VERIFY_ISSUER_KEY_WITHDRAWN: { meaning: 'ERR_VERIFY_ISSUER_METADATA_INVALID' },
  ERR_VERIFY_ISSUER_METADATA_INVALID: { meaning: 'ERR_VERIFY_KEY_SET_INVALID' },
  ERR_VERIFY_KEY_SET_INVALID: { meaning: 'ERR_VERIFY_URL_NOT_ALLOWED' },
  ERR_VERIFY_URL_NOT_ALLOWED: { meaning: 'ERR_VERIFY_FETCH_FAILED' },
  ERR_VERIFY_FETCH_FAILED: { meaning: 'ERR_VERIFY_FETCH_TOO_LARGE' },
  ERR_VERIFY_FETCH_TOO_LARGE: { meaning: 'ERR_VERIFY_FETCH_INVALID_JSON' },
  ERR_VERIFY_FETCH_INVALID_JSON: { meaning: 'ERR_VERIFY_CONFIG_INVALID' },
  ERR_VERIFY_CONFIG_INVALID: { meaning: 'ERR_VERIFY_INTERNAL' },
  ERR_VERIFY_INTERNAL: { meaning: 'verification failed with an unexpected internal error (no details)' },
  ERR_VERIFY_SESSIONS_FULL: { status: 503, meaning: 'ERR_VERIFY_RATE_LIMITED' },
  ERR_VERIFY_RATE_LIMITED: { status: 429, meaning: 'ERR_VERIFY_REQUESTS_UNAUTHORIZED' },
  ERR_VERIFY_REQUESTS_UNAUTHORIZED: { status: 401, meaning: 'ERR_DID_INVALID' },
  ERR_POLICY_FORMAT_NOT_ACCEPTED: { meaning: 'ERR_POLICY_TYPE_NOT_ACCEPTED' },
  ERR_POLICY_TYPE_NOT_ACCEPTED: { meaning: 'ERR_POLICY_CREDENTIAL_TOO_OLD' },
  ERR_POLICY_CREDENTIAL_TOO_OLD: { meaning: 'ERR_POLICY_CLAIM_MISSING' },
  ERR_POLICY_CLAIM_MISSING: { meaning: 'ERR_POLICY_CLAIM_VALUE' },
  ERR_POLICY_CLAIM_VALUE: { meaning: 'ERR_POLICY_STATUS_MISSING' },
  ERR_POLICY_STATUS_MISSING: { meaning: 'the policy requires a status reference; the credential has none' },
  ERR_STATUS_REVOKED: { meaning: 'ERR_STATUS_SUSPENDED' },
  ERR_STATUS_SUSPENDED: { meaning: 'ERR_STATUS_NOT_VALID' },
  ERR_STATUS_NOT_VALID: { meaning: 'ERR_STATUS_NOT_CONFIGURED' },
  ERR_STATUS_NOT_CONFIGURED: { meaning: 'ERR_STATUS_UNAVAILABLE' },
  ERR_STATUS_UNAVAILABLE: { meaning: 'ERR_STATUS_URL_NOT_ALLOWED' },
  ERR_STATUS_URL_NOT_ALLOWED: { meaning: 'ERR_STATUS_LIST_SIGNATURE_INVALID' },
  ERR_STATUS_LIST_SIGNATURE_INVALID: { meaning: 'ERR_STATUS_LIST_INVALID' },
  ERR_STATUS_LIST_STALE: { meaning: 'the status list at … is older than one already seen (iat … < …)' },
  ERR_OPENID4VP_REQUEST_INVALID: { meaning: 'ERR_OPENID4VP_RESPONSE_INVALID' },
  ERR_OPENID4VP_RESPONSE_INVALID: { meaning: 'ERR_OPENID4VP_WALLET_ERROR' },
  ERR_OPENID4VP_WALLET_ERROR: { meaning: 'the wallet answered with an OpenID4VP error response' },
  ERR_MLS_PRESENTATION_INVALID: { meaning: 'presentation verification failed: …' },
  ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED: { meaning: 'credential type 0x… is not accepted' },
  ERR_MLS_AUDIENCE_MISSING: { meaning: 'the presentation has no aud' },
  ERR_MLS_AUDIENCE_MISMATCH: { meaning: 'aud … is not for this …' },
  ERR_MLS_SUB_MISSING: { meaning: 'the credential discloses no sub (MLS client identity)' },
  ERR_MLS_CNF_MISSING: { meaning: 'the credential has no cnf key' },
  ERR_MLS_SUCCESSOR_CHANGED_IDENTITY: { meaning: 'a successor leaf changed ${!sameId ?' },
  ERR_MLS_MESSAGE_TOO_LARGE: { meaning: 'MLS message has … bytes, limit …' },
  ERR_MLS_MESSAGE_MALFORMED: { meaning: 'MLS message does not decode' },
  ERR_MLS_MESSAGE_WRONG_TYPE: { meaning: 'not a KeyPackage' },
  ERR_MLS_REJECTED: { meaning: '…: …' },
  ERR_MLS_CAPABILITIES_MISSING: { meaning: 'leaf … does not list credential type 0x… used in the group' },
  ERR_MLS_USAGE: { meaning: 'no KeyPackage to add' },
  ERR_MLS_STATUS_UNAVAILABLE: { meaning: 'status check failed: …' },
} as const satisfies Record<string, ErrorInfo>

/** One of {@link VERIFIER_ERRORS}. */
export type VerifierErrorCode = keyof typeof VERIFIER_ERRORS

// Registers these codes with shared's E2eidError: `new E2eidError('ERR_…')` compiles only for a listed code.
declare module '@e2eid/shared' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<VerifierErrorCode, true> {}
}

/** shared's codes that verifier/src throws itself (a kid of the wrong type, DID resolution, an unacceptable list). */
const SHARED_CODES_THROWN = [
  'ERR_SDCWT_HEADER_INVALID',
  'ERR_DID_INVALID',
  'ERR_DID_UNSUPPORTED_KEY',
  'ERR_DID_UNSUPPORTED_METHOD',
  'ERR_DID_RESOLUTION_FAILED',
  'ERR_DID_DOCUMENT_INVALID',
  'ERR_STATUS_LIST_INVALID',
] as const satisfies readonly SharedErrorCode[]

/** Every code thrown by verifier/src: its own ({@link VERIFIER_ERRORS}) and the shared ones it raises itself. */
export const VERIFIER_ERROR_CODES: readonly (VerifierErrorCode | (typeof SHARED_CODES_THROWN)[number])[] = [
  ...(Object.keys(VERIFIER_ERRORS) as VerifierErrorCode[]),
  ...SHARED_CODES_THROWN,
]
