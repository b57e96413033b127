/**
 * @module error-codes
 * Every code the status-list area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const STATUS_LIST_ERRORS = {
  ERR_STATUS_LIST_TYP_MISMATCH: { meaning: 'the status list token typ is not statuslist+jwt / statuslist+cwt' },
  ERR_STATUS_LIST_CLAIM_MISSING: { meaning: 'token has no "status_list"' },
  ERR_STATUS_LIST_CLAIMS_INVALID: { meaning: 'the status list token claims are missing or malformed' },
  ERR_BITSTRING_STATUS_SIZE_INVALID: { meaning: 'statusSize must be an integer from 1 to 16, not …' },
  ERR_BITSTRING_LENGTH: { meaning: 'the bitstring status list has an invalid entry count' },
  ERR_BITSTRING_VALUE_TOO_WIDE: { meaning: 'the status value does not fit the bitstring entry size' },
  ERR_BITSTRING_RANGE: { meaning: 'the index is outside the bitstring' },
  ERR_BITSTRING_ENCODING_INVALID: { meaning: 'encodedList must be a multibase base64url string (prefix "u")' },
  ERR_BITSTRING_ENTRY_INVALID: { meaning: 'a Bitstring Status List credentialStatus entry is malformed' },
  ERR_BITSTRING_PURPOSE_MISMATCH: { meaning: 'statusPurpose … is not a purpose of the status list' },
  ERR_STATUS_LIST_CLAIM_INVALID: { meaning: 'Status List Token "…" must be a number' },
  ERR_STATUS_LIST_SUB_MISMATCH: { meaning: 'Status List Token "sub" … is not the uri it was fetched from' },
  ERR_STATUS_LIST_TIME_MISMATCH: { meaning: 'historical Status List Token has no "exp" to check "time" against' },
  ERR_STATUS_LIST_EXPIRED: { meaning: 'Status List Token is expired' },
  ERR_STATUS_LIST_IAT_IN_FUTURE: { meaning: 'Status List Token "iat" is in the future' },
  ERR_STATUS_LIST_TOO_OLD: { meaning: 'Status List Token is older than the freshness policy allows' },
  ERR_STATUS_LIST_FETCH_FAILED: { meaning: 'fetching the status list failed' },
  ERR_STATUS_CLIENT_CONFIG: { meaning: 'a status client needs trustedKeys or a keyResolver' },
  ERR_STATUS_LIST_UNAVAILABLE: { meaning: 'the status list at … could not be refreshed and the cached one has expired' },
  ERR_STATUS_LIST_TRUNCATED: { meaning: 'compressed data is truncated' },
  ERR_STATUS_LIST_COMPRESSION_INVALID: { meaning: 'not a ZLIB (RFC 1950) stream' },
  ERR_STATUS_LIST_TOO_LARGE: { meaning: 'invalid decompression cap' },
  ERR_COMPRESSION_UNAVAILABLE: { meaning: 'CompressionStream is not available' },
  ERR_STATUS_LIST_INVALID: { meaning: 'StatusList must be an object' },
  ERR_STATUS_LIST_RESPONSE_TOO_LARGE: { meaning: 'Status List Token response exceeds … bytes' },
  ERR_STATUS_LIST_TIMEOUT: { meaning: 'fetching the status list timed out' },
  ERR_STATUS_LIST_HTTP_STATUS: { meaning: 'fetching the status list returned a non-200 HTTP status' },
  ERR_STATUS_LIST_CONTENT_TYPE: { meaning: 'unexpected Content-Type … for a Status List Token' },
  ERR_STATUS_LIST_BITS_INVALID: { meaning: 'status list "bits" must be 1, 2, 4 or 8, not …' },
  ERR_STATUS_LIST_SIZE_INVALID: { meaning: 'the status list size does not match its bits' },
  ERR_STATUS_LIST_VALUE_TOO_WIDE: { meaning: 'the status value does not fit the list\'s bits' },
  ERR_STATUS_LIST_INDEX_OUT_OF_RANGE: { meaning: 'the index is outside the status list' },
  ERR_STATUS_CLAIM_INVALID: { meaning: 'the status claim (status_list reference) is malformed' },
  ERR_STATUS_CLAIM_MISSING: { meaning: 'token has no "status" claim' },
} as const satisfies Record<string, ErrorInfo>

