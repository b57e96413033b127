import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StatusList, isE2eidError, signStatusListJwt } from '@e2eid/shared'
import type { PrivateJwk } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import { recordingFetch, startLoopback } from '../test-helpers/loopback.js'
import type { Loopback } from '../test-helpers/loopback.js'
import { AUD, NONCE, NOW, issueSdJwt, makeAuthority, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import type { Authority } from '../test-helpers/fixtures.js'
import { createTrustStore } from '../trust/trust-store.js'
import type { VerifierPolicy } from '../policy/policy.js'
import { verifyPresentation } from '../verify-presentation.js'
import { createStatusChecker } from './checker.js'

let server: Loopback
let auth: Authority
let clock = NOW

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => {
    if (!isE2eidError(e, code)) throw new Error(`expected ${code}, got ${isE2eidError(e) ? `${e.code} ${e.message}` : String(e)}`)
    return true
  })
}

/** Serves a 2-bit Status List Token at `path` with the given statuses, signed by `key`. */
async function serveList(path: string, statuses: Record<number, number>, key: PrivateJwk, o: { ttl?: number; exp?: number } = {}): Promise<void> {
  const list = StatusList.create(1024, 2)
  for (const [i, v] of Object.entries(statuses)) list.set(Number(i), v)
  const jwt = await signStatusListJwt({ list, sub: server.origin + path, iat: clock, exp: o.exp ?? clock + 3600, ttl: o.ttl ?? 60, key, provider })
  server.routes.set(path, { contentType: 'application/statuslist+jwt', body: jwt })
}

beforeAll(async () => {
  server = await startLoopback()
  auth = await makeAuthority()
})
afterAll(() => server.close())

async function setup(path: string, idx: number) {
  const rec = recordingFetch()
  const http = createHttpClient({ fetch: rec.fetch, allowInsecureLoopback: true })
  const trust = createTrustStore({ http, authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
  const status = createStatusChecker({ http, provider, now: () => clock })
  const { vc, holder } = await issueSdJwt(auth, { status: { uri: server.origin + path, idx }, exp: NOW + 100_000 })
  const vp = await presentSdJwt(vc, holder.privateJwk, ['org'])
  const policy = (p: VerifierPolicy = {}): VerifierPolicy => ({ aud: AUD, nonce: NONCE, now: () => NOW, ...p })
  return { rec, trust, status, vp, policy }
}

describe('status via a real Token Status List on a loopback server (draft-ietf-oauth-status-list §8.3)', () => {
  it('valid, then cached; revoked after the list changes and its ttl passes; the verifier fetched only the list', async () => {
    clock = NOW
    const path = '/status-lists/1'
    await serveList(path, { 5: 0, 6: 1 }, auth.keys.privateJwk, { ttl: 60 })
    const { rec, trust, status, vp, policy } = await setup(path, 5)
    const v1 = await verifyPresentation(vp, policy(), { trust, status, provider })
    expect(v1.status).toEqual({ status: 0, fromCache: false, offline: false, uri: server.origin + path, fetchedAt: NOW })
    clock += 5
    const v2 = await verifyPresentation(vp, policy(), { trust, status, provider })
    // Issue 15: the verdict says when the answering list was fetched, and that it came from the cache.
    expect(v2.status).toMatchObject({ status: 0, fromCache: true, fetchedAt: NOW })
    await serveList(path, { 5: 1 }, auth.keys.privateJwk, { ttl: 60 })
    clock += 61
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_REVOKED')
    // Issue 6: the verifier never contacts the issuer except to fetch status lists (keys were configured).
    expect(rec.urls).toEqual([server.origin + path, server.origin + path])
  })

  it('a short list ttl (e2eid up: 10 s) is honoured when the verifier lowers its ttl clamp: a revocation shows after 10 s', async () => {
    clock = NOW
    const path = '/status-lists/short-ttl'
    await serveList(path, { 5: 0 }, auth.keys.privateJwk, { ttl: 10 })
    const { trust, vp, policy } = await setup(path, 5)
    const http = createHttpClient({ fetch: recordingFetch().fetch, allowInsecureLoopback: true })
    const clamped = createStatusChecker({ http, provider, now: () => clock })
    const short = createStatusChecker({ http, provider, now: () => clock, minTtl: 5 })
    expect((await verifyPresentation(vp, policy(), { trust, status: clamped, provider })).status).toMatchObject({ status: 0, fromCache: false })
    expect((await verifyPresentation(vp, policy(), { trust, status: short, provider })).status).toMatchObject({ status: 0, fromCache: false })
    clock = NOW + 11
    await serveList(path, { 5: 1 }, auth.keys.privateJwk, { ttl: 10 })
    await refused(verifyPresentation(vp, policy(), { trust, status: short, provider }), 'ERR_STATUS_REVOKED')
    // The default clamp (30 s) still answers from the list fetched before the revocation.
    expect((await verifyPresentation(vp, policy(), { trust, status: clamped, provider })).status).toMatchObject({ status: 0, fromCache: true, fetchedAt: NOW })
  })

  it('a suspended member is refused with its own code', async () => {
    clock = NOW
    const path = '/status-lists/2'
    await serveList(path, { 9: 2 }, auth.keys.privateJwk)
    const { trust, status, vp, policy } = await setup(path, 9)
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_SUSPENDED')
  })

  it('a list signed by another key (e.g. served by the provider) is refused', async () => {
    clock = NOW
    const path = '/status-lists/3'
    const other = await makeAuthority('https://provider.example')
    await serveList(path, { 5: 0 }, other.keys.privateJwk)
    const { trust, status, vp, policy } = await setup(path, 5)
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_LIST_SIGNATURE_INVALID')
  })

  it('unreachable list: fail closed by default; grace until the cached list exp when the policy allows it', async () => {
    clock = NOW
    const path = '/status-lists/4'
    await serveList(path, { 5: 0 }, auth.keys.privateJwk, { ttl: 60, exp: NOW + 1000 })
    const { trust, status, vp, policy } = await setup(path, 5)
    expect((await verifyPresentation(vp, policy(), { trust, status, provider })).status).toMatchObject({ status: 0 })
    // The list disappears (withheld by the provider, or the issuer is down).
    server.routes.set(path, { status: 503, body: 'down' })
    clock = NOW + 120
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_UNAVAILABLE')
    const grace = await verifyPresentation(vp, policy({ statusUnavailable: 'grace-until-exp' }), { trust, status, provider })
    expect(grace.status).toEqual({ status: 0, fromCache: true, offline: true, uri: server.origin + path, fetchedAt: NOW })
    clock = NOW + 1001
    await refused(verifyPresentation(vp, policy({ statusUnavailable: 'grace-until-exp' }), { trust, status, provider }), 'ERR_STATUS_UNAVAILABLE')
  })

  it('never fetched at all: fail closed (ERR_STATUS_UNAVAILABLE), grace has nothing to fall back on', async () => {
    clock = NOW
    const { trust, status, vp, policy } = await setup('/status-lists/missing', 5)
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_UNAVAILABLE')
    await refused(verifyPresentation(vp, policy({ statusUnavailable: 'grace-until-exp' }), { trust, status, provider }), 'ERR_STATUS_UNAVAILABLE')
  })

  it('a redirect to another list is not followed (the URL policy cannot be sidestepped)', async () => {
    clock = NOW
    const path = '/status-lists/5'
    await serveList('/status-lists/5b', { 5: 0 }, auth.keys.privateJwk)
    server.routes.set(path, { status: 302, headers: { location: `${server.origin}/status-lists/5b` }, body: '' })
    const { trust, status, vp, policy } = await setup(path, 5)
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_UNAVAILABLE')
  })

  it('a stale list replayed after a revocation (older iat than one already seen) is refused', async () => {
    clock = NOW
    const path = '/status-lists/6'
    await serveList(path, { 5: 0 }, auth.keys.privateJwk, { ttl: 60 })
    const oldList = server.routes.get(path)!
    clock = NOW + 100
    await serveList(path, { 5: 1 }, auth.keys.privateJwk, { ttl: 60 })
    const { trust, status, vp, policy } = await setup(path, 5)
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_REVOKED')
    // The provider now serves the older, still unexpired list that says VALID.
    server.routes.set(path, oldList)
    clock += 61
    await refused(verifyPresentation(vp, policy(), { trust, status, provider }), 'ERR_STATUS_LIST_STALE')
  })

  it('key rotation: a list signed by the authority\'s newer key is accepted for a credential signed by the older one', async () => {
    clock = NOW
    const path = '/status-lists/7'
    const newer = await makeAuthority(auth.iss, 'k2')
    await serveList(path, { 5: 0 }, { ...newer.keys.privateJwk, kid: 'k2' })
    const http = createHttpClient({ allowInsecureLoopback: true })
    const trust = createTrustStore({ http, authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk, newer.publicJwk] }] }] })
    const status = createStatusChecker({ http, provider, now: () => clock })
    const { vc, holder } = await issueSdJwt(auth, { status: { uri: server.origin + path, idx: 5 } })
    const vp = await presentSdJwt(vc, holder.privateJwk, ['org'])
    expect((await verifyPresentation(vp, { aud: AUD, nonce: NONCE, now: () => NOW }, { trust, status, provider })).status).toMatchObject({ status: 0 })
  })

  it('a key configured without a kid verifies a list whose header names one', async () => {
    clock = NOW
    const path = '/status-lists/8'
    await serveList(path, { 5: 2 }, { ...auth.keys.privateJwk, kid: 'some-kid' })
    const http = createHttpClient({ allowInsecureLoopback: true })
    const status = createStatusChecker({ http, provider, now: () => clock })
    const r = await status.status({ ref: { uri: server.origin + path, idx: 5 }, issuerKeys: [auth.keys.publicJwk], format: 'dc+sd-jwt', graceUntilExp: false })
    expect(r.status).toBe(2)
  })

  it('a status URL outside the URL policy is not fetched', async () => {
    clock = NOW
    const rec = recordingFetch()
    const http = createHttpClient({ fetch: rec.fetch })
    const status = createStatusChecker({ http, provider })
    await refused(status.status({ ref: { uri: `${server.origin}/status-lists/1`, idx: 1 }, issuerKeys: [auth.publicJwk], format: 'dc+sd-jwt', graceUntilExp: false }), 'ERR_STATUS_URL_NOT_ALLOWED')
    expect(rec.urls).toEqual([])
  })
})
