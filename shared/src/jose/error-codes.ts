/**
 * @module error-codes
 * Every code the jose area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const JOSE_ERRORS = {
  ERR_JWT_TYP_MISMATCH: { meaning: 'the JWT typ header is not the expected one' },
  ERR_JWS_MALFORMED: { meaning: 'the JWS is not a compact JWS (three base64url parts of JSON)' },
  ERR_JWS_HEADER_INVALID: { meaning: 'JWS header has no "alg"' },
  ERR_JWT_PAYLOAD_INVALID: { meaning: 'JWT payload must be a JSON object' },
  ERR_JWT_CLAIM_INVALID: { meaning: 'JWT "…" must be a NumericDate' },
  ERR_JWT_CLAIM_MISSING: { meaning: 'a required JWT claim (e.g. exp) is missing' },
  ERR_JWT_EXPIRED: { meaning: 'the JWT is expired' },
  ERR_JWT_NOT_YET_VALID: { meaning: 'JWT is not valid yet (nbf)' },
  ERR_JWT_IAT_IN_FUTURE: { meaning: 'JWT "iat" is in the future' },
  ERR_JWT_TOO_OLD: { meaning: 'JWT "iat" is older than the allowed age' },
  ERR_JWS_CRIT_INVALID: { meaning: '"crit" must be a non-empty array' },
  ERR_JWS_CRIT_UNSUPPORTED: { meaning: 'critical header "…" is not understood' },
  ERR_JWS_KEY_NOT_FOUND: { meaning: 'no trusted key matches the JWS kid and alg' },
  ERR_JWS_SIGNATURE_INVALID: { meaning: 'JWS signature has the wrong length' },
} as const satisfies Record<string, ErrorInfo>

