#!/usr/bin/env node
// `npm run crash-test` (issue 8): kill -9 a process in the middle of a burst of issuance and
// revocations, reopen the database and check that
//   - every acknowledged revocation/suspension is there (record and status list bits),
//   - no status index is used twice, and allocation agrees with the records (checkIntegrity),
//   - every acknowledged issuance has its record with the acknowledged list and index.
// On SQLite always; on PostgreSQL too when E2EID_TEST_PG is set. Runs compiled code from
// issuer/dist (run `npx tsc -b` first; the npm script does).
// Each round runs two worker processes on the same database at once (two issuer instances).
// Options: --rounds N (default 6), --processes N (default 2), --min-ms / --max-ms (kill delay after ready).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const childScript = fileURLToPath(new URL('./crash-child.mjs', import.meta.url))
const distModule = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/**
 * Starts one worker process. `ready` resolves once it printed "ready"; `kill()` sends SIGKILL;
 * `done` resolves after it died with the acknowledgement lines it had printed completely.
 */
function startWorker({ dbUrl, schema, prefix, module, nodeArgs, listSize }) {
  const child = spawn(process.execPath, [...nodeArgs, childScript], {
    env: {
      ...process.env, E2EID_CRASH_DB: dbUrl, E2EID_CRASH_PREFIX: prefix, E2EID_CRASH_MODULE: module,
      E2EID_CRASH_LIST_SIZE: String(listSize), ...(schema ? { E2EID_CRASH_SCHEMA: schema } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let killed = false
  let markReady
  const ready = new Promise((resolve) => { markReady = resolve })
  child.stdout.on('data', (d) => {
    out += d
    if (out.startsWith('ready\n')) markReady()
  })
  child.stderr.on('data', (d) => { err += d })
  const done = new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (!killed) return reject(new Error(`worker exited by itself (code ${code}, signal ${signal}): ${err}`))
      // Only complete lines count: a line cut by the kill was never fully acknowledged.
      resolve({ lines: out.split('\n').slice(0, -1).filter((l) => l !== 'ready'), signal })
    })
  })
  const kill = () => { killed = true; child.kill('SIGKILL') }
  return { ready: Promise.race([ready, done.then(() => { throw new Error('worker died before ready') })]), kill, done }
}

/** Starts `processes` workers, waits until all are ready and busy, then kill -9s all of them at once. */
async function runRound({ processes, killAfterMs, ...worker }) {
  const workers = Array.from({ length: processes }, (_, p) => startWorker({ ...worker, prefix: `${worker.prefix}p${p}` }))
  const startup = setTimeout(() => workers.forEach((w) => w.kill()), 60_000)
  try {
    await Promise.all(workers.map((w) => w.ready))
  } catch (e) {
    workers.forEach((w) => w.kill())
    await Promise.allSettled(workers.map((w) => w.done))
    throw e
  } finally {
    clearTimeout(startup)
  }
  await new Promise((resolve) => setTimeout(resolve, killAfterMs))
  workers.forEach((w) => w.kill())
  return Promise.all(workers.map((w) => w.done))
}

/**
 * Runs `rounds` kill -9 rounds against one database and checks it afterwards.
 * Each round starts `processes` workers on the same database and kills them all at one moment.
 * @returns {{backend, rounds, processes, issuedAcks, statusAcks, credentials, statusLists, problems: string[]}}
 */
export async function runCrashTest({ dbUrl, schema, rounds = 6, processes = 2, minMs = 300, maxMs = 1500, module = distModule, nodeArgs = [], listSize = 256, openRepository }) {
  // The checking side may pass its own openRepository (the vitest test runs from source).
  openRepository ??= (await import(pathToFileURL(module).href)).openRepository
  const issued = new Map()
  const statuses = new Map()
  const problems = []
  for (let r = 0; r < rounds; r++) {
    const killAfterMs = minMs + Math.floor(Math.random() * (maxMs - minMs + 1))
    // Several worker processes at once on one database: two "instances" racing for status indices.
    const outcomes = await runRound({ processes, killAfterMs, dbUrl, schema, prefix: `r${r}`, module, nodeArgs, listSize })
    for (const { signal } of outcomes) if (signal !== 'SIGKILL') problems.push(`round ${r}: worker ended by ${signal}, not SIGKILL`)
    for (const line of outcomes.flatMap((o) => o.lines)) {
      const [kind, id, a, b] = line.split(' ')
      if (kind === 'I') issued.set(id, { list: a, idx: Number(b) })
      else if (kind === 'R') statuses.set(id, Number(a))
      else problems.push(`round ${r}: unexpected output ${JSON.stringify(line)}`)
    }
  }
  const repo = await openRepository(dbUrl, schema ? { schema } : {})
  try {
    for (const [id, want] of issued) {
      const c = await repo.getCredential(id)
      if (!c) problems.push(`acknowledged issuance ${id} has no record`)
      else if (c.statusListId !== want.list || c.statusIdx !== want.idx) problems.push(`${id}: acknowledged ${want.list}/${want.idx}, stored ${c.statusListId}/${c.statusIdx}`)
    }
    const lists = new Map()
    for (const [id, status] of statuses) {
      const c = await repo.getCredential(id)
      if (!c) { problems.push(`acknowledged status change of ${id} but no record`); continue }
      if (c.status !== status) problems.push(`acknowledged status ${status} of ${id} lost: record says ${c.status}`)
      if (!lists.has(c.statusListId)) lists.set(c.statusListId, await repo.getStatusList(c.statusListId))
      const list = lists.get(c.statusListId)
      const perByte = 8 / list.bits
      const bit = (list.data[Math.floor(c.statusIdx / perByte)] >> ((c.statusIdx % perByte) * list.bits)) & ((1 << list.bits) - 1)
      if (bit !== status) problems.push(`acknowledged status ${status} of ${id} lost in list ${c.statusListId}: bits say ${bit}`)
    }
    const integrity = await repo.checkIntegrity()
    problems.push(...integrity.problems)
    return {
      backend: dbUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres', rounds, processes, issuedAcks: issued.size, statusAcks: statuses.size,
      credentials: integrity.credentials, statusLists: integrity.statusLists, problems,
    }
  } finally {
    await repo.close()
  }
}

/** SQLite on a temporary file; removed afterwards. */
export async function crashTestSqlite(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'e2eid-crash-'))
  try {
    return await runCrashTest({ ...options, dbUrl: `sqlite:${join(dir, 'issuer.sqlite')}` })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** PostgreSQL in a fresh schema; dropped afterwards. */
export async function crashTestPostgres(connectionString, options = {}) {
  const schema = `e2eid_crash_${randomBytes(6).toString('hex')}`
  try {
    return await runCrashTest({ ...options, dbUrl: connectionString, schema })
  } finally {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
}

async function main() {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '6' }, processes: { type: 'string', default: '2' }, 'min-ms': { type: 'string', default: '300' }, 'max-ms': { type: 'string', default: '1500' } },
  })
  const options = { rounds: Number(values.rounds), processes: Number(values.processes), minMs: Number(values['min-ms']), maxMs: Number(values['max-ms']) }
  const results = [await crashTestSqlite(options)]
  if (process.env.E2EID_TEST_PG) results.push(await crashTestPostgres(process.env.E2EID_TEST_PG, options))
  else if (process.env.CI === 'true') results.push({ backend: 'postgres', problems: ['E2EID_TEST_PG is not set (CI=true)'] })
  else console.error('E2EID_TEST_PG not set: PostgreSQL skipped')
  for (const r of results) console.log(JSON.stringify(r))
  const failed = results.some((r) => r.problems.length > 0)
  console.log(failed ? 'crash-test: FAILED' : 'crash-test: ok (no acknowledged write lost, no status index used twice)')
  process.exitCode = failed ? 1 : 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
