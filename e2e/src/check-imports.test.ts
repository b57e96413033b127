/**
 * Issue 16 item 4: scripts/check-imports.mjs, the import-graph check CI runs (`npm run lint`). Run as CI runs it
 * (node, exit code, `file:line: message` on stderr) on a fixture workspace holding one of each violation, then on
 * this repository.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SCRIPT = fileURLToPath(new URL('../../scripts/check-imports.mjs', import.meta.url))
const REPO = fileURLToPath(new URL('../../', import.meta.url))

function check(root: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function write(root: string, path: string, content: unknown): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2))
}

const pkg = (name: string, extra: Record<string, unknown> = {}) => ({ name, version: '0.1.0', type: 'module', exports: { '.': './dist/index.js' }, ...extra })

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'e2eid-check-imports-'))
  write(root, 'package.json', { private: true, workspaces: ['shared', 'issuer', 'wallet', 'verifier', 'e2e'] })
  write(root, 'shared/package.json', pkg('@e2eid/shared', { exports: { '.': './dist/index.js', './node': './dist/node.js' } }))
  write(root, 'shared/src/testing.ts', 'export const fixture = 1\n')
  write(root, 'shared/src/index.ts', "export const a = 1\nimport { b } from '@e2eid/issuer'\n")
  write(root, 'issuer/package.json', pkg('@e2eid/issuer', { dependencies: { '@e2eid/shared': '0.1.0' } }))
  write(root, 'issuer/src/testing.ts', "export { fixture } from '@e2eid/shared/testing'\n")
  write(root, 'issuer/src/app.ts', "import { a } from '@e2eid/shared'\nimport { createNodeCryptoProvider } from '@e2eid/shared/node'\n\nimport { v } from '@e2eid/verifier'\n")
  write(root, 'issuer/src/built.ts', "import { fixture } from '@e2eid/shared/testing'\n")
  write(root, 'issuer/src/deep.test.ts', "import { x } from '@e2eid/shared/src/x.js'\n")
  write(root, 'wallet/package.json', pkg('@e2eid/wallet', { dependencies: { '@e2eid/shared': '0.1.0' } }))
  write(root, 'wallet/src/receive.test.ts', [
    "// import { testIssuer } from '@e2eid/issuer' (a comment, not an import)",
    "const note = \"import { x } from '@e2eid/issuer'\"",
    "import { memory } from './test-helpers/memory.js'",
    "import { testIssuer } from '../../issuer/src/test-helpers/issuer.js'",
    '',
  ].join('\n'))
  write(root, 'wallet/src/test-helpers/memory.ts', 'export const memory = 1\n')
  write(root, 'verifier/package.json', pkg('@e2eid/verifier', { dependencies: { '@e2eid/shared': '0.1.0' }, devDependencies: { '@e2eid/wallet': '0.1.0' } }))
  write(root, 'verifier/src/group.test.ts', "import { a } from '@e2eid/shared'\nconst w = async () => import('@e2eid/wallet')\n")
  write(root, 'e2e/package.json', { name: '@e2eid/e2e', private: true, dependencies: { '@e2eid/shared': '0.1.0', '@e2eid/issuer': '0.1.0', '@e2eid/wallet': '0.1.0', '@e2eid/verifier': '0.1.0' } })
  write(root, 'e2e/src/round-trip.test.ts', [
    "import { testIssuer } from '@e2eid/issuer/testing'",
    "export { memory } from '@e2eid/wallet'",
    "import { v } from '@e2eid/verifier'",
    "import { stack } from '../../e2e/src/testkit/stack.js'",
    "import { cli } from '@e2eid/cli'",
    '',
  ].join('\n'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('scripts/check-imports.mjs', () => {
  it('fails with file:line for each violation, and only for those', () => {
    const r = check(root)
    expect(r.status).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines.at(-1)).toBe('check-imports: 7 violation(s)')
    // Not reported: the allowed edges in the same files (@e2eid/shared, its declared `./node` export, `/testing` from
    // test files, e2e's own testkit by a path that stays inside e2e/), and the comment and string that only look like
    // imports.
    expect(lines.slice(0, -1).sort()).toEqual([
      'e2e/src/round-trip.test.ts:5: @e2eid/cli is not declared in e2e/package.json (dependencies or devDependencies)',
      'issuer/src/app.ts:4: @e2eid/verifier is not declared in issuer/package.json (dependencies)',
      "issuer/src/built.ts:1: '@e2eid/shared/testing' is for tests only (this file is built)",
      "issuer/src/deep.test.ts:1: '@e2eid/shared/src/x.js': @e2eid/shared offers no subpath './src/x.js'",
      'shared/src/index.ts:2: @e2eid/shared must not import @e2eid/issuer, not even in tests (cross-package tests live in e2e/)',
      'verifier/src/group.test.ts:2: @e2eid/verifier must not import @e2eid/wallet, not even in tests (cross-package tests live in e2e/)',
      "wallet/src/receive.test.ts:4: relative import '../../issuer/src/test-helpers/issuer.js' reaches into @e2eid/issuer; import '@e2eid/issuer' (or '@e2eid/issuer/testing' from tests)",
    ])
  })

  it('passes on this repository', () => {
    const r = check(REPO)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })
})
