/**
 * @module @e2eid/wallet/testing
 * The wallet's test fixtures, for its own tests and the workspace's cross-package tests (e2e/): a wallet on a fresh
 * in-memory fake-indexeddb, and a fetch answering from a route table.
 * Workspace-only (resolved by the vitest alias and tsconfig.tests.json paths; never built, never published).
 */
export { memoryWallet, jsonRoutes } from './test-helpers/memory-wallet.js'
