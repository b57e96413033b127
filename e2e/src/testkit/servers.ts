/**
 * @module testkit/servers
 * The e2eid servers as an operator starts them: `e2eid issuer serve` (startIssuerServer, DEFAULT configuration,
 * 127.0.0.1, an ephemeral port, SQLite in memory, state in a temp folder) and `e2eid verifier serve` without
 * more configuration than the issuer it trusts (startVerifierServer).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startIssuerServer } from '@e2eid/issuer'
import type { IssuerConfigFile, RunningIssuer } from '@e2eid/issuer'
import { startVerifierServer } from '@e2eid/verifier'
import type { RunningVerifier } from '@e2eid/verifier'

export const BOB = { sub: 'im:bob@example.com', handle: 'im:bob@example.com', email: 'bob@example.com', name: 'Bob' }

/** A running default issuer plus its admin API. */
export interface TestIssuer {
  url: string
  running: RunningIssuer
  admin(path: string, body?: unknown, method?: string): Promise<Response>
  /** Creates an offer for `user` (created on first use) and returns the admin response. */
  offer(configurationId: string, opts?: { txCode?: boolean; user?: string }): Promise<{ offer_uri: string; offer_uri_by_value: string; tx_code: string | null }>
  close(): Promise<void>
}

/**
 * `e2eid issuer serve --port 0` with the default configuration (no config file), SQLite in memory.
 * `publicUrl`: the issuer identifier when it is reached through a reverse proxy (as `--issuer-url`).
 * `config`: config file members, only for tests that show a non-default option (say which, and why).
 */
export async function startDefaultIssuer(o: { publicUrl?: string; config?: IssuerConfigFile } = {}): Promise<TestIssuer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'e2eid-interop-issuer-'))
  const adminToken = 'interop-admin-token-0123456789abcdef'
  const running = await startIssuerServer({ port: 0, host: '127.0.0.1', db: 'sqlite::memory:', stateDir, adminToken, ...(o.publicUrl === undefined ? {} : { issuerUrl: o.publicUrl }), ...(o.config === undefined ? {} : { config: o.config }) })
  const url = running.url
  const users = new Set<string>()
  const admin = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  return {
    url,
    running,
    admin,
    async offer(configurationId, opts = {}) {
      const user = opts.user ?? 'bob'
      if (!users.has(user)) {
        const r = await admin('/admin/users', { id: user, claims: user === 'bob' ? BOB : { sub: `im:${user}@example.com`, handle: `im:${user}@example.com` } })
        if (r.status !== 201) throw new Error(`admin /users: ${r.status} ${await r.text()}`)
        users.add(user)
      }
      const r = await admin('/admin/offers', { user_id: user, credential_configuration_id: configurationId, tx_code: opts.txCode ?? false })
      if (r.status !== 201) throw new Error(`admin /offers: ${r.status} ${await r.text()}`)
      return (await r.json()) as { offer_uri: string; offer_uri_by_value: string; tx_code: string | null }
    },
    async close() {
      await running.close()
      await rm(stateDir, { recursive: true, force: true })
    },
  }
}

/**
 * `e2eid verifier serve --port 0 --config FILE` with the least a verifier must be told: which issuer it trusts
 * (keys from its JWT VC Issuer Metadata and COSE key set), which credential types it accepts, and that this
 * issuer is on loopback http. Everything else (policy, DCQL query: dc+sd-jwt only, response mode) is the
 * service's default. (`e2eid verifier serve` without --config adds `request_sd_cwt` for the local demo.)
 */
export async function startDefaultVerifier(issuerUrl: string): Promise<RunningVerifier> {
  const config = {
    authorities: [{ issuer: issuerUrl, jwt_vc_issuer: true, cose_key_set_uri: `${issuerUrl}/.well-known/cose-keys` }],
    policy: { credential_types: [`${issuerUrl}/vct/mimi_identity_sd_jwt`, `${issuerUrl}/vct/mimi_identity_sd_cwt`] },
    allow_insecure_loopback: true,
  }
  return startVerifierServer({ config, port: 0, host: '127.0.0.1' })
}

/** Asks the verifier service for a new OpenID4VP request (POST /requests). */
export async function newVerifierRequest(verifierUrl: string): Promise<{ id: string; request_uri: string; result_token: string; request: Record<string, unknown> }> {
  const r = await fetch(`${verifierUrl}/requests`, { method: 'POST' })
  if (r.status !== 201) throw new Error(`verifier /requests: ${r.status}`)
  return (await r.json()) as never
}

/** The verifier's result for a request (GET /results/:id with its result token). */
export async function verifierResult(verifierUrl: string, req: { id: string; result_token: string }): Promise<Record<string, unknown>> {
  return (await (await fetch(`${verifierUrl}/results/${req.id}`, { headers: { authorization: `Bearer ${req.result_token}` } })).json()) as never
}

/** One request through {@link startRecordingProxy}, with the answer it got once that arrived. */
export interface RecordedExchange {
  method: string
  path: string
  body: string
  headers: Record<string, string>
  status?: number
  response?: string
}

/**
 * A reverse proxy on 127.0.0.1 that records each request (method, path, body, headers) before forwarding it to
 * `target`, and the status and body of the answer.
 */
export async function startRecordingProxy(): Promise<{ url: string; target: string; requests: RecordedExchange[]; close(): Promise<void> }> {
  const requests: RecordedExchange[] = []
  const state = { target: '' }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const seen: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') seen[k] = v
      const exchange: RecordedExchange = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString(), headers: seen }
      requests.push(exchange)
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v)
      fetch(`${state.target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) })
        .then(async (r) => {
          const out: Record<string, string> = {}
          r.headers.forEach((v, k) => {
            if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding') out[k] = v
          })
          const answer = Buffer.from(await r.arrayBuffer())
          exchange.status = r.status
          exchange.response = answer.toString()
          res.writeHead(r.status, out).end(answer)
        })
        .catch(() => res.writeHead(502).end())
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get target() {
      return state.target
    },
    set target(t: string) {
      state.target = t
    },
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
