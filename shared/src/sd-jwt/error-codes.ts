/**
 * @module error-codes
 * Every code the sd-jwt area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const SD_JWT_ERRORS = {
  ERR_SDJWT_DISCLOSURE_UNREFERENCED: { meaning: 'ERR_SDJWT_DIGEST_DUPLICATE' },
  ERR_SDJWT_DISCLOSURE_DUPLICATE: { meaning: 'ERR_SDJWT_DISCLOSURE_UNREFERENCED' },
  ERR_SDJWT_SIGNATURE_INVALID: { meaning: 'ERR_SDJWT_HASH_ALG_UNSUPPORTED' },
  ERR_SDJWT_KB_MISSING: { meaning: 'ERR_SDJWT_KB_UNEXPECTED' },
  ERR_SDJWT_KB_SIGNATURE_INVALID: { meaning: 'ERR_SDJWT_KB_IAT_INVALID' },
  ERR_SDJWT_KB_TYP_INVALID: { meaning: 'ERR_SDJWT_KB_ALG_NOT_ALLOWED' },
  ERR_SDJWT_KB_SD_HASH_MISMATCH: { meaning: 'ERR_SDJWT_PATH_INVALID' },
  ERR_SDJWT_KB_MALFORMED: { meaning: 'ERR_SDJWT_KB_TYP_INVALID' },
  ERR_SDJWT_KB_AUD_MISMATCH: { meaning: 'ERR_SDJWT_KB_NONCE_MISMATCH' },
  ERR_SDJWT_KB_NONCE_MISMATCH: { meaning: 'ERR_SDJWT_KB_SD_HASH_MISMATCH' },
  ERR_SDJWT_KB_IAT_INVALID: { meaning: 'ERR_SDJWT_KB_EXPIRED' },
  ERR_SDJWT_PATH_INVALID: { meaning: 'claim path must not be empty' },
  ERR_SDJWT_MALFORMED: { meaning: 'SD-JWT must be a string' },
  ERR_SDJWT_TOO_LARGE: { meaning: 'SD-JWT longer than … characters' },
  ERR_SDJWT_DISCLOSURE_MALFORMED: { meaning: 'disclosure' },
  ERR_SDJWT_DISCLOSURE_RESERVED_NAME: { meaning: 'disclosure claim name … is reserved (§7.1 step 3.c.ii.2)' },
  ERR_SDJWT_ALG_NOT_ALLOWED: { meaning: 'ERR_SDJWT_TYP_INVALID' },
  ERR_SDJWT_TYP_INVALID: { meaning: 'ERR_SDJWT_CRIT_UNSUPPORTED' },
  ERR_SDJWT_CRIT_UNSUPPORTED: { meaning: 'ERR_SDJWT_ISSUER_KEY_UNKNOWN' },
  ERR_SDJWT_ISSUER_KEY_UNKNOWN: { meaning: 'ERR_SDJWT_SIGNATURE_INVALID' },
  ERR_SDJWT_HASH_ALG_UNSUPPORTED: { meaning: 'ERR_SDJWT_DISCLOSURE_MALFORMED' },
  ERR_SDJWT_DIGEST_DUPLICATE: { meaning: 'ERR_SDJWT_CLAIM_COLLISION' },
  ERR_SDJWT_CLAIM_COLLISION: { meaning: 'ERR_SDJWT_SD_MALFORMED' },
  ERR_SDJWT_SD_MALFORMED: { meaning: 'ERR_SDJWT_CLAIM_INVALID' },
  ERR_SDJWT_CLAIM_INVALID: { meaning: 'ERR_SDJWT_EXPIRED' },
  ERR_SDJWT_EXPIRED: { meaning: 'ERR_SDJWT_NOT_YET_VALID' },
  ERR_SDJWT_NOT_YET_VALID: { meaning: 'ERR_SDJWT_IAT_IN_FUTURE' },
  ERR_SDJWT_IAT_IN_FUTURE: { meaning: 'ERR_SDJWT_ISS_MISSING' },
  ERR_SDJWT_ISS_MISSING: { meaning: 'ERR_SDJWT_VCT_MISSING' },
  ERR_SDJWT_VCT_MISSING: { meaning: 'ERR_SDJWT_VC_CLAIM_DISCLOSED' },
  ERR_SDJWT_VC_CLAIM_DISCLOSED: { meaning: 'ERR_SDJWT_STATUS_INVALID' },
  ERR_SDJWT_STATUS_INVALID: { meaning: 'ERR_SDJWT_CNF_MISSING' },
  ERR_SDJWT_CNF_MISSING: { meaning: 'ERR_SDJWT_CNF_INVALID' },
  ERR_SDJWT_CNF_INVALID: { meaning: 'ERR_SDJWT_CNF_MISMATCH' },
  ERR_SDJWT_CNF_MISMATCH: { meaning: 'ERR_SDJWT_KB_MISSING' },
  ERR_SDJWT_KB_UNEXPECTED: { meaning: 'ERR_SDJWT_KB_MALFORMED' },
  ERR_SDJWT_KB_ALG_NOT_ALLOWED: { meaning: 'ERR_SDJWT_KB_SIGNATURE_INVALID' },
  ERR_SDJWT_KB_EXPIRED: { meaning: 'ERR_SDJWT_KB_AUD_MISMATCH' },
  ERR_SDJWT_PATH_NOT_FOUND: { meaning: 'ERR_SDJWT_INPUT_INVALID' },
  ERR_SDJWT_INPUT_INVALID: { meaning: 'a disclosure frame must be an object' },
} as const satisfies Record<string, ErrorInfo>

/** One of {@link SD_JWT_ERRORS}. */
export type SdJwtErrorCode = keyof typeof SD_JWT_ERRORS
