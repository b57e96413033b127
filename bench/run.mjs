#!/usr/bin/env node
/**
 * `npm run bench` / `npm run bench:http`: runs bench/main.mjs (or bench/http.mjs with --http) on ONE core.
 * Pins to CPU 0 with `taskset -c 0` when taskset exists (Linux); otherwise runs unpinned — every benchmark is
 * single-threaded anyway (sync node:crypto, one event loop), the only other threads being V8's GC helpers.
 * --expose-gc lets the status-list rows measure extra heap against a collected baseline.
 * Arguments after the script name are passed on (--strict: exit 1 on a missed target; --quick: shorter runs).
 * The benchmarks import the built packages (dist/): `tsc -b` runs first (--no-build skips it); when it reports
 * errors elsewhere in the tree the run goes on with the dist that exists, and says so.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
if (!args.includes('--no-build')) {
  const tsc = spawnSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-b'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('..', import.meta.url)) })
  if (tsc.status !== 0) console.error(`bench: tsc -b reported errors; running on the existing dist/\n${String(tsc.stdout).split('\n').slice(0, 5).join('\n')}`)
}
const http = args.includes('--http')
const script = fileURLToPath(new URL(http ? './http.mjs' : './main.mjs', import.meta.url))
const rest = args.filter((a) => a !== '--http' && a !== '--no-build')
const node = [process.execPath, '--expose-gc', script, ...rest]
const hasTaskset = process.platform === 'linux' && spawnSync('taskset', ['-c', '0', 'true']).status === 0
const cmd = hasTaskset ? ['taskset', '-c', '0', ...node] : node
const env = { ...process.env, E2EID_BENCH_PINNED: hasTaskset ? 'cpu0 (taskset -c 0)' : 'not pinned (single-threaded)' }
const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env })
process.exit(r.status ?? 1)
