/**
 * @module @e2eid/verifier/testing
 * The verifier's test fixtures, for its own tests and the workspace's cross-package tests (e2e/): test authorities
 * issuing SD-JWT VCs and SD-CWTs with their presentations, and the MLS credential helpers (KBTs, SD-JWT+KB-JWT,
 * a presentation verifier over pinned test issuers).
 * Workspace-only (resolved by the vitest alias and tsconfig.tests.json paths; never built, never published).
 */
export { provider, NOW, VCT, AUD, NONCE, ALICE, makeAuthority, issueSdJwt, presentSdJwt, issueSdCwtFor, presentSdCwt } from './test-helpers/fixtures.js'
export type { Authority, SdJwtOptions, SdCwtOptions } from './test-helpers/fixtures.js'
export { makeIssuer, makeTestKbt, verifyTestKbt, makeTestSdJwt, verifyTestSdJwt, testVerifier } from './mls/test-helpers/credentials.js'
export type { TestIssuer, TestHolderClaims } from './mls/test-helpers/credentials.js'
