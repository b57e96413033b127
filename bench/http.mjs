/**
 * `npm run bench:http`: the issuer over HTTP on loopback. Starts the issuer in this process (port 0,
 * a temporary SQLite file with the default durability: every acknowledged write on disk, by group commit) and
 * drives it with autocannon from a child process (bench/http-load.mjs).
 *
 * Credential endpoint, the fair setup: every request is a complete, fresh OpenID4VCI credential request that the
 * issuer must fully check — its own DPoP proof (new jti, `ath` of the access token), a c_nonce fetched from
 * /nonce for that access token and never used before, and a jwt proof signed by a NEW Ed25519 holder key (so the
 * issuer imports a key it has never seen, as with real wallets). All of these are minted before the run through
 * the issuer's own endpoints (POST /token, POST /nonce), which are not timed; each is sent once. 64 access tokens
 * (one DPoP key each) are shared round-robin. One credential per request (no batch).
 * Status list endpoint: GET /status-lists/<id> of the list the credentials went into.
 *
 * Flags: --duration S (default 10), --connections N (default 32), --requests N (pre-minted credential requests,
 * default 12000), --format sd-jwt|sd-cwt (default sd-jwt), --strict (exit 1 on a missed target).
 * The server runs on this process's core (run.mjs pins it to CPU 0); the load generator is pinned to CPU 1 when
 * the machine has one (taskset), so the two do not share a core. The run stops when the pre-minted requests run
 * out (rates are over the time actually run).
 * Diagnostics: E2EID_BENCH_INPROC=1 sends the requests through app.request (no sockets) and prints the server's
 * CPU time per request; with E2EID_BENCH_PROFILE=FILE it also writes a CPU profile of that phase.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { canPinLoadGenerator, mintCredentialRequests, runLoadJob, startBenchIssuer, statusListPathOf } from './http-fixtures.mjs'
import { environment, renderTable } from './report.mjs'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    requests: { type: 'string', default: '12000' },
    format: { type: 'string', default: 'sd-jwt' },
    strict: { type: 'boolean', default: false },
  },
})
const durationS = Number(args.duration)
const connections = Number(args.connections)
const poolSize = Number(args.requests)
const configurationId = args.format === 'sd-cwt' ? 'mimi_identity_sd_cwt' : 'mimi_identity_sd_jwt'
const TOKENS = 64

const env = environment()
console.log(`e2eid bench:http — ${env.cpu}, Node ${env.node}, server ${env.pinned}, load average ${env.loadavg.join(' / ')}`)
const dir = mkdtempSync(join(tmpdir(), 'e2eid-bench-http-'))
const running = await startBenchIssuer(dir)
const { app } = running
try {
  const t0 = performance.now()
  process.stdout.write(`minting ${poolSize} credential requests (DPoP + c_nonce + new holder key + proof)… `)
  const pool = await mintCredentialRequests(running, { count: poolSize, tokens: TOKENS, configurationId })
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`)
  // One request in-process first: it must succeed (and tells us the status list URL).
  const first = pool.shift()
  const issued = await (await app.request('/credential', { method: 'POST', headers: first.headers, body: first.body })).json()
  const statusPath = statusListPathOf(issued.credentials[0].credential)

  if (process.env.E2EID_BENCH_INPROC === '1') {
    // Diagnostic: the same requests through app.request (no sockets), 32 at a time; CPU time per request.
    // E2EID_BENCH_PROFILE=file writes a CPU profile of this phase only.
    let session
    if (process.env.E2EID_BENCH_PROFILE) {
      const { Session } = await import('node:inspector/promises')
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.start')
    }
    const c0 = process.cpuUsage()
    const t = performance.now()
    let i = 0
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (i < pool.length) {
        const r = pool[i++]
        const res = await app.request('/credential', { method: 'POST', headers: r.headers, body: r.body })
        if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`)
      }
    }))
    const c = process.cpuUsage(c0)
    if (session) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(process.env.E2EID_BENCH_PROFILE, JSON.stringify(profile))
    }
    console.log(`in-process: ${pool.length} requests, ${((c.user + c.system) / pool.length).toFixed(0)} µs CPU each, ${(pool.length / ((performance.now() - t) / 1000)).toFixed(0)}/s wall`)
    process.exit(0)
  }

  // The load generator in its own process (pinned to CPU 1 when it can be), the server here on CPU 0.
  const pin = canPinLoadGenerator()
  const script = fileURLToPath(new URL('./http-load.mjs', import.meta.url))
  const load = async (job) => ({ ...(await runLoadJob(dir, [script], job, pin)), loadgen: pin ? 'cpu1 (taskset -c 1)' : 'unpinned' })

  console.log(`POST /credential: ${connections} connections, up to ${durationS} s or ${pool.length} requests…`)
  const cred = await load({ url: `${running.url}/credential`, method: 'POST', requests: pool, connections, durationS })
  console.log(`GET ${statusPath}: ${connections} connections, ${durationS} s…`)
  const status = await load({ url: `${running.url}${statusPath}`, method: 'GET', connections, durationS })

  const la = +loadavg()[0].toFixed(2)
  const results = [
    { name: `HTTP POST /credential (${args.format}, fresh DPoP + c_nonce + holder key each)`, ops_per_s: cred.rps_2xx, p50_ms: cred.p50_ms, p99_ms: cred.p99_ms, ok_2xx: cred.ok2xx, non_2xx: cred.non2xx, errors: cred.errors, seconds: cred.seconds, connections, loadgen: cred.loadgen, loadavg_1m: la },
    { name: 'HTTP GET /status-lists/:id (status list token)', ops_per_s: status.rps_2xx, p50_ms: status.p50_ms, p99_ms: status.p99_ms, ok_2xx: status.ok2xx, non_2xx: status.non2xx, errors: status.errors, seconds: status.seconds, connections, loadgen: status.loadgen, loadavg_1m: la },
  ]
  results[0].targets = ['credential endpoint ≥ 2,000/s']
  results[0].pass = cred.rps_2xx >= 2000 && cred.non2xx === 0 && cred.errors === 0
  console.log()
  console.log(renderTable(results))
  console.log(`\n${results[0].pass ? 'PASS' : 'MISS'}  credential endpoint ≥ 2,000/s (2xx only, no errors) — ${cred.rps_2xx}/s, ${cred.non2xx} non-2xx, ${cred.errors} errors`)
  const out = fileURLToPath(new URL('./results-http.json', import.meta.url))
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`wrote ${out}`)
  if (!results[0].pass && args.strict) process.exitCode = 1
} finally {
  await running.close()
  rmSync(dir, { recursive: true, force: true })
}
