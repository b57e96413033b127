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
  ERR_VERIFY_ISSUER_UNTRUSTED: { meaning: 'the credential\'s issuer is not a trusted authority' },
  ERR_POLICY_INVALID: { meaning: 'the verifier policy is invalid (e.g. an empty or malformed claims path)' },
  ERR_DCQL_FORMAT_MISMATCH: { meaning: 'the presentation is not of the format the DCQL query asks for' },
  ERR_DCQL_META_MISMATCH: { meaning: 'the credential type is not in the query\'s vct_values / meta' },
  ERR_DCQL_HOLDER_BINDING_MISSING: { meaning: 'query … requires holder binding' },
  ERR_DCQL_CLAIM_MISSING: { meaning: 'a claim the DCQL query asks for is missing or has another value' },
  ERR_DCQL_CLAIM_SETS_UNSATISFIED: { meaning: 'query …: no claim set is satisfied' },
  ERR_DCQL_UNKNOWN_QUERY_ID: { meaning: 'vp_token answers unknown query …' },
  ERR_DCQL_RESPONSE_INVALID: { meaning: 'the vp_token does not answer the DCQL query (an empty or malformed entry)' },
  ERR_DCQL_MULTIPLE_NOT_ALLOWED: { meaning: 'query … allows one presentation' },
  ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED: { meaning: 'the presentations satisfy no option of the query\'s credential_sets' },
  ERR_VERIFY_FORMAT_UNKNOWN: { meaning: 'the presentation is in no supported format' },
  ERR_VERIFY_TOO_LARGE: { meaning: 'the presentation exceeds the size limit' },
  ERR_VERIFY_TYP_MISMATCH: { meaning: 'the credential typ is not the expected one' },
  ERR_VERIFY_KEY_BINDING_MISSING: { meaning: 'the presentation has no key binding where it is required' },
  ERR_VERIFY_CLAIMS_UNSUPPORTED: { meaning: 'the credential uses claims the verifier does not support' },
  ERR_SDCWT_KBT_MISSING: { meaning: 'a bare SD-CWT where key binding (a KBT) is required' },
  ERR_VERIFY_ISSUER_KEY_UNKNOWN: { meaning: 'no key of the trusted issuer matches the credential (kid)' },
  ERR_VERIFY_ISSUER_KEY_WITHDRAWN: { meaning: 'the issuer withdrew the key the credential is signed with' },
  ERR_VERIFY_ISSUER_METADATA_INVALID: { meaning: 'the issuer\'s JWT VC Issuer Metadata is invalid or for another issuer' },
  ERR_VERIFY_KEY_SET_INVALID: { meaning: 'a JWK Set is invalid or contains a private key' },
  ERR_VERIFY_URL_NOT_ALLOWED: { meaning: 'the URL to fetch is not allowed (scheme, host, private address)' },
  ERR_VERIFY_FETCH_FAILED: { meaning: 'a fetch by the verifier failed' },
  ERR_VERIFY_FETCH_TOO_LARGE: { meaning: 'a fetched document exceeds the size limit' },
  ERR_VERIFY_FETCH_INVALID_JSON: { meaning: 'a fetched document is not JSON' },
  ERR_VERIFY_CONFIG_INVALID: { meaning: 'the verifier configuration is invalid (the message names the field)' },
  ERR_VERIFY_INTERNAL: { meaning: 'verification failed with an unexpected internal error (no details)' },
  ERR_VERIFY_SESSIONS_FULL: { status: 503, meaning: 'too many pending presentation requests; retry after Retry-After' },
  ERR_VERIFY_RATE_LIMITED: { status: 429, meaning: 'too many presentation requests from this client; retry after Retry-After' },
  ERR_VERIFY_REQUESTS_UNAUTHORIZED: { status: 401, meaning: 'POST /requests needs the requests token (Authorization: Bearer)' },
  ERR_POLICY_FORMAT_NOT_ACCEPTED: { meaning: 'the policy does not accept this credential format' },
  ERR_POLICY_TYPE_NOT_ACCEPTED: { meaning: 'the policy does not accept this credential type' },
  ERR_POLICY_CREDENTIAL_TOO_OLD: { meaning: 'the credential was issued longer ago than the policy allows' },
  ERR_POLICY_CLAIM_MISSING: { meaning: 'a claim the policy requires is not disclosed' },
  ERR_POLICY_CLAIM_VALUE: { meaning: 'a claim has a value the policy does not accept' },
  ERR_POLICY_STATUS_MISSING: { meaning: 'the policy requires a status reference; the credential has none' },
  ERR_STATUS_REVOKED: { meaning: 'the credential is revoked' },
  ERR_STATUS_SUSPENDED: { meaning: 'the credential is suspended' },
  ERR_STATUS_NOT_VALID: { meaning: 'the credential\'s status is neither valid, revoked nor suspended' },
  ERR_STATUS_NOT_CONFIGURED: { meaning: 'the credential has a status but the verifier has no status checker' },
  ERR_STATUS_UNAVAILABLE: { meaning: 'the status list could not be fetched or refreshed (fail closed)' },
  ERR_STATUS_URL_NOT_ALLOWED: { meaning: 'the status list URL is not allowed' },
  ERR_STATUS_LIST_SIGNATURE_INVALID: { meaning: 'the status list does not verify with the issuer\'s keys' },
  ERR_STATUS_LIST_STALE: { meaning: 'the status list is older than one already seen (rollback)' },
  ERR_OPENID4VP_REQUEST_INVALID: { meaning: 'the OpenID4VP authorization request is invalid' },
  ERR_OPENID4VP_RESPONSE_INVALID: { meaning: 'the OpenID4VP response (direct_post, vp_token) is invalid' },
  ERR_OPENID4VP_WALLET_ERROR: { meaning: 'the wallet answered with an OpenID4VP error response' },
  ERR_MLS_PRESENTATION_INVALID: { meaning: 'the credential in the MLS leaf does not verify (the message gives the inner code)' },
  ERR_MLS_CREDENTIAL_TYPE_NOT_ALLOWED: { meaning: 'credential type 0x… is not accepted' },
  ERR_MLS_AUDIENCE_MISSING: { meaning: 'the presentation has no aud' },
  ERR_MLS_AUDIENCE_MISMATCH: { meaning: 'the credential\'s aud is not this MLS group' },
  ERR_MLS_SUB_MISSING: { meaning: 'the credential discloses no sub (MLS client identity)' },
  ERR_MLS_CNF_MISSING: { meaning: 'the credential has no cnf key' },
  ERR_MLS_SUCCESSOR_CHANGED_IDENTITY: { meaning: 'a successor leaf (update, commit) changed its identity or issuer' },
  ERR_MLS_MESSAGE_TOO_LARGE: { meaning: 'the MLS message exceeds the size limit' },
  ERR_MLS_MESSAGE_MALFORMED: { meaning: 'MLS message does not decode' },
  ERR_MLS_MESSAGE_WRONG_TYPE: { meaning: 'the MLS message is not of the expected type (e.g. not a KeyPackage)' },
  ERR_MLS_REJECTED: { meaning: 'the MLS library refused the message' },
  ERR_MLS_CAPABILITIES_MISSING: { meaning: 'a leaf does not list a credential type used in the group' },
  ERR_MLS_USAGE: { meaning: 'the MLS helper was called wrongly (e.g. nothing to add)' },
  ERR_MLS_STATUS_UNAVAILABLE: { meaning: 'the status of a group member\'s credential could not be checked' },
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
  'ERR_DCQL_INVALID',
] as const satisfies readonly SharedErrorCode[]

/** Every code thrown by verifier/src: its own ({@link VERIFIER_ERRORS}) and the shared ones it raises itself. */
export const VERIFIER_ERROR_CODES: readonly (VerifierErrorCode | (typeof SHARED_CODES_THROWN)[number])[] = [
  ...(Object.keys(VERIFIER_ERRORS) as VerifierErrorCode[]),
  ...SHARED_CODES_THROWN,
]
