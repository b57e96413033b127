/**
 * @module error-codes
 * Every code the mls area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const MLS_ERRORS = {
  ERR_MLS_SERVICE_INVALID: { meaning: 'service … is not an absolute URI' },
  ERR_MLS_GROUP_ID_INVALID: { meaning: 'the MLS group_id is empty or malformed' },
  ERR_MLS_CREDENTIAL_TYPES_INVALID: { meaning: 'credential type … is not a usable uint16 code point' },
  ERR_MLS_CREDENTIAL_EMPTY: { meaning: 'the MLS credential carries an empty token' },
  ERR_MLS_SD_CWT_NOT_COSE_SIGN1: { meaning: 'sd_kbt is not a tagged COSE_Sign1 (expected d2 84)' },
  ERR_MLS_SD_JWT_MALFORMED: { meaning: 'the SD-JWT inside an MLS credential is malformed' },
  ERR_MLS_CREDENTIAL_TOO_LARGE: { meaning: 'the MLS credential (its SD-JWT or SD-CWT) exceeds the size limit' },
  ERR_MLS_SD_JWT_KB_MISSING: { meaning: 'SD-JWT credential has no KB-JWT (key binding is required)' },
  ERR_MLS_TOO_MANY_DISCLOSURES: { meaning: 'the MLS credential carries more disclosures than allowed' },
  ERR_MLS_BOOL_INVALID: { meaning: 'SdJwt.compacted is …, not a Bool (0 or 1)' },
  ERR_MLS_CREDENTIAL_MALFORMED: { meaning: 'credential data is not bytes' },
  ERR_MLS_CREDENTIAL_TYPE_UNKNOWN: { meaning: 'credential type 0x… is not sd_cwt or sd_jwt' },
  ERR_MLS_SIGNATURE_KEY_INVALID: { meaning: 'the LeafNode signature_key is not a supported public key' },
  ERR_MLS_CREDENTIAL_TRUNCATED: { meaning: 'the MLS credential bytes end early' },
  ERR_MLS_VARINT_INVALID: { meaning: 'an MLS variable-length integer is not minimally encoded' },
  ERR_MLS_CREDENTIAL_TRAILING_BYTES: { meaning: 'bytes follow the end of the MLS credential' },
} as const satisfies Record<string, ErrorInfo>

