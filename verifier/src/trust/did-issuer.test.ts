/**
 * Trust anchors from DIDs, end to end: an SD-JWT VC whose `iss` is a did:web served by a loopback server (kid a
 * relative DID URL), and an SD-CWT whose `iss` is a did:key (no network at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base64urlDecode, isE2eidError } from '@e2eid/shared'
import { base58btcEncode } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import { recordingFetch, startLoopback } from '../test-helpers/loopback.js'
import type { Loopback } from '../test-helpers/loopback.js'
import { AUD, NONCE, NOW, issueSdCwtFor, issueSdJwt, makeAuthority, presentSdCwt, presentSdJwt, provider } from '../test-helpers/fixtures.js'
import { verifyPresentation } from '../verify-presentation.js'
import { createTrustStore } from './trust-store.js'

let server: Loopback
beforeAll(async () => {
  server = await startLoopback()
})
afterAll(() => server.close())

describe('DID issuers through did-resolver', () => {
  it('did:web: keys from did.json assertionMethod; an issuer signing with its authentication key is refused', async () => {
    const did = `did:web:127.0.0.1%3A${server.port}:authority`
    const auth = await makeAuthority(did, '#key-1', 'ES256')
    const other = await makeAuthority(did, '#auth-1', 'ES256')
    server.routes.set('/authority/did.json', {
      body: JSON.stringify({
        id: did,
        verificationMethod: [
          { id: '#key-1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: auth.keys.publicJwk },
          { id: '#auth-1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: other.keys.publicJwk },
        ],
        assertionMethod: ['#key-1'],
        authentication: ['#auth-1'],
      }),
    })
    const rec = recordingFetch()
    const trust = createTrustStore({ http: createHttpClient({ fetch: rec.fetch, allowInsecureLoopback: true }), insecureLoopback: true, authorities: [{ issuer: did, sources: [{ type: 'did' }] }] })
    const { vc, holder } = await issueSdJwt(auth)
    const v = await verifyPresentation(await presentSdJwt(vc, holder.privateJwk, ['org']), { aud: AUD, nonce: NONCE, now: () => NOW }, { trust, provider })
    expect(v.issuer).toBe(did)
    expect(rec.urls).toEqual([`${server.origin}/authority/did.json`])
    const forged = await issueSdJwt(other)
    await expect(verifyPresentation(await presentSdJwt(forged.vc, forged.holder.privateJwk, ['org']), { aud: AUD, nonce: NONCE, now: () => NOW }, { trust, provider })).rejects.toSatisfy((e: unknown) =>
      isE2eidError(e, 'ERR_VERIFY_ISSUER_KEY_UNKNOWN'),
    )
  })

  it('did:key: an SD-CWT issuer identified by its own key, resolved without network', async () => {
    const seed = await makeAuthority('x', 'x', 'EdDSA')
    const did = `did:key:z${base58btcEncode(Uint8Array.from([0xed, 0x01, ...base64urlDecode(seed.keys.publicJwk.x)]))}`
    const auth = { ...seed, iss: did, kid: `${did}#${did.slice('did:key:'.length)}` }
    const rec = recordingFetch()
    const trust = createTrustStore({ http: createHttpClient({ fetch: rec.fetch }), authorities: [{ issuer: did, sources: [{ type: 'did' }] }] })
    const { sdCwt, holder } = await issueSdCwtFor(auth)
    const v = await verifyPresentation(await presentSdCwt(sdCwt, holder.privateJwk, ['org']), { aud: AUD, nonce: NONCE, now: () => NOW }, { trust, provider })
    expect(v.issuer).toBe(did)
    expect(v.claims.org).toBe('example.com')
    expect(rec.urls).toEqual([])
  })
})
