import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base64urlEncode, encodeCbor, isE2eidError, jwkToCoseKey } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import { recordingFetch, startLoopback } from '../test-helpers/loopback.js'
import type { Loopback } from '../test-helpers/loopback.js'
import { createTrustStore, jwtVcIssuerMetadataUrl, pinnedKeyTrustStore } from './trust-store.js'

// Key n: the public key of the seed n…n (a fill(n) y is often off the curve, refused as ERR_KEY_ED25519_WEAK).
const k = (n: number, kid?: string): PublicJwk => ({ kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(ed25519.getPublicKey(new Uint8Array(32).fill(n))), ...(kid === undefined ? {} : { kid }) })

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => isE2eidError(e, code))
}

describe('SD-JWT VC §2.5.1 JWT VC Issuer Metadata location', () => {
  it('inserts the well-known segment between host and path and drops a trailing slash', () => {
    expect(jwtVcIssuerMetadataUrl('https://example.com/tenant/1234')).toBe('https://example.com/.well-known/jwt-vc-issuer/tenant/1234')
    expect(jwtVcIssuerMetadataUrl('https://example.com')).toBe('https://example.com/.well-known/jwt-vc-issuer')
    expect(jwtVcIssuerMetadataUrl('https://example.com/t/')).toBe('https://example.com/.well-known/jwt-vc-issuer/t')
    expect(() => jwtVcIssuerMetadataUrl('https://example.com/?q=1')).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_ISSUER_METADATA_INVALID' }))
  })
})

describe('trust store: several authorities, each with its own key sources', () => {
  let server: Loopback
  beforeAll(async () => {
    server = await startLoopback()
  })
  afterAll(() => server.close())

  it('answers keys from configuration, a JWKS URL, JWT VC Issuer Metadata and did:web; nothing for strangers', async () => {
    const o = server.origin
    server.routes.set('/jwks.json', { body: JSON.stringify({ keys: [k(2, 'b1'), { kty: 'RSA', n: 'x', e: 'AQAB', kid: 'rsa' }] }) })
    server.routes.set('/.well-known/jwt-vc-issuer/tenant', { body: JSON.stringify({ issuer: `${o}/tenant`, jwks: { keys: [k(3, 'c1')] } }) })
    const did = `did:web:127.0.0.1%3A${server.port}`
    server.routes.set('/.well-known/did.json', {
      body: JSON.stringify({ id: did, verificationMethod: [{ id: '#d1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: k(4) }], assertionMethod: ['#d1'] }),
    })
    const rec = recordingFetch()
    const trust = createTrustStore({
      http: createHttpClient({ fetch: rec.fetch, allowInsecureLoopback: true }),
      insecureLoopback: true,
      authorities: [
        { issuer: 'https://a.example', sources: [{ type: 'keys', keys: [k(1, 'a1')] }] },
        { issuer: 'https://b.example', sources: [{ type: 'jwks_uri', uri: `${o}/jwks.json` }] },
        { issuer: `${o}/tenant`, sources: [{ type: 'jwt_vc_issuer' }] },
        { issuer: did, sources: [{ type: 'did' }] },
      ],
    })
    expect((await trust.issuerKeys({ iss: 'https://a.example', kid: 'a1', format: 'sd-cwt' })).keys).toEqual([k(1, 'a1')])
    expect((await trust.issuerKeys({ iss: 'https://b.example', kid: undefined, format: 'dc+sd-jwt' })).keys).toEqual([k(2, 'b1')])
    expect((await trust.issuerKeys({ iss: `${o}/tenant`, kid: 'c1', format: 'dc+sd-jwt' })).keys).toEqual([k(3, 'c1')])
    expect((await trust.issuerKeys({ iss: did, kid: '#d1', format: 'dc+sd-jwt' })).keys).toEqual([{ ...k(4), kid: '#d1' }])
    expect((await trust.issuerKeys({ iss: did, kid: `${did}#d1`, format: 'dc+sd-jwt' })).keys).toEqual([{ ...k(4), kid: `${did}#d1` }])
    // Each authority answers only with its own keys: b's key is not a's.
    await rejects(trust.issuerKeys({ iss: 'https://a.example', kid: 'b1', format: 'sd-cwt' }), 'ERR_VERIFY_ISSUER_KEY_UNKNOWN')
    await rejects(trust.issuerKeys({ iss: 'https://evil.example', kid: undefined, format: 'sd-cwt' }), 'ERR_VERIFY_ISSUER_UNTRUSTED')
    await rejects(trust.issuerKeys({ iss: undefined, kid: undefined, format: 'sd-cwt' }), 'ERR_VERIFY_ISSUER_UNTRUSTED')
    expect(rec.urls).toEqual([`${o}/jwks.json`, `${o}/.well-known/jwt-vc-issuer/tenant`, `${o}/.well-known/did.json`])
  })

  it('caches fetched key sets (one fetch for concurrent and repeated lookups) and expires them', async () => {
    let now = 1000
    let served = 0
    server.routes.set('/cached/jwks.json', () => (served++, { body: JSON.stringify({ keys: [k(5, 'e1')] }) }))
    const trust = createTrustStore({
      http: createHttpClient({ allowInsecureLoopback: true }),
      now: () => now,
      cache: { ttlSeconds: 60, maxEntries: 2 },
      authorities: [{ issuer: 'https://e.example', sources: [{ type: 'jwks_uri', uri: `${server.origin}/cached/jwks.json` }] }],
    })
    const q = { iss: 'https://e.example', kid: 'e1', format: 'sd-cwt' } as const
    await Promise.all([trust.issuerKeys(q), trust.issuerKeys(q), trust.issuerKeys(q)])
    await trust.issuerKeys(q)
    expect(served).toBe(1)
    now += 61
    await trust.issuerKeys(q)
    expect(served).toBe(2)
  })

  it('negative cache (issue 14): a failed fetch is remembered for negativeCacheSeconds (default 30), so a down authority is not hammered', async () => {
    let now = 1000
    let served = 0
    server.routes.set('/down/jwks.json', () => (served++, { status: 503, body: 'down' }))
    const make = (negativeCacheSeconds?: number) =>
      createTrustStore({
        http: createHttpClient({ allowInsecureLoopback: true }),
        now: () => now,
        ...(negativeCacheSeconds === undefined ? {} : { negativeCacheSeconds }),
        authorities: [{ issuer: 'https://down.example', sources: [{ type: 'jwks_uri', uri: `${server.origin}/down/jwks.json` }] }],
      })
    const q = { iss: 'https://down.example', kid: undefined, format: 'dc+sd-jwt' } as const
    const trust = make()
    const first = await trust.issuerKeys(q).catch((e: unknown) => e)
    expect(isE2eidError(first)).toBe(true)
    for (let i = 0; i < 5; i++) await expect(trust.issuerKeys(q)).rejects.toBe(first) // the same error, no new fetch
    expect(served).toBe(1)
    now += 29
    await expect(trust.issuerKeys(q)).rejects.toBe(first)
    expect(served).toBe(1)
    now += 2
    await expect(trust.issuerKeys(q)).rejects.toSatisfy((e: unknown) => isE2eidError(e))
    expect(served).toBe(2)
    // configurable; 0 turns it off
    served = 0
    const off = make(0)
    for (let i = 0; i < 3; i++) await expect(off.issuerKeys(q)).rejects.toSatisfy((e: unknown) => isE2eidError(e))
    expect(served).toBe(3)
    // the authority comes back: after the negative entry expires, keys are fetched and served again
    const back = make(10)
    await expect(back.issuerKeys(q)).rejects.toSatisfy((e: unknown) => isE2eidError(e))
    served = 0
    server.routes.set('/down/jwks.json', () => (served++, { body: JSON.stringify({ keys: [k(6, 'd1')] }) }))
    await expect(back.issuerKeys(q)).rejects.toSatisfy((e: unknown) => isE2eidError(e))
    expect(served).toBe(0)
    now += 10
    expect((await back.issuerKeys(q)).keys).toHaveLength(1)
    expect(served).toBe(1)
  })

  it('key rotation: an unknown kid refetches a set older than minRefreshSeconds, at most that often', async () => {
    let now = 5000
    let served = 0
    let keys = [k(12, 'old')]
    server.routes.set('/rot/jwks.json', () => (served++, { body: JSON.stringify({ keys }) }))
    const trust = createTrustStore({
      http: createHttpClient({ allowInsecureLoopback: true }),
      now: () => now,
      authorities: [{ issuer: 'https://rot.example', sources: [{ type: 'jwks_uri', uri: `${server.origin}/rot/jwks.json` }] }],
    })
    await trust.issuerKeys({ iss: 'https://rot.example', kid: 'old', format: 'sd-cwt' })
    keys = [k(12, 'old'), k(13, 'new')]
    // Too soon after the last fetch: no refetch, the kid is unknown.
    await rejects(trust.issuerKeys({ iss: 'https://rot.example', kid: 'new', format: 'sd-cwt' }), 'ERR_VERIFY_ISSUER_KEY_UNKNOWN')
    expect(served).toBe(1)
    now += 31
    expect((await trust.issuerKeys({ iss: 'https://rot.example', kid: 'new', format: 'sd-cwt' })).keys).toEqual([k(13, 'new')])
    expect(served).toBe(2)
    // A stranger's kid right after that does not make us fetch again.
    await rejects(trust.issuerKeys({ iss: 'https://rot.example', kid: 'nope', format: 'sd-cwt' }), 'ERR_VERIFY_ISSUER_KEY_UNKNOWN')
    expect(served).toBe(2)
  })

  it('refuses metadata whose issuer is not the iss, a private key in a JWKS, a format the authority may not issue', async () => {
    const o = server.origin
    server.routes.set('/.well-known/jwt-vc-issuer/liar', { body: JSON.stringify({ issuer: 'https://other.example', jwks: { keys: [k(6)] } }) })
    server.routes.set('/priv/jwks.json', { body: JSON.stringify({ keys: [{ ...k(7), d: base64urlEncode(new Uint8Array(32)) }] }) })
    server.routes.set('/.well-known/jwt-vc-issuer/both', { body: JSON.stringify({ issuer: `${o}/both`, jwks: { keys: [] }, jwks_uri: `${o}/jwks.json` }) })
    const trust = createTrustStore({
      http: createHttpClient({ allowInsecureLoopback: true }),
      authorities: [
        { issuer: `${o}/liar`, sources: [{ type: 'jwt_vc_issuer' }] },
        { issuer: `${o}/both`, sources: [{ type: 'jwt_vc_issuer' }] },
        { issuer: 'https://p.example', sources: [{ type: 'jwks_uri', uri: `${o}/priv/jwks.json` }] },
        { issuer: 'https://only-cwt.example', sources: [{ type: 'keys', keys: [k(8)] }], formats: ['sd-cwt'] },
      ],
    })
    await rejects(trust.issuerKeys({ iss: `${o}/liar`, kid: undefined, format: 'dc+sd-jwt' }), 'ERR_VERIFY_ISSUER_METADATA_INVALID')
    await rejects(trust.issuerKeys({ iss: `${o}/both`, kid: undefined, format: 'dc+sd-jwt' }), 'ERR_VERIFY_ISSUER_METADATA_INVALID')
    await rejects(trust.issuerKeys({ iss: 'https://p.example', kid: undefined, format: 'dc+sd-jwt' }), 'ERR_VERIFY_KEY_SET_INVALID')
    await rejects(trust.issuerKeys({ iss: 'https://only-cwt.example', kid: undefined, format: 'dc+sd-jwt' }), 'ERR_VERIFY_ISSUER_UNTRUSTED')
  })

  it('fetches only https unless loopback HTTP is allowed, and never over the size bound', async () => {
    server.routes.set('/big/jwks.json', { body: JSON.stringify({ keys: [], pad: 'x'.repeat(5000) }) })
    const strict = createTrustStore({
      http: createHttpClient({}),
      authorities: [{ issuer: 'https://s.example', sources: [{ type: 'jwks_uri', uri: `${server.origin}/jwks.json` }] }],
    })
    await rejects(strict.issuerKeys({ iss: 'https://s.example', kid: undefined, format: 'sd-cwt' }), 'ERR_VERIFY_URL_NOT_ALLOWED')
    const small = createTrustStore({
      http: createHttpClient({ allowInsecureLoopback: true, maxBytes: 1000 }),
      authorities: [{ issuer: 'https://s.example', sources: [{ type: 'jwks_uri', uri: `${server.origin}/big/jwks.json` }] }],
    })
    await rejects(small.issuerKeys({ iss: 'https://s.example', kid: undefined, format: 'sd-cwt' }), 'ERR_VERIFY_FETCH_TOO_LARGE')
  })

  it('reads a COSE_KeySet (RFC 9052 §7) at a URL: kid bytes as text, unsupported keys skipped, private keys refused', async () => {
    const set = [jwkToCoseKey(k(10, 'cose-1'), { includeKid: true }), new Map<number, unknown>([[1, 3], [2, new TextEncoder().encode('rsa')]]), jwkToCoseKey(k(11))]
    server.routes.set('/.well-known/cose-keys', { contentType: 'application/cose-key-set', body: encodeCbor(set) })
    server.routes.set('/bad/cose-keys', { contentType: 'application/cose-key-set', body: encodeCbor(new Map([['not', 'a set']])) })
    server.routes.set('/priv/cose-keys', { contentType: 'application/cose-key-set', body: encodeCbor([new Map<number, unknown>([[1, 1], [-1, 6], [-2, new Uint8Array(32)], [-4, new Uint8Array(32)]])]) })
    const trust = createTrustStore({
      http: createHttpClient({ allowInsecureLoopback: true }),
      authorities: [
        { issuer: 'https://cose.example', sources: [{ type: 'cose_key_set_uri', uri: `${server.origin}/.well-known/cose-keys` }] },
        { issuer: 'https://bad.example', sources: [{ type: 'cose_key_set_uri', uri: `${server.origin}/bad/cose-keys` }] },
        { issuer: 'https://priv.example', sources: [{ type: 'cose_key_set_uri', uri: `${server.origin}/priv/cose-keys` }] },
      ],
    })
    expect((await trust.issuerKeys({ iss: 'https://cose.example', kid: 'cose-1', format: 'sd-cwt' })).keys).toEqual([k(10, 'cose-1')])
    // A token naming no kid may have been signed by any of the set's keys.
    expect((await trust.issuerKeys({ iss: 'https://cose.example', kid: undefined, format: 'sd-cwt' })).keys.map((x) => x.x)).toEqual([k(10).x, k(11).x])
    await rejects(trust.issuerKeys({ iss: 'https://bad.example', kid: undefined, format: 'sd-cwt' }), 'ERR_VERIFY_KEY_SET_INVALID')
    await rejects(trust.issuerKeys({ iss: 'https://priv.example', kid: undefined, format: 'sd-cwt' }), 'ERR_VERIFY_KEY_SET_INVALID')
  })

  it('a pinned key answers for any issuer, labelled with the token kid', async () => {
    const trust = pinnedKeyTrustStore(k(9))
    expect(await trust.issuerKeys({ iss: 'x', kid: 'abc', format: 'sd-cwt' })).toEqual({ issuer: 'x', keys: [{ ...k(9), kid: 'abc' }] })
  })
})
