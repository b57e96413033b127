/**
 * @module error-codes
 * Every code the wallet area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '@e2eid/shared'

export const WALLET_ERRORS = {
  ERR_WALLET_AUTHORIZATION_FAILED: { meaning: 'no authorization response within 5 minutes' },
  ERR_WALLET_PAGE_NOT_BUILT: { meaning: 'the wallet page is not built (…): run npm run build:web -w @e2eid/wallet' },
  ERR_WALLET_ISSUER_MISMATCH: { meaning: 'the credential\'s issuer key is not one of the offer\'s issuer' },
  ERR_WALLET_ISSUER_KEYS: { meaning: 'the issuer\'s keys cannot be fetched or are unusable (metadata, JWKS, DID document)' },
  ERR_WALLET_CREDENTIAL_MALFORMED: { meaning: 'an SD-CWT credential must be a base64url string' },
  ERR_WALLET_VCT_MISMATCH: { meaning: 'the issued credential\'s vct is not the offered one' },
  ERR_WALLET_KEY_ALG: { meaning: 'holder key algorithm … is not supported' },
  ERR_WALLET_KEY_NOT_FOUND: { meaning: 'no wallet key with this id' },
  ERR_WALLET_WRAPPING_KEY_INVALID: { meaning: 'wrapping key could not be stored' },
  ERR_WALLET_WRAP_FAILED: { meaning: 'AES-GCM IV must be 12 bytes' },
  ERR_WALLET_UNWRAP_FAILED: { meaning: 'private key could not be unwrapped (wrong wrapping key or tampered record)' },
  ERR_MLS_CIPHERSUITE_UNSUPPORTED: { meaning: 'cipher suite … is not supported (Ed25519, P-256 or P-384 signatures only)' },
  ERR_MLS_CIPHERSUITE_KEY_MISMATCH: { meaning: 'the key type cannot sign in the MLS cipher suite' },
  ERR_WALLET_LOCKED: { meaning: 'the wallet directory is in use by another process' },
  ERR_WALLET_KEY_FILE_PERMISSIONS: { meaning: 'the wallet key file is readable by others; run chmod 600' },
  ERR_WALLET_FILE_INVALID: { meaning: 'the file is not a wallet export' },
  ERR_WALLET_PAGE_BUILD: { meaning: 'building the wallet page needs the vite package' },
  ERR_WALLET_SIGN_IN_BLOCKED: { meaning: "the wallet page could not open the authority's sign-in window (a pop-up blocker)" },
  ERR_WALLET_SIGN_IN_CANCELLED: { meaning: 'the person cancelled the sign-in at the authority' },
  ERR_WALLET_SIGN_IN_TIMEOUT: { meaning: 'the sign-in window did not hand a code back in time' },
  ERR_WALLET_SIGNER: { meaning: 'signer method … is not supported' },
  ERR_WALLET_ISSUER_INVALID: { meaning: 'not a credential issuer identifier: …' },
  ERR_WALLET_ISSUER_UNTRUSTED: { meaning: 'the offer\'s issuer is not trusted by this wallet: nothing was sent to it (trust it first, e.g. --trust-issuer)' },
  ERR_WALLET_DPOP_ALG: { meaning: 'no supported DPoP algorithm among …' },
  ERR_WALLET_OFFER_INVALID: { meaning: 'credential offer could not be resolved' },
  ERR_WALLET_METADATA_INVALID: { meaning: 'issuer metadata could not be fetched' },
  ERR_WALLET_TX_CODE_REQUIRED: { meaning: 'this offer needs a transaction code…: pass --tx-code' },
  ERR_WALLET_TOKEN_FAILED: { meaning: 'the token request to the issuer failed' },
  ERR_WALLET_GRANT_UNSUPPORTED: { meaning: 'the offer has no grant this wallet supports' },
  ERR_WALLET_FORMAT_UNSUPPORTED: { meaning: 'credential format … is not supported' },
  ERR_WALLET_NONCE_FAILED: { meaning: 'the nonce request to the issuer failed' },
  ERR_WALLET_CREDENTIAL_FAILED: { meaning: 'credential request failed' },
  ERR_WALLET_CNF_REUSED: { meaning: 'two credentials are bound to the same holder key' },
  ERR_WALLET_STORAGE: { meaning: 'the credentials could not be stored' },
  ERR_WALLET_DCQL_INVALID: { meaning: 'claim_sets names an unknown claim id' },
  ERR_WALLET_DCQL_UNSATISFIED: { meaning: 'no credential in the wallet satisfies the request' },
  ERR_WALLET_OPENID4VP_INVALID: { meaning: 'request URI has no parameters' },
  ERR_WALLET_OPENID4VP_UNSUPPORTED: { meaning: 'signed or referenced request objects are not supported' },
  ERR_WALLET_OPENID4VP_POST_FAILED: { meaning: 'the presentation could not be posted to the verifier' },
  ERR_WALLET_OPENID4VP_REJECTED: { meaning: 'the verifier refused the presentation' },
  ERR_WALLET_NO_STATUS: { meaning: 'the credential has no status list reference' },
  ERR_WALLET_CREDENTIAL_NOT_FOUND: { meaning: 'no credential with id …' },
  ERR_WALLET_DCQL_UNSUPPORTED: { meaning: 'queries needing several credentials: present each match separately' },
  ERR_WALLET_PATH_INVALID: { meaning: 'a credential id is needed when no DCQL query is given' },
  ERR_WALLET_AUD_REQUIRED: { meaning: 'a presentation needs an audience' },
} as const satisfies Record<string, ErrorInfo>

/** One of {@link WALLET_ERRORS}. */
export type WalletErrorCode = keyof typeof WALLET_ERRORS

// Registers these codes with shared's E2eidError: `new E2eidError('ERR_…')` compiles only for a listed code.
declare module '@e2eid/shared' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorCodeRegistry extends Record<WalletErrorCode, true> {}
}
