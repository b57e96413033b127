/**
 * @module error-codes
 * Every code the did area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const DID_ERRORS = {
  ERR_DID_INVALID: { meaning: 'the DID is malformed (syntax, base58/base64url, percent-encoding)' },
  ERR_DID_UNSUPPORTED_KEY: { meaning: 'the DID names a key type that is not supported (Ed25519, P-256, P-384)' },
  ERR_DID_DOCUMENT_INVALID: { meaning: 'the DID document is malformed or is the document of another DID' },
  ERR_DID_UNSUPPORTED_METHOD: { meaning: 'the DID method is not supported (did:web, did:key, did:jwk only)' },
  ERR_DID_RESOLUTION_FAILED: { meaning: 'the DID could not be resolved (did:web fetch failed or the document is unavailable)' },
} as const satisfies Record<string, ErrorInfo>

