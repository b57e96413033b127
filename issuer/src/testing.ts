/**
 * @module @e2eid/issuer/testing
 * The issuer's test fixtures, for its own tests and the workspace's cross-package tests (cli/, e2e/): an app on an
 * in-memory repository (`makeFixture`), the holder side (DPoP and jwt proofs, RFC 9449 §4.2, OpenID4VCI App. F.1),
 * the oid4vc-ts library wallet, and an in-process issuer with user `alice` for wallet clients (`testIssuer`).
 * Workspace-only (resolved by the vitest alias and tsconfig.tests.json paths; never built, never published).
 */
export {
  ISSUER,
  TEST_SCRYPT_N,
  UNLIMITED_RATES,
  ALICE_CLAIMS,
  makeFixture,
  keyPair,
  dpopProof,
  jwtProof,
  form,
  json,
  admin,
  aliceOffer,
  preAuthToken,
  authHeaders,
  tokenAndNonce,
} from './test-helpers/holder.js'
export type { Fixture } from './test-helpers/holder.js'
export { libraryClient, walletCallbacks } from './test-helpers/library-wallet.js'
export { ALICE, PASSWORD, REDIRECT, testIssuer } from './test-helpers/in-process-issuer.js'
