#!/usr/bin/env node
/**
 * Packs the publishable packages (@e2eid/shared, issuer, wallet, verifier, cli) as npm tarballs into
 * `dist-packages/` (or the folder given as the first argument): compiles them, builds the wallet page into
 * wallet/web-dist (shipped in @e2eid/wallet, so `e2eid up` needs no Vite once installed), then `npm pack`.
 * Prints the tarball paths, one per line.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = resolve(process.argv[2] ?? join(root, 'dist-packages'))
export const PACKAGES = ['shared', 'issuer', 'wallet', 'verifier', 'cli']

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })

run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'])
const { buildWalletPage } = await import(join(root, 'wallet/dist/node.js'))
await buildWalletPage({ logLevel: 'warn' })

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
for (const p of PACKAGES) {
  execFileSync(npm, ['pack', '--workspace', p, '--pack-destination', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
}
for (const f of readdirSync(out).sort()) process.stdout.write(`${join(out, f)}\n`)
