import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base64urlEncode, isE2eidError } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import { startLoopback } from '../test-helpers/loopback.js'
import type { Loopback } from '../test-helpers/loopback.js'
import { createDidResolver, resolveDidAssertionKeys } from './resolver.js'

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => isE2eidError(e, code))
}

describe('DID resolution through did-resolver', () => {
  let server: Loopback
  beforeAll(async () => {
    server = await startLoopback()
  })
  afterAll(() => server.close())

  it('resolves did:web from a loopback server and returns its assertionMethod keys', async () => {
    const did = `did:web:127.0.0.1%3A${server.port}:issuers:a`
    const key = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(new Uint8Array(32).fill(3)) } // 0x03…03: a valid point (0x07…07 has no x)
    const other = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(new Uint8Array(32).fill(6)) }
    server.routes.set('/issuers/a/did.json', {
      body: JSON.stringify({
        id: did,
        verificationMethod: [
          { id: '#k1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: key },
          { id: `${did}#auth`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: other },
        ],
        assertionMethod: ['#k1'],
        authentication: [`${did}#auth`],
      }),
    })
    const resolver = createDidResolver({ http: createHttpClient({ allowInsecureLoopback: true }), insecureLoopback: true })
    const keys = await resolveDidAssertionKeys(resolver, did)
    // Only the assertionMethod key: an authentication key does not issue credentials.
    expect(keys).toEqual([{ id: `${did}#k1`, jwk: key }])
  })

  it('refuses a did.json that describes another DID, a missing document, and unsupported methods', async () => {
    const did = `did:web:127.0.0.1%3A${server.port}:issuers:b`
    server.routes.set('/issuers/b/did.json', { body: JSON.stringify({ id: 'did:web:evil.example' }) })
    const resolver = createDidResolver({ http: createHttpClient({ allowInsecureLoopback: true }), insecureLoopback: true })
    await rejects(resolveDidAssertionKeys(resolver, did), 'ERR_DID_DOCUMENT_INVALID')
    await rejects(resolveDidAssertionKeys(resolver, `did:web:127.0.0.1%3A${server.port}:nobody`), 'ERR_VERIFY_FETCH_FAILED')
    await rejects(resolveDidAssertionKeys(resolver, 'did:ethr:0x1234'), 'ERR_DID_UNSUPPORTED_METHOD')
    await rejects(resolveDidAssertionKeys(resolver, 'not a did'), 'ERR_DID_INVALID')
  })

  it('never fetches did:web over plain HTTP unless loopback HTTP was allowed', async () => {
    const did = `did:web:127.0.0.1%3A${server.port}:issuers:a`
    const resolver = createDidResolver({ http: createHttpClient({}) })
    // https to a plain-HTTP loopback server fails at the TLS layer: no document, no keys.
    await rejects(resolveDidAssertionKeys(resolver, did), 'ERR_VERIFY_FETCH_FAILED')
  })

  it('resolves did:key and did:jwk without any network', async () => {
    const calls: string[] = []
    const resolver = createDidResolver({ http: createHttpClient({ fetch: async (u) => (calls.push(u), new Response('', { status: 500 })) }) })
    const k = await resolveDidAssertionKeys(resolver, 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv')
    expect(k[0]?.id).toBe('did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv#zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv')
    const j = await resolveDidAssertionKeys(resolver, 'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9')
    expect(j[0]?.id.endsWith('#0')).toBe(true)
    expect(calls).toEqual([])
  })
})
