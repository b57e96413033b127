import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createStatusClient } from './client.js'
import type { StatusClientOptions } from './client.js'
import { StatusList } from './list.js'
import { createNodeCompression } from './node-compression.js'
import { signStatusListCwt } from './token-cwt.js'
import { signStatusListJwt } from './token-jwt.js'

const provider = createNodeCryptoProvider()
const compression = createNodeCompression()
const T0 = 1_800_000_000

/** What the loopback Status Provider does for the next requests. */
type Behaviour = { kind: 'serve' } | { kind: 'status'; code: number } | { kind: 'drop' } | { kind: 'hang' } | { kind: 'raw'; type: string; body: Uint8Array | string; chunked?: boolean }

let server: Server
let base = ''
let behaviour: Behaviour = { kind: 'serve' }
let requests: { url: string; accept: string }[] = []
/** Tokens served per path and format. */
const tokens = new Map<string, { jwt?: string; cwt?: Uint8Array }>()
let key: { priv: PrivateJwk; pub: PublicJwk }
let clock = T0
const now = () => clock

function handler(req: IncomingMessage, res: ServerResponse): void {
  requests.push({ url: req.url ?? '', accept: String(req.headers.accept ?? '') })
  const b = behaviour
  if (b.kind === 'hang') return // never answers; the client's timeout must fire
  if (b.kind === 'drop') {
    req.socket.destroy()
    return
  }
  if (b.kind === 'status') {
    res.writeHead(b.code).end()
    return
  }
  if (b.kind === 'raw') {
    const headers: Record<string, string> = { 'content-type': b.type }
    if (b.chunked !== true) headers['content-length'] = String(typeof b.body === 'string' ? Buffer.byteLength(b.body) : b.body.length)
    res.writeHead(200, headers)
    res.end(b.body)
    return
  }
  const path = new URL(req.url ?? '/', base).pathname
  const t = tokens.get(path)
  const accept = String(req.headers.accept ?? '')
  // RFC 9110 negotiation: the first acceptable format the client listed
  const wantsCwt = accept.indexOf('application/statuslist+cwt') >= 0 && (accept.indexOf('application/statuslist+jwt') < 0 || accept.indexOf('cwt') < accept.indexOf('jwt'))
  if (t === undefined) {
    res.writeHead(404).end()
  } else if (wantsCwt && t.cwt !== undefined) {
    res.writeHead(200, { 'content-type': 'application/statuslist+cwt' }).end(t.cwt)
  } else if (t.jwt !== undefined) {
    res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end(t.jwt)
  } else {
    res.writeHead(406).end()
  }
}

async function publish(path: string, statuses: Record<number, number>, claims: { iat?: number; exp?: number; ttl?: number; sub?: string; size?: number } = {}): Promise<string> {
  const list = StatusList.create(claims.size ?? 1024, 2)
  for (const [i, v] of Object.entries(statuses)) list.set(Number(i), v)
  const uri = base + path
  const input = { list, sub: claims.sub ?? uri, iat: claims.iat ?? clock, exp: claims.exp ?? clock + 3600, ttl: claims.ttl ?? 60, key: key.priv, provider, compression }
  tokens.set(path, { jwt: await signStatusListJwt(input), cwt: await signStatusListCwt(input) })
  return uri
}

function client(over: Partial<StatusClientOptions> = {}) {
  return createStatusClient({ trustedKeys: [key.pub], provider, compression, now, timeoutMs: 2000, ...over })
}

beforeAll(async () => {
  const kp = await provider.generateKeyPair('ES256')
  key = { priv: { ...kp.privateJwk, kid: 'status-1' }, pub: { ...kp.publicJwk, kid: 'status-1' } }
  server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})
beforeEach(() => {
  behaviour = { kind: 'serve' }
  requests = []
  clock = T0
  tokens.clear()
})

describe('draft-20 §8.1-8.3 status client against a loopback HTTP Status Provider', () => {
  it('fetches with the Accept header, verifies, answers; the second lookup comes from the cache', async () => {
    const uri = await publish('/lists/1', { 3: 1, 4: 2 })
    const c = client()
    const r = await c.status({ uri, idx: 3 })
    expect(r).toMatchObject({ status: 1, name: 'INVALID', fromCache: false, offline: false, format: 'jwt', uri, idx: 3 })
    expect(requests).toHaveLength(1)
    expect(requests[0]!.accept).toBe('application/statuslist+jwt, application/statuslist+cwt')
    const r2 = await c.status({ uri, idx: 4 })
    expect(r2).toMatchObject({ status: 2, name: 'SUSPENDED', fromCache: true })
    expect((await c.status({ uri, idx: 5 })).status).toBe(0)
    expect(requests).toHaveLength(1)
  })

  it('CWT: asks for application/statuslist+cwt and verifies the raw COSE body', async () => {
    const uri = await publish('/lists/cwt', { 9: 1 })
    const r = await client({ formats: ['cwt'] }).status({ uri, idx: 9 })
    expect(r).toMatchObject({ status: 1, format: 'cwt' })
    expect(requests[0]!.accept).toBe('application/statuslist+cwt')
  })

  it('coalesces 100 concurrent lookups into one fetch', async () => {
    const uri = await publish('/lists/2', { 7: 1 })
    const c = client()
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => c.status({ uri, idx: i })))
    expect(requests).toHaveLength(1)
    expect(results[7]!.status).toBe(1)
    expect(results.filter((r) => r.status === 0)).toHaveLength(99)
  })

  it('§13.7 honours ttl: no fetch before it elapses, a revocation is seen after it', async () => {
    const uri = await publish('/lists/3', {}, { ttl: 120 })
    const c = client()
    expect((await c.status({ uri, idx: 1 })).status).toBe(0)
    await publish('/lists/3', { 1: 1 }, { ttl: 120 })
    clock = T0 + 119
    expect(await c.status({ uri, idx: 1 })).toMatchObject({ status: 0, fromCache: true })
    expect(requests).toHaveLength(1)
    clock = T0 + 120
    expect(await c.status({ uri, idx: 1 })).toMatchObject({ status: 1, fromCache: false })
    expect(requests).toHaveLength(2)
  })

  it('§11.5 clamps a tiny ttl (a Status Issuer cannot make clients flood it)', async () => {
    const uri = await publish('/lists/ttl', {}, { ttl: 1 })
    const c = client({ minTtl: 30 })
    await c.status({ uri, idx: 0 })
    clock = T0 + 29
    await c.status({ uri, idx: 0 })
    expect(requests).toHaveLength(1)
  })

  it('a withheld or failed refresh answers from cache (offline) until exp, then ERR_STATUS_LIST_UNAVAILABLE', async () => {
    const uri = await publish('/lists/4', { 2: 1 }, { ttl: 60, exp: T0 + 600 })
    const c = client({ retryAfterFailure: 0 })
    await c.status({ uri, idx: 2 })
    for (const [i, b] of ([{ kind: 'status', code: 503 }, { kind: 'drop' }, { kind: 'status', code: 404 }] as Behaviour[]).entries()) {
      behaviour = b
      clock = T0 + 100 + i
      const r = await c.status({ uri, idx: 2 })
      expect(r).toMatchObject({ status: 1, fromCache: true, offline: true })
      expect(r.refreshError?.code).toMatch(/^ERR_STATUS_LIST_(HTTP_STATUS|FETCH_FAILED)$/)
    }
    clock = T0 + 599
    expect(await c.status({ uri, idx: 2 })).toMatchObject({ offline: true })
    clock = T0 + 600
    await expect(c.status({ uri, idx: 2 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_UNAVAILABLE' })
    // and it recovers when the provider answers again
    behaviour = { kind: 'serve' }
    await publish('/lists/4', { 2: 0 }, { ttl: 60, exp: T0 + 4000 })
    expect(await c.status({ uri, idx: 2 })).toMatchObject({ status: 0, fromCache: false, offline: false })
  })

  it('after a failed refresh it waits retryAfterFailure before fetching again', async () => {
    const uri = await publish('/lists/5', {}, { ttl: 60 })
    const c = client({ retryAfterFailure: 30 })
    await c.status({ uri, idx: 0 })
    behaviour = { kind: 'status', code: 500 }
    clock = T0 + 61
    await c.status({ uri, idx: 0 })
    await c.status({ uri, idx: 0 })
    clock = T0 + 90
    await c.status({ uri, idx: 0 })
    expect(requests).toHaveLength(2)
    clock = T0 + 91
    await c.status({ uri, idx: 0 })
    expect(requests).toHaveLength(3)
  })

  it('a failing uri without a cached list is not refetched within retryAfterFailure', async () => {
    const uri = await publish('/lists/neg', {})
    behaviour = { kind: 'status', code: 500 }
    const c = client({ retryAfterFailure: 30 })
    await expect(c.status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_HTTP_STATUS' })
    clock = T0 + 29
    await expect(c.status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_HTTP_STATUS' })
    expect(requests).toHaveLength(1)
    behaviour = { kind: 'serve' }
    expect((await c.status({ uri, idx: 0 }, { refresh: true })).status).toBe(0)
    expect(requests).toHaveLength(2)
  })

  it('a hanging provider hits the time limit: ERR_STATUS_LIST_TIMEOUT', async () => {
    const uri = await publish('/lists/6', {})
    behaviour = { kind: 'hang' }
    const t = performance.now()
    await expect(client({ timeoutMs: 200 }).status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TIMEOUT' })
    expect(performance.now() - t).toBeLessThan(2000)
  })

  it('bounds the response size, declared or streamed: ERR_STATUS_LIST_RESPONSE_TOO_LARGE', async () => {
    const uri = await publish('/lists/7', {})
    const body = 'x'.repeat(200_000)
    behaviour = { kind: 'raw', type: 'application/statuslist+jwt', body }
    await expect(client({ maxBytes: 100_000 }).status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_RESPONSE_TOO_LARGE' })
    behaviour = { kind: 'raw', type: 'application/statuslist+jwt', body, chunked: true }
    await expect(client({ maxBytes: 100_000 }).status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_RESPONSE_TOO_LARGE' })
  })

  it('never trusts the transport: a list signed by another key is rejected', async () => {
    const uri = await publish('/lists/8', { 0: 1 })
    const other = await provider.generateKeyPair('ES256')
    await expect(client({ trustedKeys: [{ ...other.publicJwk, kid: 'status-1' }] }).status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_INVALID' })
    await expect(client({ trustedKeys: [{ ...other.publicJwk, kid: 'other' }] }).status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_JWS_KEY_NOT_FOUND' })
    await expect(client({ trustedKeys: [other.publicJwk], formats: ['cwt'] }).status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_COSE_SIGNATURE_INVALID' })
  })

  it('a keyResolver supplies the keys per uri', async () => {
    const uri = await publish('/lists/9', { 0: 1 })
    const seen: string[] = []
    const c = createStatusClient({ keyResolver: (u) => (seen.push(u), [key.pub]), provider, compression, now })
    expect((await c.status({ uri, idx: 0 })).status).toBe(1)
    expect(seen).toEqual([uri])
  })

  it('§8.3 step 4a: a list served at another uri (sub != uri) is ERR_STATUS_LIST_SUB_MISMATCH', async () => {
    await publish('/lists/10', { 0: 1 }, { sub: `${base}/lists/other` })
    await expect(client().status({ uri: `${base}/lists/10`, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_SUB_MISMATCH' })
  })

  it('an expired list is ERR_STATUS_LIST_EXPIRED, never cached', async () => {
    const uri = await publish('/lists/11', {}, { iat: T0 - 100, exp: T0 - 1 })
    await expect(client().status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_EXPIRED' })
  })

  it('HTTP errors and a wrong Content-Type have their own codes', async () => {
    await expect(client().status({ uri: `${base}/missing`, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_HTTP_STATUS' })
    const uri = await publish('/lists/12', {})
    behaviour = { kind: 'raw', type: 'application/json', body: tokens.get('/lists/12')!.jwt! }
    await expect(client().status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_CONTENT_TYPE' })
    behaviour = { kind: 'drop' }
    await expect(client().status({ uri, idx: 0 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_FETCH_FAILED' })
  })

  it('§8.3 step 6: an index past the end is ERR_STATUS_LIST_INDEX_OUT_OF_RANGE (and does not look like an offline answer)', async () => {
    const uri = await publish('/lists/13', {}, { size: 16 })
    const c = client()
    await expect(c.status({ uri, idx: 16 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INDEX_OUT_OF_RANGE' })
    expect((await c.status({ uri, idx: 15 })).fromCache).toBe(true)
  })

  it('§8.4 historical resolution: ?time= is sent and iat <= time <= exp enforced', async () => {
    const uri = await publish('/lists/14', { 1: 1 }, { iat: T0 - 1000, exp: T0 - 500 })
    const c = client()
    expect(await c.status({ uri, idx: 1 }, { time: T0 - 700 })).toMatchObject({ status: 1, fromCache: false })
    expect(new URL(requests[0]!.url, base).searchParams.get('time')).toBe(String(T0 - 700))
    // a static host ignoring the query serves a token not valid at that time
    await expect(c.status({ uri, idx: 1 }, { time: T0 - 100 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TIME_MISMATCH' })
  })

  it('default fetch is globalThis.fetch; a custom fetch is used when given', async () => {
    const uri = await publish('/lists/15', {})
    let calls = 0
    const f: typeof fetch = (input, init) => (calls++, fetch(input, init))
    await client({ fetch: f }).status({ uri, idx: 0 })
    expect(calls).toBe(1)
  })

  it('needs trusted keys or a key resolver', () => {
    expect(() => createStatusClient({ provider })).toThrow(expect.objectContaining({ code: 'ERR_STATUS_CLIENT_CONFIG' }))
  })
})
