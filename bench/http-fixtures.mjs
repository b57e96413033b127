/**
 * Issuer and pre-made credential requests for bench/http.mjs (and bench/bench.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { base64urlEncode, signJwt, utf8Encode } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { startIssuerServer } from '@e2eid/issuer'
import { benchKeyPair } from './cases.mjs'

/** True when a load generator can run pinned to CPU 1, apart from a server on CPU 0 (Linux, taskset, 2+ cores). */
export function canPinLoadGenerator() {
  return cpus().length > 1 && process.platform === 'linux' && spawnSync('taskset', ['-c', '1', 'true']).status === 0
}

/**
 * Runs a load generator in a child process, `node ...scriptArgs <job file>` (the job written as JSON into `dir`),
 * pinned to CPU 1 when `pin`. Asynchronous, so that the in-process server keeps serving meanwhile. Resolves to the
 * JSON object on the last line of the child's stdout; rejects when it exits non-zero or reports `error`.
 */
export function runLoadJob(dir, scriptArgs, job, pin) {
  const file = join(dir, `job-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, JSON.stringify(job))
  const node = [process.execPath, ...scriptArgs, file]
  return new Promise((resolve, reject) => {
    const child = pin ? spawn('taskset', ['-c', '1', ...node], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(node[0], node.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
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

export const BENCH_USER = { id: 'alice', claims: { handle: 'im:alice@example.com', name: 'Alice Example', email: 'alice@example.com' } }

/**
 * Starts the issuer on 127.0.0.1, port 0, with a SQLite file in `dir` (default durability) and a known admin
 * token; long token/nonce lifetimes so that requests minted before a run stay valid through it.
 */
export async function startBenchIssuer(dir) {
  const adminToken = base64urlEncode(randomBytes(24))
  const running = await startIssuerServer({
    port: 0,
    host: '127.0.0.1',
    db: `sqlite:${join(dir, 'issuer.sqlite')}`,
    stateDir: dir,
    adminToken,
    config: {
      access_token_ttl: 3600, c_nonce_ttl: 3600, token_rate_limit_per_minute: 100_000,
      rate_limits_per_minute: { par: 1_000_000, authorize: 1_000_000, nonce: 1_000_000, credential: 1_000_000, credential_per_account: 1_000_000, admin: 1_000_000 },
    },
  })
  return Object.assign(running, { adminToken })
}

/**
 * Mints `count` complete credential requests through the issuer's own endpoints (in-process, not timed):
 * `tokens` access tokens (pre-authorized code + DPoP, one ES256 DPoP key each), then per request a c_nonce from
 * POST /nonce for its token, a NEW Ed25519 holder key with its jwt proof over that nonce, and a DPoP proof for
 * POST /credential (own jti, `ath`). Returns `[{ headers, body }]`, each valid exactly once.
 */
export async function mintCredentialRequests(running, { count, tokens = 64, configurationId = 'mimi_identity_sd_jwt' }) {
  const { app, issuerUrl, adminToken } = running
  const crypto = createNodeCryptoProvider() // the wallets' own provider, not the server's
  const now = () => Math.floor(Date.now() / 1000)
  let jti = 0
  const dpop = (key, method, path, accessToken) =>
    signJwt({
      header: { typ: 'dpop+jwt', jwk: key.publicJwk },
      payload: {
        jti: `bench-${process.pid}-${jti++}`,
        htm: method,
        htu: `${issuerUrl}${path}`,
        iat: now(),
        ...(accessToken === undefined ? {} : { ath: base64urlEncode(crypto.digest('SHA-256', utf8Encode(accessToken))) }),
      },
      key: key.privateJwk,
      provider: crypto,
    })
  const call = async (path, init, expect = 200) => {
    const r = await app.request(path, init)
    if (r.status !== expect) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`)
    return r
  }
  const admin = (path, body, expect) => call(path, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }, expect)
  const u = await app.request('/admin/users', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...BENCH_USER, password: 'correct horse battery' }) })
  if (u.status !== 201 && u.status !== 409) throw new Error(`user: ${u.status}`)
  const granted = []
  for (let i = 0; i < Math.min(tokens, count); i++) {
    const offer = await (await admin('/admin/offers', { user_id: BENCH_USER.id, credential_configuration_id: configurationId, tx_code: false }, 201)).json()
    const o = JSON.parse(new URL(offer.offer_uri_by_value).searchParams.get('credential_offer'))
    const code = o.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code']
    const key = benchKeyPair('ES256')
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString()
    const t = await (await call('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpop(key, 'POST', '/token') }, body })).json()
    granted.push({ key, accessToken: t.access_token })
  }
  const pool = []
  for (let i = 0; i < count; i++) {
    const { key, accessToken } = granted[i % granted.length]
    const n = await (await call('/nonce', { method: 'POST', headers: { authorization: `DPoP ${accessToken}`, dpop: await dpop(key, 'POST', '/nonce', accessToken) } })).json()
    const holder = benchKeyPair('EdDSA')
    const proof = await signJwt({
      header: { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk },
      payload: { aud: issuerUrl, iat: now(), nonce: n.c_nonce },
      key: holder.privateJwk,
      provider: crypto,
    })
    pool.push({
      headers: { 'content-type': 'application/json', authorization: `DPoP ${accessToken}`, dpop: await dpop(key, 'POST', '/credential', accessToken) },
      body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
    })
  }
  return pool
}

/** Path of the status list a credential points to (SD-JWT VC `status.status_list.uri`; otherwise list 1). */
export function statusListPathOf(credential) {
  if (typeof credential === 'string' && credential.includes('~')) {
    const payload = JSON.parse(Buffer.from(credential.split('.')[1], 'base64url').toString('utf8'))
    return new URL(payload.status.status_list.uri).pathname
  }
  return '/status-lists/1'
}
