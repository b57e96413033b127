/**
 * @module error-codes
 * Every code the cbor area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const CBOR_ERRORS = {
  ERR_CBOR_TRUNCATED: { meaning: 'CBOR item runs past the end of the input at offset …' },
  ERR_CBOR_NOT_PREFERRED: { meaning: 'non-preferred argument encoding at offset …' },
  ERR_CBOR_INDEFINITE_LENGTH: { meaning: 'indefinite-length item at offset …' },
  ERR_CBOR_MALFORMED: { meaning: 'the bytes are not well-formed CBOR (reserved or truncated item)' },
  ERR_CBOR_INVALID_UTF8: { meaning: 'invalid UTF-8 in text string at offset …' },
  ERR_CBOR_TOO_DEEP: { meaning: 'CBOR nesting is deeper than the decoder allows' },
  ERR_CBOR_UNSUPPORTED: { meaning: 'a CBOR item the decoder does not accept (e.g. a floating-point map key)' },
  ERR_CBOR_DUPLICATE_KEY: { meaning: 'duplicate map key at offset …' },
  ERR_CBOR_TOO_LARGE: { meaning: 'the CBOR input exceeds the size limit' },
  ERR_CBOR_EMPTY: { meaning: 'input is empty' },
  ERR_CBOR_TRAILING_BYTES: { meaning: 'bytes follow the single CBOR item' },
  ERR_CBOR_JSON_KEY_COLLISION: { meaning: 'map key … appears twice in the JSON view (an integer and a text label?)' },
} as const satisfies Record<string, ErrorInfo>

