#!/usr/bin/env node
/**
 * Checks the Dockerfile without a Docker engine (none runs on this project's machines): follows its stages by hand.
 *   build    a clean copy of the committed tree (git archive HEAD), then the stage's `npm …` RUN steps
 *            (npm ci, which builds, then npm prune --omit=dev); its apt-get step is the image's business;
 *   runtime  exactly the stage's `COPY --from=build` lines into an empty folder standing for /app;
 *   issuer / verifier
 *            each target's CMD run as an unprivileged user (nobody) with the stage's ENV (/data mapped to a temp
 *            folder, 0.0.0.0 to 127.0.0.1), then its HEALTHCHECK command, which must exit 0.
 * Closing line "dockerfile-check: N of M checks passed"; exit 1 if any failed.
 */
import { execFileSync, execSync, spawn } from 'node:child_process'
import { chmodSync, cpSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const NOBODY = 65534

/** The Dockerfile as stages: { name, run: [cmd], copies: [[srcs, dst]], env: {}, cmd: [], healthcheck: [] }. */
function parseDockerfile(text) {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n')
  const stages = []
  let cur
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line)
    if (from) {
      const base = stages.find((s) => s.name === from[1])
      cur = { name: from[2], run: [], copies: [], env: { ...(base?.env ?? {}) }, cmd: base?.cmd ?? [], entrypoint: base?.entrypoint ?? [], healthcheck: [] }
      stages.push(cur)
      continue
    }
    const [kw, ...rest] = line.split(/\s+/)
    const arg = line.slice(kw.length).trim()
    if (kw === 'RUN') cur.run.push(arg)
    else if (kw === 'COPY' && rest[0] === '--from=build') cur.copies.push([rest.slice(1, -1), rest.at(-1)])
    else if (kw === 'ENV') {
      const m = /^(\S+)=(\S+)$/.exec(arg)
      if (m) cur.env[m[1]] = m[2]
    } else if (kw === 'CMD') cur.cmd = JSON.parse(arg)
    else if (kw === 'ENTRYPOINT') cur.entrypoint = JSON.parse(arg)
    else if (kw === 'HEALTHCHECK') cur.healthcheck = JSON.parse(arg.slice(arg.indexOf('CMD') + 3).trim())
  }
  return stages
}

/** chown -R to nobody, symlinks themselves (a workspace link may dangle: e2e/ is not in the image). */
function chownTree(path) {
  lchownSync(path, NOBODY, NOBODY)
  const st = lstatSync(path)
  if (st.isDirectory() && !st.isSymbolicLink()) for (const e of readdirSync(path)) chownTree(join(path, e))
}

let passed = 0
let failed = 0
const check = async (name, fn) => {
  try {
    await fn()
    passed++
    process.stdout.write(`ok   ${name}\n`)
  } catch (e) {
    failed++
    process.stdout.write(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}\n`)
  }
}

const work = mkdtempSync(join(tmpdir(), 'e2eid-dockerfile-'))
chmodSync(work, 0o755) // the unprivileged user must reach /app and /data inside it
const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'))
const stage = (name) => {
  const s = stages.find((x) => x.name === name)
  if (s === undefined) throw new Error(`no stage ${name}`)
  return s
}
const src = join(work, 'src')
const app = join(work, 'app')
const data = join(work, 'data')
try {
  await check('build stage: npm steps on a clean copy of HEAD', () => {
    mkdirSync(src)
    execSync(`git archive HEAD | tar -x -C ${JSON.stringify(src)}`, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    for (const cmd of stage('build').run.filter((c) => c.startsWith('npm '))) execSync(cmd, { cwd: src, stdio: ['ignore', 'ignore', 'inherit'] })
  })
  await check('runtime stage: the COPY --from=build lines', () => {
    mkdirSync(app)
    for (const [srcs, dst] of stage('runtime').copies) {
      for (const s of srcs) {
        const from = join(src, s.replace(/^\/src\/?/, ''))
        const to = dst === './' ? join(app, from.slice(src.length + 1)) : join(app, dst)
        mkdirSync(dirname(to), { recursive: true })
        cpSync(from, to, { recursive: true, verbatimSymlinks: true })
      }
    }
    mkdirSync(data)
    chownTree(app)
    chownTree(data)
  })
  for (const target of ['issuer', 'verifier']) {
    await check(`${target} target: CMD as user nobody, then HEALTHCHECK`, async () => {
      const s = stage(target)
      const env = { PATH: process.env.PATH, HOME: data }
      for (const [k, v] of Object.entries(s.env)) env[k] = v === '/data' ? data : v
      const entry = s.entrypoint.map((a) => a.replace(/^\/app\//, `${app}/`))
      const args = s.cmd.map((a) => (a === '0.0.0.0' ? '127.0.0.1' : a))
      const child = spawn(entry[0], [...entry.slice(1), ...args], { cwd: app, env, uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (out += d))
      try {
        await new Promise((ok, ko) => {
          const t = setTimeout(() => ko(new Error(`not listening after 30 s: ${out}`)), 30_000)
          child.stdout.on('data', () => /listening on/.test(out) && (clearTimeout(t), ok()))
          child.once('exit', (code) => (clearTimeout(t), ko(new Error(`exited ${code}: ${out}`))))
        })
        execFileSync(s.healthcheck[0], s.healthcheck.slice(1), { env, uid: NOBODY, gid: NOBODY, stdio: 'inherit', timeout: 10_000 })
      } finally {
        child.kill('SIGTERM')
      }
    })
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
process.stdout.write(`dockerfile-check: ${passed} of ${passed + failed} checks passed\n`)
process.exitCode = failed === 0 ? 0 : 1
