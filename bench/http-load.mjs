/**
 * Load generator child of bench/http.mjs (its own process, pinned to another core than the server when it can be):
 * reads a JSON job {url, method, requests?: [{headers, body}], connections, durationS}, runs autocannon on
 * loopback and prints one JSON line with the result. Each pre-made request is sent exactly once (autocannon
 * `amount`); when they run out before the duration ends, the run stops there (rates are counted over the time
 * actually run), and no request beyond them is sent.
 */
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'))
let next = 0
let inst
const opts = {
  url: job.url,
  connections: job.connections,
  duration: job.durationS,
  pipelining: 1,
  timeout: 30,
  method: job.method,
}
if (job.requests !== undefined) {
  // Exactly the pre-made requests, never more: once they ran out, autocannon kept sending the bare
  // request (no Authorization, DPoP or body) on every connection until stop() took effect, and those
  // 401s counted as non-2xx. The duration still bounds the run (timer below).
  opts.amount = job.requests.length
  opts.requests = [
    {
      method: job.method,
      setupRequest: (req) => {
        const r = job.requests[next++]
        if (r === undefined) return req
        return { ...req, headers: { ...req.headers, ...r.headers }, body: r.body }
      },
    },
  ]
}
const started = performance.now()
// With `amount` autocannon ignores `duration`: stop at the duration ourselves.
const timer = job.requests !== undefined ? setTimeout(() => inst.stop(), job.durationS * 1000) : undefined
inst = autocannon(opts, (err, res) => {
  clearTimeout(timer)
  if (err) {
    console.log(JSON.stringify({ error: String(err) }))
    process.exit(1)
  }
  const seconds = (performance.now() - started) / 1000
  console.log(
    JSON.stringify({
      seconds: +seconds.toFixed(2),
      sent: job.requests === undefined ? res.requests.sent : Math.min(next, job.requests.length),
      ok2xx: res['2xx'],
      non2xx: res.non2xx,
      errors: res.errors,
      timeouts: res.timeouts,
      rps_2xx: +(res['2xx'] / seconds).toFixed(1),
      p50_ms: res.latency.p50,
      p99_ms: res.latency.p99,
      max_ms: res.latency.max,
    }),
  )
})
