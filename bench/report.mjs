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
  if (r.p50_ms !== undefined) return `p50 ${r.p50_ms} ms`
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

/** Fixed text of the README section: causes fixed, causes left, durability of the SQLite store. */
const NOTES = [
  'Causes found with `node --cpu-prof` and fixed (each covered by the owning folder\'s tests):',
  '',
  '- MLS join: the AuthenticationService hashed and hex-encoded every credential twice per validation (record key),',
  '  and `presentedAudience` decoded the whole KBT (with the SD-CWT in its protected header) only to read `aud`;',
  '  now the key is built once (latin-1, no hex) and only the outer array and the KBT payload are decoded (CPU per',
  '  leaf outside the signatures: ~300 → ~150 µs).',
  '- SD-CWT issue: one provider `randomBytes` call per salt → 8 salts per call; `encodeCbor` allocated a 256-byte',
  '  buffer and a DataView per call (dozens of small encodes per token) → one reused spare writer (~275 → ~155 µs).',
  '- CBOR decode: duplicate-key detection built a string per key and a Set per map → byte-range comparison for',
  '  maps of up to 16 keys.',
  '- Issuer storage: every query re-prepared its SQL → statements prepared once; one fsync per commit → group',
  '  commit (below). The 10M-entry list: node:zlib level 9 with Z_RLE (engineer H2) compresses in ~12 ms where',
  '  zlib\'s default strategy takes ~1.1–3 s for ~7 % fewer bytes; both rows are in the table.',
  '',
  'The credential endpoint costs ~1.2 ms of server CPU per request in-process (E2EID_BENCH_INPROC=1: DPoP and proof',
  'checks ~30 %, status index allocation ~15 %, SD-JWT signing ~10 %, Hono/undici request objects ~15 %), so one',
  'core of this machine tops out near 800/s before sockets; over loopback it reached 470/s (p99 141 ms) in a quieter',
  'run (load ~3), and in that run SD-CWT issue reached 9,051/s. The 2,000/s target needs the causes below fixed.',
  '',
  'Causes measured but left (outside the folders this work could change): `verifier/src/formats/sd-cwt.ts` decodes',
  'the KBT and the SD-CWT once to pick the issuer key and `verifySdCwtPresentation` decodes both again; the issuer',
  'reads and parses its signing keys from the database on every request (`activeSigningKey`), reads the whole',
  'status list blob before its token cache lookup on `GET /status-lists/:id`, and `recordIssuance` reads, scans and',
  'rewrites the 16 KB allocation bitmap of a 2^17-entry list per credential.',
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
  '',
]

const pass = (r) => (r === undefined ? 'n/a' : r.pass ? 'PASS' : 'MISS')

/** The README "Performance" section (markdown) from bench/results.json and bench/results-http.json. */
export function renderReadmeSection(lib, http, env) {
  const find = (prefix) => lib.find((r) => r.name.startsWith(prefix))
  const kbt = find('SD-CWT KBT verify, P-256 holder (5')
  const kbtEd = find('SD-CWT KBT verify, Ed25519')
  const issue = find('SD-CWT issue')
  const compress = find('status list 10M: compress, node:zlib level 9 Z_RLE')
  const get = find('status list 10M: get')
  const join = find('MLS join: ')
  const joinAll = find('MLS join on ')
  const cred = http?.[0]
  const la = Math.max(...lib.map((r) => r.loadavg_1m ?? 0))
  return [
    '## Performance',
    '',
    '`npm run bench` measures the library on one core (pinned with `taskset -c 0`; figures are the process\'s CPU time,',
    'see `bench/main.mjs`) and writes `bench/results.json`; `npm run bench:http` runs the issuer over loopback with',
    'autocannon (load generator on the other core) and writes `bench/results-http.json`; `--strict` makes a missed',
    'target fail the run. Fixed inputs: SD-CWT with 10 claims (5 redactable, 2 decoys), KBT disclosing 5; the same',
    'credential as SD-JWT VC through our adapter and through `@sd-jwt/sd-jwt-vc`\'s `SDJwtVcInstance` (the peer, same',
    'run, same keys, node:crypto callbacks with cached KeyObjects); the floor is two ES256 verifies with node:crypto;',
    'a 10,000,000-entry 1-bit list with 1 % revoked; 1,000 MLS leaf credentials (SD-CWT, Ed25519 leaf keys) validated',
    'by the `AuthenticationService` with `mlsPresentationVerifier` and a fresh node:crypto provider, as on a join —',
    'on one core, and once more on every core (`createNodeCryptoProvider({ threadpool: true })` + `prevalidate`, wall',
    'clock, in an unpinned child process: `bench/mls-cores.mjs`).',
    '',
    `Latest run: ${env.cpu} (${env.cores} vCPU VM, shared), Node ${env.node} (OpenSSL ${env.openssl}). The machine was`,
    `busy with other jobs (load average up to ${la} on ${env.cores} vCPUs): one ES256 verify cost ~${Math.round((find('floor')?.mean_us ?? 0) / 2)} µs of CPU here`,
    'against 62–78 µs on the idle reference VM (shared/reference/cbor-and-crypto.md §3), so absolute rates are about',
    'half of an idle machine\'s; the ratios are taken within one run and are the figures to compare.',
    '',
    renderMarkdown(lib),
    '',
    ...(http === undefined ? [] : [renderMarkdown(http), '']),
    'Targets (same run):',
    '',
    `- SD-CWT KBT verify / floor ≥ 0.5: ${kbt?.ratio_to_floor} (P-256 holder), ${kbtEd?.ratio_to_floor} (Ed25519) — ${kbt?.ratio_to_floor >= 0.5 && kbtEd?.ratio_to_floor >= 0.5 ? 'PASS' : 'MISS'}`,
    `- SD-CWT KBT verify / peer SD-JWT+KB verify ≥ 2.5: ${kbt?.ratio_to_peer_kb_verify} — ${kbt?.ratio_to_peer_kb_verify >= 2.5 ? 'PASS' : 'MISS'}`,
    `- SD-CWT issue ≥ 8,000/s: ${issue?.ops_per_s}/s — ${pass(issue)}`,
    `- 10M list compress ≤ 700 ms and ≤ 40 MB extra heap: ${compress?.ms} ms, +${compress?.extra_heap_mb} MB — ${pass(compress)}; one lookup < 100 ns: ${get?.ns} ns — ${pass(get)}`,
    `- 1,000 leaf credentials ≤ 300 ms: ${join?.ms} ms on one core — ${pass(join)}${joinAll === undefined ? '' : `; ${joinAll.ms} ms on ${joinAll.cores} cores — ${pass(joinAll)}`}`,
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
