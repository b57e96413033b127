/**
 * @module sd-jwt/errors
 * Every rejection path of the SD-JWT / SD-JWT VC layer has its own stable code
 * (RFC 9901 §7, SD-JWT VC §2.4). Tests assert these codes; callers branch on them.
 */
import { E2eidError } from '../errors.js'

/** The stable error codes thrown by the SD-JWT layer (always inside an {@link E2eidError}). */
export const SD_JWT_ERROR_CODES = [
  'ERR_SDJWT_MALFORMED',
  'ERR_SDJWT_TOO_LARGE',
  'ERR_SDJWT_ALG_NOT_ALLOWED',
  'ERR_SDJWT_TYP_INVALID',
  'ERR_SDJWT_CRIT_UNSUPPORTED',
  'ERR_SDJWT_ISSUER_KEY_UNKNOWN',
  'ERR_SDJWT_SIGNATURE_INVALID',
  'ERR_SDJWT_HASH_ALG_UNSUPPORTED',
  'ERR_SDJWT_DISCLOSURE_MALFORMED',
  'ERR_SDJWT_DISCLOSURE_RESERVED_NAME',
  'ERR_SDJWT_DISCLOSURE_DUPLICATE',
  'ERR_SDJWT_DISCLOSURE_UNREFERENCED',
  'ERR_SDJWT_DIGEST_DUPLICATE',
  'ERR_SDJWT_CLAIM_COLLISION',
  'ERR_SDJWT_SD_MALFORMED',
  'ERR_SDJWT_CLAIM_INVALID',
  'ERR_SDJWT_EXPIRED',
  'ERR_SDJWT_NOT_YET_VALID',
  'ERR_SDJWT_IAT_IN_FUTURE',
  'ERR_SDJWT_ISS_MISSING',
  'ERR_SDJWT_VCT_MISSING',
  'ERR_SDJWT_VC_CLAIM_DISCLOSED',
  'ERR_SDJWT_STATUS_INVALID',
  'ERR_SDJWT_CNF_MISSING',
  'ERR_SDJWT_CNF_INVALID',
  'ERR_SDJWT_CNF_MISMATCH',
  'ERR_SDJWT_KB_MISSING',
  'ERR_SDJWT_KB_UNEXPECTED',
  'ERR_SDJWT_KB_MALFORMED',
  'ERR_SDJWT_KB_TYP_INVALID',
  'ERR_SDJWT_KB_ALG_NOT_ALLOWED',
  'ERR_SDJWT_KB_SIGNATURE_INVALID',
  'ERR_SDJWT_KB_IAT_INVALID',
  'ERR_SDJWT_KB_EXPIRED',
  'ERR_SDJWT_KB_AUD_MISMATCH',
  'ERR_SDJWT_KB_NONCE_MISMATCH',
  'ERR_SDJWT_KB_SD_HASH_MISMATCH',
  'ERR_SDJWT_PATH_INVALID',
  'ERR_SDJWT_PATH_NOT_FOUND',
  'ERR_SDJWT_INPUT_INVALID',
] as const

/** One of {@link SD_JWT_ERROR_CODES}. */
export type SdJwtErrorCode = (typeof SD_JWT_ERROR_CODES)[number]

/** Builds the E2eidError for an SD-JWT rejection (typed code, so typos do not compile). */
export function sdJwtError(code: SdJwtErrorCode, message: string, cause?: unknown): E2eidError {
  return new E2eidError(code, message, cause === undefined ? {} : { cause })
}
