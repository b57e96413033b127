/**
 * Attack suite (issue 14 item 1): small-order Ed25519 keys. OpenSSL (node:crypto, WebCrypto) accepts R = identity,
 * S = 0 for every message under the identity point `AQAA…A`. A credential whose `cnf` is that key (an issuer that
 * did not check the proof key issued one) lets anyone forge its key-binding token with no private key; an MLS leaf
 * with that signature key lets anyone sign for the leaf. Every path that parses an Ed25519 key refuses it with
 * ERR_KEY_ED25519_WEAK.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { base58btcEncode, base64urlEncode, didJwkToJwk, didKeyToJwk, encodeCbor, mlsKeyPackageAudience, sdCwtMlsCredential, signJwt, toMlsCredentialCarrier, utf8Encode } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { createHttpClient, createTrustStore, verifyPresentation, MlsCredentialAuthenticationService } from '@e2eid/verifier'
import { makeIssuer, makeTestKbt } from '@e2eid/verifier/testing'

const provider = createNodeCryptoProvider()
const ISS = 'https://issuer.example'
const AUD = 'https://verifier.example'
const IDENTITY = new Uint8Array(32)
IDENTITY[0] = 1
const SMALL_ORDER_JWK = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(IDENTITY) }
const FORGED_SIGNATURE = Uint8Array.from([...IDENTITY, ...new Uint8Array(32)]) // R = identity, S = 0
const enc = (v: unknown) => base64urlEncode(utf8Encode(JSON.stringify(v)))

let issuer: KeyPair
beforeAll(async () => {
  issuer = await provider.generateKeyPair('ES256')
})

describe('attack suite: small-order Ed25519 keys at the verifier', () => {
  it('attack: a KB-JWT forged with no private key for an SD-JWT VC whose cnf is the identity point → ERR_KEY_ED25519_WEAK', async () => {
    const now = Math.floor(Date.now() / 1000)
    // The credential an issuer that did not check the holder key would have signed.
    const sdJwt = `${await signJwt({
      header: { typ: 'dc+sd-jwt', alg: 'ES256' },
      payload: { iss: ISS, vct: 'urn:example:id', iat: now, exp: now + 3600, sub: 'mimi://example.com/u/alice', cnf: { jwk: SMALL_ORDER_JWK }, _sd_alg: 'sha-256' },
      key: issuer.privateJwk,
      provider,
    })}~`
    const sdHash = base64urlEncode(provider.digest('SHA-256', utf8Encode(sdJwt)))
    const kbJwt = `${enc({ typ: 'kb+jwt', alg: 'EdDSA' })}.${enc({ iat: now, aud: AUD, nonce: 'n-1', sd_hash: sdHash })}.${base64urlEncode(FORGED_SIGNATURE)}`
    const trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: ISS, sources: [{ type: 'keys', keys: [issuer.publicJwk] }] }] })
    await expect(verifyPresentation(`${sdJwt}${kbJwt}`, { aud: AUD, nonce: 'n-1', status: 'skip' }, { trust, provider })).rejects.toMatchObject({
      code: 'ERR_KEY_ED25519_WEAK',
    })
  })

  it('attack: an MLS leaf whose signature_key is of small order is refused by the AuthenticationService (ckt credential and basic)', async () => {
    const kpAud = mlsKeyPackageAudience('https://chat.example')
    // A presentation verifier that found the credential's ckt to be the leaf key's thumbprint (the binding holds).
    const as = new MlsCredentialAuthenticationService({
      verify: async (_kind, _p, ctx) => ({
        // RFC 9679 thumbprint of the leaf's OKP key, computed by hand (the key parsers refuse this key)
        holderKeyThumbprint: provider.digest('SHA-256', encodeCbor(new Map<unknown, unknown>([[1, 1], [-1, 6], [-2, ctx.signatureKey]]), { canonical: true })),
        sub: 'mimi://example.com/u/alice',
        claims: {},
        issuer: ISS,
        audience: kpAud,
      }),
      service: 'https://chat.example',
      provider,
      allowBasic: true,
    })
    // A real SD-CWT credential (its KBT by some other key; the stub above stands for a verifier that accepted it).
    const kbt = await makeTestKbt(provider, await makeIssuer(provider, ISS), await provider.generateKeyPair('EdDSA'), { sub: 'mimi://example.com/u/alice', claims: {} }, kpAud)
    expect(await as.validateCredential(toMlsCredentialCarrier(sdCwtMlsCredential(kbt)) as never, IDENTITY)).toBe(false)
    expect(as.lastRefusalCode).toBe('ERR_KEY_ED25519_WEAK')
    expect(await as.validateCredential({ credentialType: 1, identity: utf8Encode('alice') }, IDENTITY)).toBe(false)
    expect(as.lastRefusalCode).toBe('ERR_KEY_ED25519_WEAK')
  })

  it('attack: did:key and did:jwk naming a small-order Ed25519 key are refused (ERR_KEY_ED25519_WEAK)', () => {
    const didKey = `z${base58btcEncode(Uint8Array.from([0xed, 0x01, ...IDENTITY]))}`
    expect(() => didKeyToJwk(didKey)).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
    // the top-level code, not ERR_DID_UNSUPPORTED_KEY with the weak-key error as its cause
    expect(() => didJwkToJwk(enc(SMALL_ORDER_JWK))).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
    // an off-curve Ed25519 key (y = 2 has no x) gets the same code through both DID methods
    const OFF_CURVE = new Uint8Array(32)
    OFF_CURVE[0] = 2
    expect(() => didKeyToJwk(`z${base58btcEncode(Uint8Array.from([0xed, 0x01, ...OFF_CURVE]))}`)).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
    expect(() => didJwkToJwk(enc({ kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(OFF_CURVE) }))).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
  })
})
