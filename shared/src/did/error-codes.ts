/**
 * @module error-codes
 * Every code the did area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const DID_ERRORS = {
  ERR_DID_INVALID: { meaning: 'base58 string is too long' },
  ERR_DID_UNSUPPORTED_KEY: { meaning: 'did:jwk key is not a supported public key' },
  ERR_DID_DOCUMENT_INVALID: { meaning: 'did.json is not the document of …' },
  ERR_DID_UNSUPPORTED_METHOD: { meaning: 'did:… is not supported' },
  ERR_DID_RESOLUTION_FAILED: { meaning: 'the DID could not be resolved (did:web fetch failed or the document is unavailable)' },
} as const satisfies Record<string, ErrorInfo>

/** One of {@link DID_ERRORS}. */
export type DidErrorCode = keyof typeof DID_ERRORS
