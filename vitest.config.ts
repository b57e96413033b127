import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests import the workspace packages from source, so `vitest` needs no build.
const src = (pkg: string) => fileURLToPath(new URL(`./${pkg}/src/index.ts`, import.meta.url))
// `@e2eid/<pkg>/testing`: each package's test fixtures (src/testing.ts), for the workspace's tests only.
const testing = (pkg: string) => fileURLToPath(new URL(`./${pkg}/src/testing.ts`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@e2eid\/shared\/testing$/, replacement: testing('shared') },
      { find: /^@e2eid\/issuer\/testing$/, replacement: testing('issuer') },
      { find: /^@e2eid\/wallet\/testing$/, replacement: testing('wallet') },
      { find: /^@e2eid\/verifier\/testing$/, replacement: testing('verifier') },
      { find: /^@e2eid\/shared\/node$/, replacement: fileURLToPath(new URL('./shared/src/node.ts', import.meta.url)) },
      { find: /^@e2eid\/shared$/, replacement: src('shared') },
      { find: /^@e2eid\/issuer$/, replacement: src('issuer') },
      { find: /^@e2eid\/wallet\/node$/, replacement: fileURLToPath(new URL('./wallet/src/node.ts', import.meta.url)) },
      { find: /^@e2eid\/wallet$/, replacement: src('wallet') },
      { find: /^@e2eid\/verifier$/, replacement: src('verifier') },
      { find: /^@e2eid\/cli$/, replacement: src('cli') },
    ],
  },
  test: {
    include: ['{shared,issuer,wallet,verifier,cli,e2e}/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The servers' logs (issuer serve, verifier serve, up) stay out of test output; log tests capture their own.
    env: { E2EID_LOG_LEVEL: 'silent' },
  },
})
