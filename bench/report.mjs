/**
 * Environment and table rendering for the bench; `node bench/report.mjs` prints the README "Performance" table
 * (markdown) from bench/results.json (and bench/results-http.json when present).
 */
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

/** CPU model (/proc/cpuinfo "model name"), core count, Node and OpenSSL versions, pinning, load. */
export function environment() {
  let cpu = cpus()[0]?.model ?? 'unknown'
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m) cpu = m[1].trim()
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    openssl: process.versions.openssl,
    pinned: process.env.E2EID_BENCH_PINNED ?? 'not pinned',
    loadavg: loadavg().map((x) => +x.toFixed(2)),
  }
}

function figure(r) {
  if (r.ns !== undefined) return `${r.ns} ns`
  if (r.ms !== undefined) return `${r.ms} ms`
  if (r.mean_us !== undefined) return `${r.mean_us} µs (p99 ${r.p99_us})`
  return ''
}

function extra(r) {
  const parts = []
  if (r.ratio_to_floor !== undefined) parts.push(`${r.ratio_to_floor}× floor`)
  if (r.ratio_to_peer_kb_verify !== undefined) parts.push(`${r.ratio_to_peer_kb_verify}× peer`)
  if (r.ratio_to_peer_issue !== undefined) parts.push(`${r.ratio_to_peer_issue}× peer`)
  if (r.extra_heap_mb !== undefined) parts.push(`+${r.extra_heap_mb} MB heap`)
  if (r.compressed_bytes !== undefined) parts.push(`${r.compressed_bytes} B`)
  if (r.per_credential_us !== undefined) parts.push(`${r.per_credential_us} µs each`)
  if (r.p99_ms !== undefined) parts.push(`p99 ${r.p99_ms} ms`)
  if (r.pass !== undefined) parts.push(r.pass ? 'PASS' : 'MISS')
  return parts.join(', ')
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : String(n))

/** A plain-text table for the terminal. */
export function renderTable(results) {
  const lines = results.map((r) => [r.name, fmt(r.ops_per_s), figure(r), extra(r)])
  const head = ['benchmark', 'ops/s', 'time', 'ratios / notes']
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const row = (l) => l.map((c, i) => (i === 1 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')
  return [row(head), w.map((n) => '-'.repeat(n)).join('  '), ...lines.map(row)].join('\n')
}

/** The same table in markdown. */
export function renderMarkdown(results) {
  const out = ['| benchmark | ops/s | time | ratios / notes |', '|---|---:|---|---|']
  for (const r of results) out.push(`| ${r.name} | ${fmt(r.ops_per_s)} | ${figure(r)} | ${extra(r)} |`)
  return out.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = environment()
  const lib = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8'))
  console.log(`CPU: ${env.cpu} (${env.cores} vCPU, ${env.memGiB} GiB); Node ${env.node} (OpenSSL ${env.openssl}).\n`)
  console.log(renderMarkdown(lib))
  const httpFile = new URL('./results-http.json', import.meta.url)
  if (existsSync(httpFile)) {
    console.log()
    console.log(renderMarkdown(JSON.parse(readFileSync(httpFile, 'utf8'))))
  }
}
