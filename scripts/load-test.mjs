/**
 * `npm run load-test`: autocannon on loopback against an in-process issuer (startIssuerServer, port 0, a
 * temporary SQLite file with the default durability), 200 connections for 30 s on each of
 *
 * 1. POST /credential — complete OpenID4VCI credential requests, minted before the run through the issuer's own
 *    endpoints (pre-authorized code + DPoP token, a c_nonce from /nonce, a NEW Ed25519 holder key and its jwt
 *    proof, a DPoP proof with its own jti). Each is valid exactly once: the pool is sent first (→ 200, a credential
 *    issued and recorded), then the run keeps replaying used requests until the 30 s are over (→ 4xx: DPoP jti
 *    replay / c_nonce reuse refused). So the run covers both the full issuance path and the replay path, under load;
 * 2. GET /status-lists/:id — the status list token the credentials point to.
 *
 * Pass: zero 5xx, zero socket errors and timeouts, every pool request issued (2xx = pool size, unless the 30 s ended
 * first). p50/p99/max latency and rates are reported and written to scripts/load-results.json.
 *
 * The load generator runs in a child process (this file with --child), pinned to another core than the server when
 * `taskset` and a second core exist, so that it does not steal the server's event loop.
 *
 * Flags: --duration S (30), --connections N (200), --requests N (pre-minted credential requests, 3000),
 * --format sd-jwt|sd-cwt (sd-jwt), --out FILE (scripts/load-results.json).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    child: { type: 'string' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '200' },
    requests: { type: 'string', default: '3000' },
    format: { type: 'string', default: 'sd-jwt' },
    out: { type: 'string', default: fileURLToPath(new URL('./load-results.json', import.meta.url)) },
  },
})

if (args.child !== undefined) {
  await runChild(args.child)
} else {
  await main()
}

/** The load generator: one autocannon run described by a JSON job file; prints one JSON line. */
async function runChild(file) {
  const { default: autocannon } = await import('autocannon')
  const job = JSON.parse(readFileSync(file, 'utf8'))
  let next = 0
  const opts = { url: job.url, connections: job.connections, duration: job.durationS, pipelining: 1, timeout: 30, method: job.method }
  if (job.requests !== undefined) {
    opts.requests = [
      {
        method: job.method,
        // Fresh requests first, then replays of used ones (round robin) until the duration ends.
        setupRequest: (req) => {
          const r = job.requests[next++ % job.requests.length]
          return { ...req, headers: { ...req.headers, ...r.headers }, body: r.body }
        },
      },
    ]
  }
  const started = performance.now()
  autocannon(opts, (err, res) => {
    if (err) {
      console.log(JSON.stringify({ error: String(err) }))
      process.exit(1)
    }
    const seconds = (performance.now() - started) / 1000
    const byStatus = Object.fromEntries(Object.entries(res.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]))
    console.log(
      JSON.stringify({
        seconds: +seconds.toFixed(2),
        requests: res.requests.total,
        rps: +(res.requests.total / seconds).toFixed(1),
        s2xx: res['2xx'],
        s4xx: res['4xx'],
        s5xx: res['5xx'],
        byStatus,
        errors: res.errors,
        timeouts: res.timeouts,
        p50_ms: res.latency.p50,
        p99_ms: res.latency.p99,
        max_ms: res.latency.max,
      }),
    )
  })
}

async function main() {
  // The bench's issuer and request minting (bench/http-fixtures.mjs): loaded here, not at the top, so that the
  // load-generator child (--child) does not load the issuer.
  const { startBenchIssuer, mintCredentialRequests, statusListPathOf, BENCH_USER, canPinLoadGenerator, runLoadJob } = await import('../bench/http-fixtures.mjs')
  const durationS = Number(args.duration)
  const connections = Number(args.connections)
  const poolSize = Number(args.requests)
  const configurationId = args.format === 'sd-cwt' ? 'mimi_identity_sd_cwt' : 'mimi_identity_sd_jwt'
  const dir = mkdtempSync(join(tmpdir(), 'e2eid-load-'))
  // Long token and c_nonce lifetimes: requests minted before the run must stay valid through it.
  const running = await startBenchIssuer(dir)
  const { adminToken } = running
  const pinned = canPinLoadGenerator()
  try {
    console.log(`e2eid load-test: issuer at ${running.url} (SQLite ${join(dir, 'issuer.sqlite')}), ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`)
    const t0 = performance.now()
    const pool = await mintCredentialRequests(running, { count: poolSize, configurationId })
    console.log(`minted ${pool.length} credential requests in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    // One in-process request first: it must succeed, and names the status list the credentials go into.
    const first = pool.shift()
    const firstRes = await running.app.request('/credential', { method: 'POST', headers: first.headers, body: first.body })
    if (firstRes.status !== 200) throw new Error(`first credential request: ${firstRes.status} ${await firstRes.text()}`)
    const credential = (await firstRes.json()).credentials[0].credential
    const statusPath = statusListPathOf(credential)

    const load = (job) => runLoadJob(dir, [fileURLToPath(import.meta.url), '--child'], job, pinned)

    console.log(`POST /credential: ${connections} connections, ${durationS} s (${pool.length} fresh requests, then replays)…`)
    const cred = await load({ url: `${running.url}/credential`, method: 'POST', requests: pool, connections, durationS })
    console.log(`GET ${statusPath}: ${connections} connections, ${durationS} s…`)
    const status = await load({ url: `${running.url}${statusPath}`, method: 'GET', connections, durationS })

    // What the issuer recorded: every 2xx is a credential with its record (plus the first, in-process one).
    const issuedRecords = await countCredentials(running, adminToken, BENCH_USER.id)
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      loadavg_1m_after: +loadavg()[0].toFixed(2),
      loadgen: pinned ? 'child process pinned to cpu1 (taskset -c 1)' : 'child process, unpinned',
      connections,
      duration_s: durationS,
      format: args.format,
      credential: { ...cred, fresh_requests: pool.length, issued_records: issuedRecords },
      status_list: { path: statusPath, ...status },
    }
    const failures = []
    for (const [name, r] of [['credential', cred], ['status list', status]]) {
      if (r.s5xx !== 0) failures.push(`${name}: ${r.s5xx} responses 5xx`)
      if (r.errors !== 0 || r.timeouts !== 0) failures.push(`${name}: ${r.errors} socket errors, ${r.timeouts} timeouts`)
    }
    if (cred.s2xx > pool.length) failures.push(`credential: ${cred.s2xx} 2xx for ${pool.length} fresh requests (a replay was accepted)`)
    if (issuedRecords !== cred.s2xx + 1) failures.push(`credential: ${cred.s2xx + 1} issued but ${issuedRecords} records`)
    if (status.s2xx !== status.requests) failures.push(`status list: ${status.requests - status.s2xx} non-2xx`)
    results.pass = failures.length === 0
    results.failures = failures
    writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`)
    const line = (name, r) => `${name.padEnd(28)} ${String(r.rps).padStart(8)}/s  p50 ${r.p50_ms} ms  p99 ${r.p99_ms} ms  max ${r.max_ms} ms  2xx ${r.s2xx}  4xx ${r.s4xx}  5xx ${r.s5xx}  errors ${r.errors}  timeouts ${r.timeouts}`
    console.log()
    console.log(line('POST /credential', cred))
    console.log(line(`GET ${statusPath}`, status))
    console.log(`credential records at the issuer: ${issuedRecords} (2xx + the first request)`)
    console.log(`\n${results.pass ? 'PASS' : 'FAIL'}${failures.length > 0 ? `: ${failures.join('; ')}` : ': zero 5xx, no socket errors, every issued credential recorded'}`)
    console.log(`wrote ${args.out}`)
    if (!results.pass) process.exitCode = 1
  } finally {
    await running.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function countCredentials(running, adminToken, userId) {
  const r = await running.app.request(`/admin/users/${userId}/credentials`, { headers: { authorization: `Bearer ${adminToken}` } })
  return (await r.json()).length
}
