/**
 * @module error-codes
 * Every code the encoding area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const ENCODING_ERRORS = {
  ERR_BASE64URL_INVALID: { meaning: 'base64url input has an impossible length' },
  ERR_HEX_INVALID: { meaning: 'input is not an even-length hex string' },
} as const satisfies Record<string, ErrorInfo>

