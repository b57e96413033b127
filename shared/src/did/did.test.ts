import { describe, expect, it } from 'vitest'
import { p256, p384 } from '@noble/curves/nist.js'
import { E2eidError, base64urlDecode, base64urlEncode, isE2eidError } from '../index.js'
import { base58btcDecode, base58btcEncode } from './base58.js'
import { didJwkToJwk } from './did-jwk.js'
import { didKeyToJwk } from './did-key.js'
import { didWebUrl } from './did-web.js'
import { createDidResolver, resolveDidAssertionKeys } from './resolver.js'

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => isE2eidError(e, code))
}

describe('did:key (W3C CCG did:key §3.1)', () => {
  it('decodes the nist-curves.json P-256 test vector', () => {
    // w3c-ccg/did-method-key test-vectors/nist-curves.json
    const jwk = didKeyToJwk('zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv')
    expect(jwk).toEqual({ kty: 'EC', crv: 'P-256', x: 'igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns', y: 'efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM' })
  })

  it('decodes an Ed25519 did:key to the key of its publicKeyBase58 (ACA-Py test document)', () => {
    const jwk = didKeyToJwk('z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th')
    expect(jwk.kty).toBe('OKP')
    expect(base64urlDecode(jwk.x)).toEqual(base58btcDecode('8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K'))
  })

  it('decompresses P-256 and P-384 points like @noble/curves (both y parities)', () => {
    for (const [curve, prefix, crv] of [[p256, [0x80, 0x24], 'P-256'], [p384, [0x81, 0x24], 'P-384']] as const) {
      for (let i = 0; i < 4; i++) {
        const compressed = curve.getPublicKey(curve.utils.randomSecretKey(), true)
        const point = curve.Point.fromBytes(compressed).toBytes(false)
        const id = 'z' + base58btcEncode(Uint8Array.from([...prefix, ...compressed]))
        const jwk = didKeyToJwk(id)
        const len = crv === 'P-256' ? 32 : 48
        expect(jwk).toEqual({ kty: 'EC', crv, x: base64urlEncode(point.subarray(1, 1 + len)), y: base64urlEncode(point.subarray(1 + len)) })
      }
    }
  })

  it('refuses an unsupported multicodec, a non-z multibase and a point off the curve', () => {
    expect(() => didKeyToJwk('zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme')).toThrow(expect.objectContaining({ code: 'ERR_DID_UNSUPPORTED_KEY' }))
    expect(() => didKeyToJwk('m6MkmjY8')).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
    const bad = Uint8Array.from([0x80, 0x24, 0x02, ...new Uint8Array(32).fill(0xff)])
    expect(() => didKeyToJwk('z' + base58btcEncode(bad))).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
    expect(() => didKeyToJwk('z0OIl')).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
  })
})

describe('did:jwk (did:jwk spec §2)', () => {
  it('decodes the spec P-256 example and refuses a private key', () => {
    const id = 'eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9'
    expect(didJwkToJwk(id)).toEqual({ kty: 'EC', crv: 'P-256', x: 'acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0', y: '_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE' })
    const priv = base64urlEncode(new TextEncoder().encode(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'a'.repeat(43), d: 'b'.repeat(43) })))
    expect(() => didJwkToJwk(priv)).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
    expect(() => didJwkToJwk('not-json')).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
  })

  it('a weak Ed25519 key (small order, off the curve) is ERR_KEY_ED25519_WEAK at the top, also through resolution', async () => {
    const identity = new Uint8Array(32)
    identity[0] = 1 // the identity point, of order 1
    const offCurve = new Uint8Array(32)
    offCurve[0] = 2 // y = 2: no x
    const resolver = createDidResolver({ fetchJson: async () => Promise.reject(new Error('no did:web here')) })
    for (const x of [identity, offCurve]) {
      const id = base64urlEncode(new TextEncoder().encode(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(x) })))
      expect(() => didJwkToJwk(id)).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
      await rejects(resolveDidAssertionKeys(resolver, `did:jwk:${id}`), 'ERR_KEY_ED25519_WEAK')
    }
    // a key that is merely unsupported keeps ERR_DID_UNSUPPORTED_KEY
    const rsa = base64urlEncode(new TextEncoder().encode(JSON.stringify({ kty: 'RSA', n: 'AQAB', e: 'AQAB' })))
    expect(() => didJwkToJwk(rsa)).toThrow(expect.objectContaining({ code: 'ERR_DID_UNSUPPORTED_KEY' }))
  })
})

describe('did:web (did:web §3.2 DID to URL)', () => {
  it('maps host, port and path', () => {
    expect(didWebUrl('w3c-ccg.github.io')).toBe('https://w3c-ccg.github.io/.well-known/did.json')
    expect(didWebUrl('w3c-ccg.github.io:user:alice')).toBe('https://w3c-ccg.github.io/user/alice/did.json')
    expect(didWebUrl('example.com%3A3000:user:alice')).toBe('https://example.com:3000/user/alice/did.json')
    expect(didWebUrl('127.0.0.1%3A8080', { insecureLoopback: true })).toBe('http://127.0.0.1:8080/.well-known/did.json')
    // Plain HTTP only ever for loopback hosts.
    expect(didWebUrl('example.com', { insecureLoopback: true })).toBe('https://example.com/.well-known/did.json')
    expect(() => didWebUrl('example.com:..')).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
    expect(() => didWebUrl('exa mple.com')).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
  })
})

describe('DID resolution with an injected did:web fetch', () => {
  it('resolves did:web through fetchJson and returns only its assertionMethod keys', async () => {
    const did = 'did:web:issuer.example:issuers:a'
    const key = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(new Uint8Array(32).fill(3)) } // 0x03…03: a valid point (0x07…07 has no x)
    const other = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(new Uint8Array(32).fill(6)) }
    const urls: string[] = []
    const resolver = createDidResolver({
      fetchJson: async (url) => {
        urls.push(url)
        return {
          id: did,
          verificationMethod: [
            { id: '#k1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: key },
            { id: `${did}#auth`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: other },
          ],
          assertionMethod: ['#k1'],
          authentication: [`${did}#auth`],
        }
      },
    })
    expect(await resolveDidAssertionKeys(resolver, did)).toEqual([{ id: `${did}#k1`, jwk: key }])
    expect(urls).toEqual(['https://issuer.example/issuers/a/did.json'])
  })

  it('keeps the fetch error code, refuses a document of another DID, and refuses a bad percent-encoding', async () => {
    const failing = createDidResolver({ fetchJson: async () => Promise.reject(new E2eidError('ERR_TEST_FETCH', 'no')) })
    await rejects(resolveDidAssertionKeys(failing, 'did:web:issuer.example'), 'ERR_TEST_FETCH')
    const lying = createDidResolver({ fetchJson: async () => ({ id: 'did:web:evil.example' }) })
    await rejects(resolveDidAssertionKeys(lying, 'did:web:issuer.example'), 'ERR_DID_DOCUMENT_INVALID')
    expect(() => didWebUrl('issuer.example%E0%A4%A')).toThrow(expect.objectContaining({ code: 'ERR_DID_INVALID' }))
    await rejects(resolveDidAssertionKeys(lying, 'did:ethr:0x1234'), 'ERR_DID_UNSUPPORTED_METHOD')
  })
})
