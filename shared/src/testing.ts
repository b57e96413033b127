/**
 * @module @e2eid/shared/testing
 * Test fixtures shared by the workspace's tests: the bounded fuzzer and the spec-vector loader. Workspace-only
 * (resolved by the vitest alias and tsconfig.tests.json paths; never built, never published).
 */
export { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzBounded, mutatedBytes, mutatedText } from './fuzz/test-helpers/bounded.js'
export { vectorDir, readVectorText, readVectorBytes } from './test-helpers/vectors.js'
// The attack suite forges KB-JWTs over disclosure lists a holder would never send (not part of the public API).
export { createKbJwt } from './sd-jwt/kb-jwt.js'
