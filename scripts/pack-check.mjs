#!/usr/bin/env node
/**
 * Proves the packages install and work for a user who is not in this repository: packs them
 * (scripts/pack.mjs), installs the tarballs into a fresh project in a temporary folder (third-party dependencies
 * from the npm registry, as a user gets them), then runs there
 *   - `npx e2eid --version`,
 *   - examples/embed.mjs (an issuer, a wallet and a verifier embedded in one app: issue, present, verify),
 *   - the wallet page shipped in @e2eid/wallet (web-dist/index.html present).
 * Exit 0 and a closing line "pack-check: N of N checks passed" when all hold.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(join(tmpdir(), 'e2eid-pack-check-'))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
let passed = 0
let failed = 0
const check = (name, fn) => {
  try {
    fn()
    passed++
    process.stdout.write(`ok   ${name}\n`)
  } catch (e) {
    failed++
    process.stdout.write(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}\n`)
  }
}

try {
  const tarballs = execFileSync(process.execPath, [join(root, 'scripts/pack.mjs'), join(work, 'tarballs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .split('\n')
    .filter((l) => l.endsWith('.tgz'))
  const app = join(work, 'app')
  execFileSync('mkdir', ['-p', app])
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'e2eid-embed-check', private: true, type: 'module' }, null, 2))
  execFileSync(npm, ['install', '--no-audit', '--no-fund', ...tarballs], { cwd: app, stdio: ['ignore', 'inherit', 'inherit'] })
  const version = JSON.parse(readFileSync(join(root, 'cli/package.json'), 'utf8')).version
  check('npx e2eid --version', () => {
    const out = execFileSync(npm, ['exec', '--', 'e2eid', '--version'], { cwd: app, encoding: 'utf8' })
    if (out.trim() !== `e2eid ${version}`) throw new Error(`printed ${JSON.stringify(out)}`)
  })
  check('the wallet page ships in @e2eid/wallet', () => {
    if (!existsSync(join(app, 'node_modules/@e2eid/wallet/web-dist/index.html'))) throw new Error('web-dist/index.html missing')
  })
  check('examples/embed.mjs: issue, present, verify with the installed packages', () => {
    copyFileSync(join(root, 'examples/embed.mjs'), join(app, 'embed.mjs'))
    const out = execFileSync(process.execPath, ['embed.mjs'], { cwd: app, encoding: 'utf8', timeout: 120_000 })
    const result = JSON.parse(out.trim().split('\n').pop())
    if (result.ok !== true || result.disclosed?.email !== 'alice@example.com' || 'name' in result.disclosed) {
      throw new Error(`unexpected result ${out}`)
    }
  })
} finally {
  rmSync(work, { recursive: true, force: true })
}
process.stdout.write(`pack-check: ${passed} of ${passed + failed} checks passed\n`)
process.exitCode = failed === 0 ? 0 : 1
