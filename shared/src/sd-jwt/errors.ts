/**
 * @module sd-jwt/errors
 * Every rejection path of the SD-JWT / SD-JWT VC layer has its own stable code
 * (RFC 9901 §7, SD-JWT VC §2.4). Tests assert these codes; callers branch on them.
 */
import { E2eidError } from '../errors.js'
import { SD_JWT_ERRORS } from './error-codes.js'
import type { SdJwtErrorCode } from './error-codes.js'

/** The stable error codes thrown by the SD-JWT layer (always inside an {@link E2eidError}): the keys of SD_JWT_ERRORS. */
export const SD_JWT_ERROR_CODES = Object.keys(SD_JWT_ERRORS) as readonly SdJwtErrorCode[]

export type { SdJwtErrorCode }

/** Builds the E2eidError for an SD-JWT rejection (typed code, so typos do not compile). */
export function sdJwtError(code: SdJwtErrorCode, message: string, cause?: unknown): E2eidError {
  return new E2eidError(code, message, cause === undefined ? {} : { cause })
}
