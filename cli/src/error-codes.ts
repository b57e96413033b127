/**
 * @module error-codes
 * Every code the cli area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '@e2eid/shared'

export const CLI_ERRORS = {
  ERR_ISSUER_ADMIN_TOKEN_MISSING: { meaning: 'no admin token: pass --admin-token, set E2EID_ADMIN_TOKEN, or run \'e2eid issuer serve\' (writes …)' },
  ERR_ISSUER_UNREACHABLE: { meaning: 'cannot reach the issuer at …: …' },
  ERR_ISSUER_CLAIMS_FILE: { meaning: 'cannot read claims JSON from …: …' },
  ERR_ISSUER_PASSWORD_FILE: { meaning: 'cannot read the password from …: …' },
  ERR_ISSUER_FAILED: { meaning: 'e2eid issuer failed with an unexpected error (message says which)' },
  ERR_VERIFY_NONCE_UNEXPECTED: { meaning: 'the presentation carries a nonce but none was expected: give the nonce you issued (--nonce), or --any-nonce to accept any' },
  ERR_CLI_CLAIMS_INVALID: { meaning: 'the claims file is not UTF-8' },
  ERR_CLI_UNEXPECTED: { meaning: 'an e2eid sd-cwt command failed with an unexpected error' },
  ERR_CLI_INPUT_TOO_LARGE: { meaning: 'the token file is larger than … bytes' },
  ERR_CLI_INPUT_EMPTY: { meaning: 'the token file is empty' },
  ERR_CLI_GOLDEN_SALTS: { meaning: 'salts.json has too few salts' },
  ERR_CLI_FILE_UNREADABLE: { meaning: 'cannot read … file …' },
  ERR_STATUS_LIST_TOKEN_FORMAT: { meaning: 'token file is neither a JWT, nor a CWT in hex or raw bytes' },
  ERR_VERIFY_FAILED: { meaning: 'e2eid verify failed with an unexpected error' },
  ERR_WALLET_CREDENTIAL_REVOKED: { meaning: 'the stored credential is revoked (status 1); refused unless --allow-revoked' },
  ERR_WALLET_CREDENTIAL_SUSPENDED: { meaning: 'the stored credential is suspended (status 2); refused unless --allow-revoked' },
  ERR_WALLET_CREDENTIAL_NOT_VALID: { meaning: 'the stored credential has a status other than valid' },
  ERR_WALLET_FAILED: { meaning: 'an e2eid wallet command failed with an unexpected error' },
  ERR_DEMO_UNEXPECTED_VERDICT: { meaning: 'e2eid demo: a step\'s verdict differs from the expected one' },
  ERR_DEMO_NO_CREDENTIAL: { meaning: '… has no credential' },
  ERR_DEMO_NO_WELCOME: { meaning: 'the Add commit produced no Welcome' },
  ERR_DEMO_NO_MEMBER: { meaning: 'Carol is not in Alice\'s group' },
  ERR_DEMO_UNEXPECTED: { meaning: 'e2eid demo: a step failed with an unexpected error' },
  ERR_CLI_GOLDEN_KEY: { meaning: 'the golden holder key is Ed25519' },
  ERR_CLI_GOLDEN_CONTROL: { meaning: 'the negative vectors are not built like the golden presentation' },
  ERR_CLI_GOLDEN_LIST_MISMATCH: { meaning: 'asked to compress another list than the stored one' },
} as const satisfies Record<string, ErrorInfo>

/** One of {@link CLI_ERRORS}. */
export type CliErrorCode = keyof typeof CLI_ERRORS

/** Codes with a variable part, listed by pattern (specs/errors.md shows them with the lists). */
export const CLI_ERROR_PATTERNS = {
  'ERR_ISSUER_HTTP_<status>': { meaning: 'e2eid issuer: the issuer answered this HTTP status without an e2eid code' },
} as const satisfies Record<string, ErrorInfo>

// Registers these codes with shared's E2eidError: `new E2eidError('ERR_…')` compiles only for a listed code.
declare module '@e2eid/shared' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<CliErrorCode | `ERR_ISSUER_HTTP_${number}`, true> {}
}
