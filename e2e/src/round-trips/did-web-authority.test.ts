/**
 * The e2eid authority as a did:web issuer, end to end with the real issuer (issue 13): an SD-JWT VC issued with
 * `sd_jwt_issuer: "did:web"` (iss = did:web of the authority's origin, kid = a DID URL) verifies against a trust
 * anchor `{ issuer: <did>, sources: [{ type: 'did' }] }` that resolves the authority's `/.well-known/did.json`,
 * its statuslist+jwt verifies with the same keys (revocation shows), and a token that names the DID but is signed
 * by another key, or an authority trusted only by its https identifier, is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyPair } from '@e2eid/shared'
import { decodeJwtUnverified, isE2eidError, signJwt } from '@e2eid/shared'
import type { Fixture } from '@e2eid/issuer/testing'
import { ISSUER, admin, aliceOffer, authHeaders, dpopProof, form, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '@e2eid/issuer/testing'
import { createHttpClient, createStatusChecker, verifyPresentation, createTrustStore } from '@e2eid/verifier'
import { AUD, NONCE, presentSdJwt, provider } from '@e2eid/verifier/testing'

const DID = 'did:web:issuer.example'
let f: Fixture
let holder: KeyPair
let urls: string[]
beforeEach(async () => {
  f = await makeFixture({ sd_jwt_issuer: 'did:web' })
  holder = await keyPair(f.crypto, 'EdDSA')
  urls = []
})
afterEach(async () => {
  await f.close()
})

/** The verifier's network: everything for https://issuer.example goes into the issuer app. */
const issuerFetch: typeof fetch = async (input, init) => {
  const req = input instanceof Request ? input : new Request(String(input), init)
  urls.push(req.url)
  if (new URL(req.url).origin !== ISSUER) return new Response('no route', { status: 502 })
  return f.app.request(req)
}

async function issueSdJwt(): Promise<string> {
  const dpopKey = await keyPair(f.crypto, 'ES256')
  const { accessToken, nonce } = await tokenAndNonce(f, dpopKey)
  const proof = await jwtProof(f.crypto, holder, { nonce, iat: f.clock.now })
  const r = await json(f.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, await authHeaders(f, dpopKey, accessToken, '/credential'))
  expect(r.status).toBe(200)
  return ((await r.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential
}

function verifier(issuer = DID, sources: Array<{ type: 'did' } | { type: 'jwt_vc_issuer' }> = [{ type: 'did' }]) {
  const http = createHttpClient({ fetch: issuerFetch })
  const trust = createTrustStore({ http, authorities: [{ issuer, sources }], now: () => f.clock.now })
  const status = createStatusChecker({ http, provider, now: () => f.clock.now })
  return { trust, status, provider }
}

async function present(vc: string): Promise<string> {
  return presentSdJwt(vc, holder.privateJwk, ['email'], AUD, NONCE, f.clock.now)
}

describe('SD-JWT VC from the e2eid authority with sd_jwt_issuer "did:web"', () => {
  it('verifies against a did:web trust anchor resolved from the authority\'s /.well-known/did.json, status list included', async () => {
    const vc = await issueSdJwt()
    const v = await verifyPresentation(await present(vc), { aud: AUD, nonce: NONCE, now: () => f.clock.now }, verifier())
    expect(v.issuer).toBe(DID)
    expect(v.claims.email).toBe('alice@example.com')
    expect(v.status).toMatchObject({ status: 0 })
    expect(urls[0]).toBe(`${ISSUER}/.well-known/did.json`)
    expect(urls.some((u) => u.startsWith(`${ISSUER}/status-lists/`))).toBe(true)
  })

  it('a revocation shows through the statuslist+jwt, checked with the keys of the did:web document', async () => {
    const vc = await issueSdJwt()
    const [cred] = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ id: string }>
    expect((await admin(f, `/admin/credentials/${cred!.id}/status`, { status: 'revoked' })).status).toBeLessThan(300)
    await expect(verifyPresentation(await present(vc), { aud: AUD, nonce: NONCE, now: () => f.clock.now }, verifier())).rejects.toSatisfy((e: unknown) =>
      isE2eidError(e, 'ERR_STATUS_REVOKED'),
    )
  })

  it('a token naming the authority\'s DID and key id but signed by another key is refused', async () => {
    const vc = await issueSdJwt()
    const [jws, ...rest] = vc.split('~')
    const { header, payload } = decodeJwtUnverified(jws!)
    const mallory = await keyPair(f.crypto, 'ES256')
    const forged = await signJwt({ header: { ...header, alg: undefined }, payload, key: mallory.privateJwk, provider: f.crypto })
    const presentation = await present([forged, ...rest].join('~'))
    await expect(verifyPresentation(presentation, { aud: AUD, nonce: NONCE, now: () => f.clock.now }, verifier())).rejects.toSatisfy((e: unknown) =>
      isE2eidError(e) && /SIGNATURE|KEY/.test(e.code),
    )
  })

  it('deny by default: an authority trusted only by its https identifier does not vouch for its did:web credentials', async () => {
    const vc = await issueSdJwt()
    await expect(verifyPresentation(await present(vc), { aud: AUD, nonce: NONCE, now: () => f.clock.now }, verifier(ISSUER, [{ type: 'jwt_vc_issuer' }]))).rejects.toSatisfy((e: unknown) =>
      isE2eidError(e, 'ERR_VERIFY_ISSUER_UNTRUSTED'),
    )
  })
})

describe('an authority on a loopback origin with a port (did:web §3.2: port percent-encoded)', () => {
  it('issues under did:web:127.0.0.1%3A<port> and verifies through did.json fetched from that port; the nonce fetched without a token works too', async () => {
    const origin = 'http://127.0.0.1:8089'
    const did = 'did:web:127.0.0.1%3A8089'
    const g = await makeFixture({ sd_jwt_issuer: 'did:web' }, { issuerUrl: origin })
    try {
      const dpopKey = await keyPair(g.crypto, 'ES256')
      const { code } = await aliceOffer(g)
      const t = await form(g.app, '/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }, {
        dpop: await dpopProof(g.crypto, dpopKey, 'POST', `${origin}/token`, { iat: g.clock.now }),
      })
      const token = ((await t.json()) as { access_token: string }).access_token
      const { c_nonce } = (await (await g.app.request('/nonce', { method: 'POST' })).json()) as { c_nonce: string }
      const proof = await jwtProof(g.crypto, holder, { nonce: c_nonce, aud: origin, iat: g.clock.now })
      const r = await json(g.app, '/credential', { credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [proof] } }, {
        authorization: `DPoP ${token}`,
        dpop: await dpopProof(g.crypto, dpopKey, 'POST', `${origin}/credential`, { accessToken: token, iat: g.clock.now }),
      })
      expect(r.status).toBe(200)
      const vc = ((await r.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential
      expect(decodeJwtUnverified(vc.split('~')[0]!).payload.iss).toBe(did)

      const seen: string[] = []
      const http = createHttpClient({
        allowInsecureLoopback: true,
        fetch: async (input, init) => {
          const req = new Request(input, init)
          seen.push(req.url)
          return new URL(req.url).origin === origin ? g.app.request(req) : new Response('no route', { status: 502 })
        },
      })
      const trust = createTrustStore({ http, insecureLoopback: true, authorities: [{ issuer: did, sources: [{ type: 'did' }] }], now: () => g.clock.now })
      const status = createStatusChecker({ http, provider, now: () => g.clock.now })
      const v = await verifyPresentation(await presentSdJwt(vc, holder.privateJwk, ['email'], AUD, NONCE, g.clock.now), { aud: AUD, nonce: NONCE, now: () => g.clock.now }, { trust, status, provider })
      expect(v.issuer).toBe(did)
      expect(v.status).toMatchObject({ status: 0 })
      expect(seen[0]).toBe(`${origin}/.well-known/did.json`)
    } finally {
      await g.close()
    }
  })
})
