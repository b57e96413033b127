/**
 * `npm run load-test` (issue 8): autocannon on loopback against an in-process issuer (startIssuerServer, port 0, a
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
import { spawn, spawnSync } from 'node:child_process'
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
  const { base64urlEncode, signJwt, utf8Encode } = await import('@e2eid/shared')
  const { createNodeCryptoProvider } = await import('@e2eid/shared/node')
  const { startIssuerServer } = await import('@e2eid/issuer')
  const durationS = Number(args.duration)
  const connections = Number(args.connections)
  const poolSize = Number(args.requests)
  const configurationId = args.format === 'sd-cwt' ? 'mimi_identity_sd_cwt' : 'mimi_identity_sd_jwt'
  const dir = mkdtempSync(join(tmpdir(), 'e2eid-load-'))
  const adminToken = base64urlEncode(createNodeCryptoProvider().randomBytes(24))
  // Long token and c_nonce lifetimes: requests minted before the run must stay valid through it. The token rate
  // limit is irrelevant here (no /token under load) but is raised so that minting is not throttled.
  const running = await startIssuerServer({
    port: 0,
    host: '127.0.0.1',
    db: `sqlite:${join(dir, 'issuer.sqlite')}`,
    stateDir: dir,
    adminToken,
    config: { access_token_ttl: 3600, c_nonce_ttl: 3600, token_rate_limit_per_minute: 100_000 },
  })
  const pinned = cpus().length > 1 && process.platform === 'linux' && spawnSync('taskset', ['-c', '1', 'true']).status === 0
  try {
    console.log(`e2eid load-test: issuer at ${running.url} (SQLite ${join(dir, 'issuer.sqlite')}), ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`)
    const t0 = performance.now()
    const pool = await mint(running, adminToken, { count: poolSize, configurationId, signJwt, base64urlEncode, utf8Encode, createNodeCryptoProvider })
    console.log(`minted ${pool.length} credential requests in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    // One in-process request first: it must succeed, and names the status list the credentials go into.
    const first = pool.shift()
    const firstRes = await running.app.request('/credential', { method: 'POST', headers: first.headers, body: first.body })
    if (firstRes.status !== 200) throw new Error(`first credential request: ${firstRes.status} ${await firstRes.text()}`)
    const credential = (await firstRes.json()).credentials[0].credential
    const statusPath = statusListPath(credential)

    const load = (job) => {
      const file = join(dir, `job-${Math.random().toString(36).slice(2)}.json`)
      writeFileSync(file, JSON.stringify(job))
      const node = [process.execPath, fileURLToPath(import.meta.url), '--child', file]
      return new Promise((resolve, reject) => {
        const child = pinned ? spawn('taskset', ['-c', '1', ...node], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(node[0], node.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
        let out = ''
        child.stdout.on('data', (d) => (out += d))
        child.on('exit', (code) => {
          try {
            const res = JSON.parse(out.trim().split('\n').pop())
            if (code !== 0 || res.error) reject(new Error(res.error ?? `load generator exited ${code}`))
            else resolve(res)
          } catch (e) {
            reject(new Error(`load generator output: ${out} (${e})`))
          }
        })
      })
    }

    console.log(`POST /credential: ${connections} connections, ${durationS} s (${pool.length} fresh requests, then replays)…`)
    const cred = await load({ url: `${running.url}/credential`, method: 'POST', requests: pool, connections, durationS })
    console.log(`GET ${statusPath}: ${connections} connections, ${durationS} s…`)
    const status = await load({ url: `${running.url}${statusPath}`, method: 'GET', connections, durationS })

    // What the issuer recorded: every 2xx is a credential with its record (plus the first, in-process one).
    const issuedRecords = await countCredentials(running, adminToken)
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

/** Pre-mints `count` complete credential requests through the issuer's own endpoints (in process, not timed). */
async function mint(running, adminToken, o) {
  const { app, issuerUrl } = running
  const crypto = o.createNodeCryptoProvider()
  const now = () => Math.floor(Date.now() / 1000)
  let jti = 0
  const dpop = (key, method, path, accessToken) =>
    o.signJwt({
      header: { typ: 'dpop+jwt', jwk: key.publicJwk },
      payload: {
        jti: `load-${process.pid}-${jti++}`,
        htm: method,
        htu: `${issuerUrl}${path}`,
        iat: now(),
        ...(accessToken === undefined ? {} : { ath: o.base64urlEncode(crypto.digest('SHA-256', o.utf8Encode(accessToken))) }),
      },
      key: key.privateJwk,
      provider: crypto,
    })
  const call = async (path, init, expect = 200) => {
    const r = await app.request(path, init)
    if (r.status !== expect) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`)
    return r
  }
  const adminJson = (path, body, expect) => call(path, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }, expect)
  await adminJson('/admin/users', { id: 'alice', claims: { handle: 'im:alice@example.com', name: 'Alice Example', email: 'alice@example.com' } }, 201)
  const granted = []
  for (let i = 0; i < Math.min(64, o.count); i++) {
    const offer = await (await adminJson('/admin/offers', { user_id: 'alice', credential_configuration_id: o.configurationId, tx_code: false }, 201)).json()
    const code = JSON.parse(new URL(offer.offer_uri_by_value).searchParams.get('credential_offer')).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code']
    const key = await crypto.generateKeyPair('ES256')
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString()
    const t = await (await call('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpop(key, 'POST', '/token') }, body })).json()
    granted.push({ key, accessToken: t.access_token })
  }
  const pool = []
  for (let i = 0; i < o.count; i++) {
    const { key, accessToken } = granted[i % granted.length]
    const n = await (await call('/nonce', { method: 'POST', headers: { authorization: `DPoP ${accessToken}`, dpop: await dpop(key, 'POST', '/nonce', accessToken) } })).json()
    const holder = await crypto.generateKeyPair('EdDSA')
    const proof = await o.signJwt({ header: { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk }, payload: { aud: issuerUrl, iat: now(), nonce: n.c_nonce }, key: holder.privateJwk, provider: crypto })
    pool.push({
      headers: { 'content-type': 'application/json', authorization: `DPoP ${accessToken}`, dpop: await dpop(key, 'POST', '/credential', accessToken) },
      body: JSON.stringify({ credential_configuration_id: o.configurationId, proofs: { jwt: [proof] } }),
    })
  }
  return pool
}

/** Path of the status list a credential points to (SD-JWT VC `status.status_list.uri`; else list 1). */
function statusListPath(credential) {
  if (typeof credential === 'string' && credential.includes('~')) {
    const payload = JSON.parse(Buffer.from(credential.split('.')[1], 'base64url').toString('utf8'))
    return new URL(payload.status.status_list.uri).pathname
  }
  return '/status-lists/1'
}

async function countCredentials(running, adminToken) {
  const r = await running.app.request('/admin/users/alice/credentials', { headers: { authorization: `Bearer ${adminToken}` } })
  return (await r.json()).length
}
