/**
 * Runs every benchmark body of `npm run bench` / `npm run bench:http` once on tiny inputs, to prove the fixtures
 * and the code paths work. No timing here: speed is measured by the benchmarks, never by unit tests.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain ESM bench module without type declarations
import { ATTRS, bodies, makeFixtures, makeIssuanceStore, makeStatusList, statusListBodies } from './cases.mjs'
// @ts-expect-error -- plain ESM bench module without type declarations
import { mintCredentialRequests, startBenchIssuer, statusListPathOf } from './http-fixtures.mjs'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Bodies = Record<string, () => unknown>
let f: any
let b: Bodies

beforeAll(async () => {
  f = await makeFixtures({ members: 3, coldHolders: 2 })
  b = bodies(f) as Bodies
}, 60_000)

describe('bench bodies (library)', () => {
  it('SD-CWT issue yields a tagged COSE_Sign1 (tag 18)', async () => {
    const bytes = (await b.sdCwtIssue!()) as Uint8Array
    expect(bytes[0]).toBe(0xd2)
  })
  it('SD-CWT KBT verify (P-256, Ed25519, cold P-256) discloses the five attributes', async () => {
    for (const name of ['kbtVerifyP256', 'kbtVerifyEd25519', 'kbtVerifyP256Cold', 'kbtVerifyP256Cold']) {
      const v = (await b[name]!()) as { claims: Map<unknown, unknown>; disclosures: unknown[] }
      for (const [k, val] of Object.entries(ATTRS)) expect(v.claims.get(k), `${name} ${k}`).toBe(val)
      expect(v.disclosures).toHaveLength(5)
    }
  })
  it('SD-JWT VC issue and KB verify through the adapter', async () => {
    expect(String(await b.sdJwtIssue!())).toMatch(/^ey[^~]+~(?:[^~]+~){5}$/)
    const v = (await b.sdJwtKbVerify!()) as { claims: Record<string, unknown>; keyBinding: unknown }
    expect(v.claims).toMatchObject(ATTRS)
    expect(v.keyBinding).toBeDefined()
  })
  it('the peer (@sd-jwt/sd-jwt-vc SDJwtVcInstance) issues and verifies with key binding on the same keys', async () => {
    expect(String(await b.peerIssue!())).toMatch(/^ey[^~]+~(?:[^~]+~){5}$/)
    const v = (await b.peerKbVerify!()) as { payload: Record<string, unknown>; kb?: unknown }
    expect(v.payload).toMatchObject(ATTRS)
    expect(v.kb).toBeDefined()
  })
  it('the floor: two ES256 verifies succeed', () => {
    expect(b.floorTwoEs256!()).toBe(true)
  })
  it('MLS join: every leaf credential is validated by the AuthenticationService with the real verifier', async () => {
    expect(await b.mlsJoin!()).toBe(3)
  })
  it('MLS join in the P-256 group (ciphersuite 2) validates every leaf', async () => {
    expect(await b.mlsJoinP256!()).toBe(3)
  })
  it('the MLS join floors check each leaf\'s two signatures, and count a bad one out', () => {
    expect(b.mlsJoinFloor!()).toBe(3)
    expect(b.mlsJoinFloorP256!()).toBe(3)
    const leaf = f.mls.leaves[1].floor
    const good = leaf.leafSig
    leaf.leafSig = Uint8Array.from(good, (x: number, i: number) => (i === 5 ? x ^ 1 : x))
    try {
      expect(b.mlsJoinFloor!()).toBe(2)
    } finally {
      leaf.leafSig = good
    }
  })
  it('MLS join on every core (threadpool provider + prevalidate) validates every leaf too', async () => {
    expect(await b.mlsJoinAllCores!()).toBe(3)
  })
})

describe('bench bodies (issuer storage)', () => {
  it('records issuances into a 2^24-entry list: distinct indices inside the list, integrity clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'e2eid-bench-store-'))
    try {
      const store = await makeIssuanceStore(dir, 2 ** 24)
      const idx = (await store.issue(40)) as number[]
      expect(new Set(idx).size).toBe(40)
      expect(Math.max(...idx)).toBeLessThan(2 ** 24)
      expect(await store.repo.checkIntegrity()).toEqual({ credentials: 40, statusLists: 1, problems: [] })
      await store.repo.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('bench bodies (status list)', () => {
  it('set, get, compress with both zlib strategies, decompress round trip', async () => {
    const list = makeStatusList(80_000)
    const sl = statusListBodies(list) as any
    sl.set()
    const rle = await sl.compressRle()
    const dflt = await sl.compressDefault()
    for (const json of [rle, dflt]) {
      const back = await sl.decompress(json)
      expect(back.bytes).toEqual(list.bytes)
      expect(sl.getMany(back, list.size)).toBe(sl.getMany(list, list.size))
    }
    expect(sl.getMany(list, list.size)).toBeGreaterThan(0)
  })
})

describe('bench:http fixtures', () => {
  let dir: string
  let running: any
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2eid-bench-test-'))
    running = await startBenchIssuer(dir)
  }, 60_000)
  afterAll(async () => {
    await running?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  it('pre-made credential requests each succeed once over a real socket, not twice; the status list is served', async () => {
    const [one, two] = await mintCredentialRequests(running, { count: 2, tokens: 2 })
    const send = (r: { headers: Record<string, string>; body: string }) => fetch(`${running.url}/credential`, { method: 'POST', headers: r.headers, body: r.body })
    const res = await send(one)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { credentials: { credential: string }[] }
    expect(body.credentials).toHaveLength(1)
    expect((await send(one)).status).toBe(401) // replayed DPoP proof
    expect((await send(two)).status).toBe(200)
    const list = await fetch(`${running.url}${statusListPathOf(body.credentials[0]!.credential)}`)
    expect(list.status).toBe(200)
    expect(list.headers.get('content-type')).toMatch(/statuslist\+jwt/)
  })
})
