/**
 * @module error-codes
 * Every code the cli area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '@e2eid/shared'

export const CLI_ERRORS = {
  ERR_DEMO_FAILED: { meaning: 'e2eid demo failed with an unexpected error' },
  ERR_DEMO_NO_AUTHORITY: { meaning: 'a demo step that needs the authority ran before the step that starts it (internal guard)' },
  ERR_DEMO_NO_CIPHERSUITE: { meaning: 'a demo step that needs the MLS ciphersuite ran before the step that loads it (internal guard)' },
  ERR_UP_FAILED: { meaning: 'e2eid up failed with an unexpected error' },
  ERR_VERIFIER_FAILED: { meaning: 'e2eid verifier serve failed with an unexpected error' },
  ERR_FILE_UNREADABLE: { meaning: 'a file named by a flag cannot be read (permission denied, a directory…)' },
  ERR_FETCH_FAILED: { meaning: 'a network request failed (connection refused, DNS, TLS…); the hint says what to check' },
  ERR_PORT_IN_USE: { meaning: 'the port to listen on is already in use' },
  ERR_PORT_NOT_ALLOWED: { meaning: 'not allowed to listen on this port (a privileged port)' },
  ERR_WALLET_OFFER_ALREADY_USED: { meaning: 'the credential offer was already used (fetched or redeemed before)' },
  ERR_WALLET_OFFER_EXPIRED: { meaning: 'the credential offer has expired' },
  ERR_WALLET_OFFER_NOT_FOUND: { meaning: 'the issuer no longer knows this credential offer (used, expired, or a wrong URI)' },
  ERR_WALLET_OFFER_LOCKED: { meaning: 'too many wrong transaction codes: the issuer invalidated the offer' },
  ERR_ISSUER_UNREACHABLE: { meaning: 'the CLI cannot reach the issuer' },
  ERR_ISSUER_CLAIMS_FILE: { meaning: 'the CLI cannot read the claims JSON file' },
  ERR_ISSUER_FAILED: { meaning: 'e2eid issuer failed with an unexpected error (message says which)' },
  ERR_VERIFY_NONCE_UNEXPECTED: { meaning: 'the presentation carries a nonce but none was expected: give the nonce you issued (--nonce), or --any-nonce to accept any' },
  ERR_CLI_CLAIMS_INVALID: { meaning: 'the claims file is not UTF-8' },
  ERR_CLI_UNEXPECTED: { meaning: 'an e2eid sd-cwt command failed with an unexpected error' },
  ERR_CLI_INPUT_TOO_LARGE: { meaning: 'the token file is larger than … bytes' },
  ERR_CLI_INPUT_EMPTY: { meaning: 'the token file is empty' },
  ERR_CLI_GOLDEN_SALTS: { meaning: 'salts.json has too few salts' },
  ERR_STATUS_LIST_TOKEN_FORMAT: { meaning: 'token file is neither a JWT, nor a CWT in hex or raw bytes' },
  ERR_VERIFY_FAILED: { meaning: 'e2eid verify failed with an unexpected error' },
  ERR_WALLET_CREDENTIAL_REVOKED: { meaning: 'the stored credential is revoked (status 1); refused unless --allow-revoked' },
  ERR_WALLET_CREDENTIAL_SUSPENDED: { meaning: 'the stored credential is suspended (status 2); refused unless --allow-revoked' },
  ERR_WALLET_CREDENTIAL_NOT_VALID: { meaning: 'the stored credential has a status other than valid' },
  ERR_WALLET_FAILED: { meaning: 'an e2eid wallet command failed with an unexpected error' },
  ERR_DEMO_UNEXPECTED_VERDICT: { meaning: 'e2eid demo: a step\'s verdict differs from the expected one' },
  ERR_DEMO_NO_CREDENTIAL: { meaning: 'e2eid demo: a participant has no credential' },
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
