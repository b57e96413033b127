/**
 * Vite build of the browser wallet page (wallet/web → wallet/web-dist). The page imports the
 * workspace packages from source, like the tests do, so no `tsc -b` is needed first.
 * Run: `npm run build:web -w @e2eid/wallet` (or `buildWalletPage()` from `@e2eid/wallet/node`).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: here('./web'),
  // Relative asset URLs: the page works from any path prefix of the static server.
  base: './',
  clearScreen: false,
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^@e2eid\/shared$/, replacement: here('../shared/src/index.ts') },
      { find: /^@e2eid\/wallet$/, replacement: here('./src/index.ts') },
    ],
  },
  build: {
    outDir: here('./web-dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      onwarn(warning, warn) {
        // ts-mls's HPKE dependency imports node:crypto only as a fallback; in the browser it uses WebCrypto.
        if (warning.message.includes('@hpke/') && warning.message.includes('externalized for browser compatibility')) return
        warn(warning)
      },
    },
  },
})
