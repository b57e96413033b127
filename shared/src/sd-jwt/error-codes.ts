/**
 * @module error-codes
 * Every code the sd-jwt area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const SD_JWT_ERRORS = {
  ERR_SDJWT_DISCLOSURE_UNREFERENCED: { meaning: 'a disclosure is referenced by no digest of the SD-JWT (RFC 9901 §7.1)' },
  ERR_SDJWT_DISCLOSURE_DUPLICATE: { meaning: 'the same disclosure is presented twice' },
  ERR_SDJWT_SIGNATURE_INVALID: { meaning: 'the issuer signature of the SD-JWT does not verify' },
  ERR_SDJWT_KB_MISSING: { meaning: 'no KB-JWT where key binding is required' },
  ERR_SDJWT_KB_SIGNATURE_INVALID: { meaning: 'the KB-JWT signature does not verify with the cnf key' },
  ERR_SDJWT_KB_TYP_INVALID: { meaning: 'the KB-JWT typ is not kb+jwt' },
  ERR_SDJWT_KB_SD_HASH_MISMATCH: { meaning: 'the KB-JWT sd_hash does not match the presented SD-JWT' },
  ERR_SDJWT_KB_MALFORMED: { meaning: 'the KB-JWT is malformed' },
  ERR_SDJWT_KB_AUD_MISMATCH: { meaning: 'the KB-JWT aud is not this verifier (or is missing)' },
  ERR_SDJWT_KB_NONCE_MISMATCH: { meaning: 'the KB-JWT nonce is not the expected one' },
  ERR_SDJWT_KB_IAT_INVALID: { meaning: 'the KB-JWT iat is missing, in the future or too old' },
  ERR_SDJWT_PATH_INVALID: { meaning: 'claim path must not be empty' },
  ERR_SDJWT_MALFORMED: { meaning: 'SD-JWT must be a string' },
  ERR_SDJWT_TOO_LARGE: { meaning: 'SD-JWT longer than … characters' },
  ERR_SDJWT_DISCLOSURE_MALFORMED: { meaning: 'a disclosure is not base64url JSON of the right shape' },
  ERR_SDJWT_DISCLOSURE_RESERVED_NAME: { meaning: 'disclosure claim name … is reserved (§7.1 step 3.c.ii.2)' },
  ERR_SDJWT_ALG_NOT_ALLOWED: { meaning: 'the SD-JWT alg is not allowed' },
  ERR_SDJWT_TYP_INVALID: { meaning: 'the SD-JWT typ is not the expected one (dc+sd-jwt)' },
  ERR_SDJWT_CRIT_UNSUPPORTED: { meaning: 'the SD-JWT has a crit header' },
  ERR_SDJWT_ISSUER_KEY_UNKNOWN: { meaning: 'no trusted issuer key matches the SD-JWT' },
  ERR_SDJWT_HASH_ALG_UNSUPPORTED: { meaning: 'the _sd_alg hash algorithm is not supported' },
  ERR_SDJWT_DIGEST_DUPLICATE: { meaning: 'the same digest appears twice' },
  ERR_SDJWT_CLAIM_COLLISION: { meaning: 'a disclosed claim collides with a claim already present' },
  ERR_SDJWT_SD_MALFORMED: { meaning: 'an _sd array or array-element digest is malformed' },
  ERR_SDJWT_CLAIM_INVALID: { meaning: 'a claim has the wrong type' },
  ERR_SDJWT_EXPIRED: { meaning: 'the SD-JWT has expired (exp)' },
  ERR_SDJWT_NOT_YET_VALID: { meaning: 'the SD-JWT is not yet valid (nbf)' },
  ERR_SDJWT_IAT_IN_FUTURE: { meaning: 'the SD-JWT iat is in the future' },
  ERR_SDJWT_ISS_MISSING: { meaning: 'the SD-JWT VC has no iss' },
  ERR_SDJWT_VCT_MISSING: { meaning: 'the SD-JWT VC has no vct' },
  ERR_SDJWT_VC_CLAIM_DISCLOSED: { meaning: 'a claim SD-JWT VC forbids to make selectively disclosable (iss, vct, cnf, status…) is in a disclosure' },
  ERR_SDJWT_STATUS_INVALID: { meaning: 'the status claim is malformed' },
  ERR_SDJWT_CNF_MISSING: { meaning: 'the SD-JWT VC has no cnf where key binding is required' },
  ERR_SDJWT_CNF_INVALID: { meaning: 'the cnf claim is malformed' },
  ERR_SDJWT_CNF_MISMATCH: { meaning: 'the cnf key is not the expected holder key' },
  ERR_SDJWT_KB_UNEXPECTED: { meaning: 'a KB-JWT where none is allowed' },
  ERR_SDJWT_KB_ALG_NOT_ALLOWED: { meaning: 'the KB-JWT alg is not allowed' },
  ERR_SDJWT_KB_EXPIRED: { meaning: 'the KB-JWT has expired' },
  ERR_SDJWT_PATH_NOT_FOUND: { meaning: 'no claim at the given claims path' },
  ERR_SDJWT_INPUT_INVALID: { meaning: 'a disclosure frame must be an object' },
} as const satisfies Record<string, ErrorInfo>

/** One of {@link SD_JWT_ERRORS}. */
export type SdJwtErrorCode = keyof typeof SD_JWT_ERRORS
