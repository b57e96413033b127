/**
 * @module error-codes
 * Every code the cose area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const COSE_ERRORS = {
  ERR_KEY_INVALID: { meaning: 'a key (JWK, COSE_Key, key file) is malformed or unusable' },
  ERR_COSE_KEY_INVALID: { meaning: 'a COSE_Key is malformed or of an unsupported type' },
  ERR_KEY_UNSUPPORTED: { meaning: 'COSE_Key kty … is not supported' },
  ERR_COSE_MALFORMED: { meaning: 'the COSE_Sign1 structure is malformed' },
  ERR_COSE_HEADER_INVALID: { meaning: 'a COSE header is malformed (label not int/tstr, wrong value type)' },
  ERR_COSE_WRONG_TAG: { meaning: 'expected tag 18 (COSE_Sign1), got tag …' },
  ERR_COSE_TAG_MISSING: { meaning: 'COSE_Sign1 must be tagged 18' },
  ERR_COSE_DUPLICATE_HEADER: { meaning: 'COSE header label … is in both the protected and the unprotected header' },
  ERR_COSE_CRIT_UNSUPPORTED: { meaning: 'critical header … is not understood' },
  ERR_ALG_KEY_MISMATCH: { meaning: 'alg … disagrees with the protected header alg' },
  ERR_COSE_ALG_MISSING: { meaning: 'COSE_Sign1 has no alg in its protected header' },
  ERR_ALG_NOT_ALLOWED: { meaning: 'algorithm … is not allowed here' },
  ERR_COSE_DETACHED_PAYLOAD: { meaning: 'COSE_Sign1 payload is detached and none was supplied' },
  ERR_COSE_SIGNATURE_INVALID: { meaning: 'COSE_Sign1 signature does not verify' },
} as const satisfies Record<string, ErrorInfo>

