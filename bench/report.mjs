/**
 * Environment and table rendering for the bench; `node bench/report.mjs` prints docs/performance.md
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
  if (r.p50_ms !== undefined) return `p50 ${r.p50_ms} ms`
  if (r.ns !== undefined) return `${r.ns} ns`
  if (r.ms !== undefined) return `${r.ms} ms`
  if (r.mean_us !== undefined) return r.p99_us === undefined ? `${r.mean_us} µs` : `${r.mean_us} µs (p99 ${r.p99_us})`
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

/** Fixed text of docs/performance.md: causes fixed, targets missed and why, durability of the SQLite store. */
const NOTES = [
  'Run to run, this VM varies by ~25 % (it shares its host): over six full runs the floor took 241–300 µs, SD-CWT',
  'issue ran at 6,700–10,400/s (the target missed in the two slowest runs), KBT/peer 1.86–2.06×, the one-core join',
  '458–690 ms, the join on both cores 258–371 ms, the credential endpoint 580–710/s.',
  '',
  'Causes found with `node --cpu-prof`, the sampling heap profiler (garbage per call), `valgrind --tool=callgrind`',
  '(instruction counts, unaffected by other jobs) and A/B runs interleaved in one process, then fixed (each commit',
  'names its measured gain; each is covered by its folder\'s tests):',
  '',
  '- SD-CWT issue (~5,400 → ~8,400–10,400/s): ASCII text strings written into the CBOR buffer without a TextEncoder,',
  '  canonical map keys encoded in place (no writer per key), the Sig_structure built in one allocation, parsed JWKs',
  '  and KeyObjects cached (parsed JWKs are frozen), salts from a 4 KiB CSPRNG pool, digests returned as views.',
  '  Callgrind: 1.45 → 1.17 M instructions per issue, the ES256 signature included.',
  '- SD-CWT KBT verify (0.63 → ~0.7–0.78× the floor; 1.87 → ~1.9–2.25× the peer): ~41 → ~25 KB of garbage per',
  '  verification (reveal walks maps without entry arrays and keys its digest table by a 30-bit prefix with full',
  '  comparison, short ASCII strings decoded without TextDecoder or subarrays, no option spreads, one async layer',
  '  fewer, a COSE_Key → JWK result that is not base64url-decoded again).',
  '- MLS join: audiences computed once per service, the KBT decoded once, the claims\' JSON view built only when read,',
  '  signature keys compared without decompressing EC points; and for machines with more than one core,',
  '  `AuthenticationService.prevalidate` with `createNodeCryptoProvider({ threadpool: true })`.',
  '- Credential endpoint (332 → ~490–710/s, p99 212 → 78–196 ms): the request body read from the Node request instead',
  '  of a WHATWG Request per POST, the SQLite writes of one event-loop turn in one transaction, no savepoint per',
  '  issuance, the DPoP `ath` reusing the access-token hash, recent DPoP key thumbprints cached, the credential request',
  '  checked without zod; the load generator sent bare requests once its pre-made ones ran out (counted as non-2xx:',
  '  fixed). `GET /status-lists/:id` serves the signed token from a cache keyed by list version.',
  '- base64url: Node\'s native encoder above 24 bytes (600 B: ~18 → 0.6 µs), the portable loop elsewhere.',
  '- Measurement: the MLS join row no longer forces a full GC before each run (the sweeping that follows was charged',
  '  to the join, +100–300 ms of CPU).',
  '- Issuance storage (the status index allocator): an issuance read and rewrote the list\'s whole allocation bitmap,',
  '  ~0.11 ms at 131,072 entries, ~0.8 ms at 2^20, ~12 ms at 2^24 (the largest list allowed). It now touches one',
  '  512-byte page and a small allocator row (SQLite and PostgreSQL schema migrations 2–3): ~0.11 / ~0.11 / ~0.15 ms,',
  '  the same uniform choice among unused indices. The two "issuer storage" rows measure it in every run.',
  '',
  'Tried, measured, and not kept: importing P-256 public keys from SPKI DER or raw points instead of JWK (OpenSSL 3.0:',
  '~285 µs and ~85 µs against ~105–150 µs, the raw path only through async WebCrypto); SHA-256 of short disclosures',
  'in JavaScript (@noble/hashes: no faster than `crypto.hash`, ~1.7 µs); verifying on worker threads in batches',
  'instead of the libuv threadpool (the same CPU per verification; no faster on 2 cores); running "overflow"',
  'verifications on the main thread when the threadpool is busy (the event loop then stops feeding the pool).',
  '',
  '**Targets missed, and why.** The table holds the evidence of each, from the same run:',
  '',
  '- KBT verify ≥ 2.5× the peer: `ratio_to_peer_at_floor` in results.json is what the peer costs in floors (two',
  '  ES256 verifies) — the ratio a KBT verify would reach if it cost nothing but its two signatures. It is ~2.1–3.2',
  '  here from run to run (the peer\'s garbage collections vary), so in some runs 2.5× is below the signature floor',
  '  and in the others it leaves ~0–25 % of the floor for everything else; we are at ~1.3–1.4× the floor. Measured',
  '  alone a KBT costs ~40 µs outside its signatures (CBOR decoding, five SHA-256 of ~1.7 µs, the disclosure walk).',
  '- 1,000 leaf credentials ≤ 300 ms on one core: the "floor: MLS join" rows are the signatures alone (issuer ES256,',
  '  leaf key import and signature, bare node:crypto, same leaves): ~300–390 ms for an Ed25519 group, ~430–490 ms',
  '  for a P-256 group (importing a P-256 key costs ~105–150 µs here, about as much as verifying with it). The',
  '  target is below the floor of this CPU (ES256 verify ~110–150 µs, Ed25519 verify ~140–200 µs; `openssl speed`',
  '  agrees). With every core (threadpool + `prevalidate`) the join takes ~260–370 ms wall on this 2-vCPU VM: the',
  '  target is met there in the quieter runs.',
  '- Credential endpoint ≥ 2,000/s: in the server\'s own CPU profile (`E2EID_BENCH_INPROC=1',
  '  E2EID_BENCH_PROFILE=…`), the request\'s signature work (DPoP ES256 verify, Ed25519 holder key import and proof',
  '  verify, ES256 signature) is ~45 % of ~1.1–1.2 ms of CPU per request, ~0.5 ms: the one pinned server core could',
  '  not serve 2,000/s with nothing else to do. HTTP parsing, Hono, SQLite (group commit) and SD-JWT encoding share',
  '  the rest, no part of it above ~3 %.',
  '',
  'Durability of the SQLite store (`issuer/src/storage/sqlite.ts`, default): the writes of one event-loop turn share',
  'one transaction, committed at the end of the turn with synchronous=NORMAL in WAL mode (which survives a killed',
  'process); an operation that must survive power loss resolves only after that commit and the next group flush (an',
  'fdatasync of the `-wal` file on the libuv threadpool, the same sync synchronous=FULL does per commit, shared by',
  'every write made before it started). `npm run crash-test` stays green.',
  '',
  '| operation | acknowledged = on disk (power loss) | process crash |',
  '|---|---|---|',
  '| recordIssuance, setCredentialStatus (revoke, suspend) | yes | yes |',
  '| users, offers, pre-authorized / authorization codes, PAR, access tokens, signing keys, settings | yes | yes |',
  '| saveNonce, consumeNonce, recordDpopJti | with the next flush (the same request\'s issuance covers them) | at the end of their turn (the same request\'s issuance covers them) |',
  '| saveNotification, recordNotificationEvent, purgeExpired | with the next flush (milliseconds) | at the end of their turn (milliseconds) |',
  '',
  '`synchronous: \'NORMAL\'` (option of `openSqliteRepository`) turns the flushes off.',
]

const pass = (r) => (r === undefined ? 'n/a' : r.pass ? 'PASS' : 'MISS')

/** docs/performance.md (markdown) from bench/results.json and bench/results-http.json. */
export function renderReadmeSection(lib, http, env) {
  const find = (prefix) => lib.find((r) => r.name.startsWith(prefix))
  const kbt = find('SD-CWT KBT verify, P-256 holder (5')
  const kbtEd = find('SD-CWT KBT verify, Ed25519')
  const issue = find('SD-CWT issue')
  const compress = find('status list 10M: compress, node:zlib level 9 Z_RLE')
  const get = find('status list 10M: get')
  const join = find('MLS join: ')
  const joinAll = find('MLS join on ')
  const joinP256 = find('MLS join, P-256')
  const cred = http?.[0]
  const la = Math.max(...lib.map((r) => r.loadavg_1m ?? 0))
  return [
    '# Performance',
    '',
    '`npm run bench` measures the library on one core (pinned with `taskset -c 0`; figures are the process\'s CPU time,',
    'see `bench/main.mjs`) and writes `bench/results.json`; `npm run bench:http` runs the issuer over loopback with',
    'autocannon (load generator on the other core) and writes `bench/results-http.json`; `--strict` makes a missed',
    'target fail the run. Fixed inputs: SD-CWT with 10 claims (5 redactable, 2 decoys), KBT disclosing 5; the same',
    'credential as SD-JWT VC through our adapter and through `@sd-jwt/sd-jwt-vc`\'s `SDJwtVcInstance` (the peer, same',
    'run, same keys, node:crypto callbacks with cached KeyObjects); the floor is two ES256 verifies with node:crypto;',
    'a 10,000,000-entry 1-bit list with 1 % revoked; 1,000 MLS leaf credentials (SD-CWT, Ed25519 leaf keys) validated',
    'by the `AuthenticationService` with `mlsPresentationVerifier` and a fresh node:crypto provider, as on a join —',
    'on one core, and once more on every core (`createNodeCryptoProvider({ threadpool: true })`, UV_THREADPOOL_SIZE =',
    'cores, `prevalidate` with 32 leaves in flight; wall clock, in an unpinned child process: `bench/mls-cores.mjs`).',
    '',
    `Latest run: ${env.cpu} (${env.cores} vCPU VM, shared), Node ${env.node} (OpenSSL ${env.openssl}). The machine was`,
    `${la < 1.5 ? 'quiet' : 'busy with other jobs'} (load average up to ${la} on ${env.cores} vCPUs): one ES256 verify cost ~${Math.round((find('floor')?.mean_us ?? 0) / 2)} µs of CPU here`,
    'against 62–78 µs on the idle reference VM (shared/reference/cbor-and-crypto.md §3), so absolute rates are about',
    'half of that machine\'s; the ratios are taken within one run and are the figures to compare.',
    '',
    renderMarkdown(lib),
    '',
    ...(http === undefined ? [] : [renderMarkdown(http), '']),
    'Targets (same run):',
    '',
    `- SD-CWT KBT verify / floor ≥ 0.5: ${kbt?.ratio_to_floor} (P-256 holder), ${kbtEd?.ratio_to_floor} (Ed25519) — ${kbt?.ratio_to_floor >= 0.5 && kbtEd?.ratio_to_floor >= 0.5 ? 'PASS' : 'MISS'}`,
    `- SD-CWT KBT verify / peer SD-JWT+KB verify ≥ 2.5: ${kbt?.ratio_to_peer_kb_verify} — ${kbt?.ratio_to_peer_kb_verify >= 2.5 ? 'PASS' : 'MISS'}${kbt?.ratio_to_peer_at_floor === undefined ? '' : ` (the peer cost ${kbt.ratio_to_peer_at_floor}× the floor in this run: a KBT verify that cost nothing but its two signatures would reach ${kbt.ratio_to_peer_at_floor}×)`}`,
    `- SD-CWT issue ≥ 8,000/s: ${issue?.ops_per_s}/s — ${pass(issue)}`,
    `- 10M list compress ≤ 700 ms and ≤ 40 MB extra heap: ${compress?.ms} ms, +${compress?.extra_heap_mb} MB — ${pass(compress)}; one lookup < 100 ns: ${get?.ns} ns — ${pass(get)}`,
    `- 1,000 leaf credentials ≤ 300 ms: ${join?.ms} ms on one core — ${pass(join)} (its signature floor: ${join?.floor_ms} ms)${joinP256 === undefined ? '' : `; P-256 group ${joinP256.ms} ms — ${pass(joinP256)} (floor ${joinP256.floor_ms} ms)`}${joinAll === undefined ? '' : `; ${joinAll.ms} ms on ${joinAll.cores} cores — ${pass(joinAll)}`}`,
    `- credential endpoint ≥ 2,000/s: ${cred === undefined ? 'not run' : `${cred.ops_per_s}/s, p99 ${cred.p99_ms} ms — ${pass(cred)}`}`,
    '',
    ...NOTES,
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = environment()
  const lib = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8'))
  const httpFile = new URL('./results-http.json', import.meta.url)
  const http = existsSync(httpFile) ? JSON.parse(readFileSync(httpFile, 'utf8')) : undefined
  console.log(renderReadmeSection(lib, http, env))
}
