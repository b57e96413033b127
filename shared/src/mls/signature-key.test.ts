import { describe, expect, it } from 'vitest'
import * as mls from 'ts-mls'
import { p256 } from '@noble/curves/nist.js'
import { ed25519 } from '@noble/curves/ed25519.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { coseKeyThumbprint } from '../cose/thumbprint.js'
import {
  jwkFromMlsSignatureKey,
  mlsSignatureKeyFromJwk,
  mlsSignatureKeyMatchesJwk,
  mlsSignatureKeyMatchesThumbprint,
} from './signature-key.js'
import { E2eidError } from '../errors.js'

const provider = createWebCryptoProvider()

describe('RFC 9420 §5.1.1 SignaturePublicKey ↔ JWK', () => {
  it('Ed25519: the MLS key is the raw 32-byte key, i.e. JWK x', async () => {
    const { publicJwk } = await provider.generateKeyPair('EdDSA')
    const raw = mlsSignatureKeyFromJwk(publicJwk)
    expect(raw.length).toBe(32)
    expect(base64urlEncode(raw)).toBe((publicJwk as { x: string }).x)
    expect(jwkFromMlsSignatureKey(raw)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: (publicJwk as { x: string }).x })
    expect(mlsSignatureKeyMatchesJwk(raw, publicJwk)).toBe(true)
  })

  it('Ed25519: a ts-mls generated key matches the JWK made from the same seed (independent: @noble/curves)', async () => {
    const seed = ed25519.utils.randomSecretKey()
    const jwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(ed25519.getPublicKey(seed)) }
    const cs = await mls.getCiphersuiteImpl('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519')
    const sig = await cs.signature.sign(seed, new Uint8Array([1, 2, 3]))
    expect(await cs.signature.verify(mlsSignatureKeyFromJwk(jwk), new Uint8Array([1, 2, 3]), sig)).toBe(true)
  })

  it('P-256: 65-byte uncompressed key; ts-mls\'s 33-byte compressed key matches the same JWK (points compared, not bytes)', async () => {
    const { publicJwk } = await provider.generateKeyPair('ES256')
    const unc = mlsSignatureKeyFromJwk(publicJwk)
    expect(unc.length).toBe(65)
    expect(unc[0]).toBe(4)
    const compressed = p256.Point.fromBytes(unc).toBytes(true)
    expect(compressed.length).toBe(33)
    expect(mlsSignatureKeyMatchesJwk(unc, publicJwk)).toBe(true)
    expect(mlsSignatureKeyMatchesJwk(compressed, publicJwk)).toBe(true)
    expect(jwkFromMlsSignatureKey(compressed)).toEqual({ kty: 'EC', crv: 'P-256', x: (publicJwk as { x: string }).x, y: (publicJwk as { y: string }).y })
    // ts-mls itself emits compressed keys for suite 2 (ts-mls.md §4 item 7)
    const cs = await mls.getCiphersuiteImpl('MLS_128_DHKEMP256_AES128GCM_SHA256_P256')
    const kp = await cs.signature.keygen()
    expect(kp.publicKey.length).toBe(33)
    const jwk = jwkFromMlsSignatureKey(kp.publicKey)
    expect(mlsSignatureKeyMatchesJwk(mlsSignatureKeyFromJwk(jwk), jwk)).toBe(true)
  })

  it('different keys, other curves and malformed keys do not match (no throw)', async () => {
    const a = await provider.generateKeyPair('EdDSA')
    const b = await provider.generateKeyPair('EdDSA')
    const e = await provider.generateKeyPair('ES256')
    expect(mlsSignatureKeyMatchesJwk(mlsSignatureKeyFromJwk(a.publicJwk), b.publicJwk)).toBe(false)
    expect(mlsSignatureKeyMatchesJwk(mlsSignatureKeyFromJwk(e.publicJwk), a.publicJwk)).toBe(false)
    expect(mlsSignatureKeyMatchesJwk(new Uint8Array(65), e.publicJwk)).toBe(false)
    expect(mlsSignatureKeyMatchesJwk(new Uint8Array(7), a.publicJwk)).toBe(false)
    const flipped = mlsSignatureKeyFromJwk(e.publicJwk)
    expect(flipped).toHaveLength(65)
    flipped[64] = flipped[64]! ^ 1
    expect(mlsSignatureKeyMatchesJwk(flipped, e.publicJwk)).toBe(false)
  })

  it('P-256 without decompression: same answer as comparing decoded points (other parity, off-curve JWK, P-384 key, foreign prefix)', async () => {
    // The reference: decode the signature key to a point (noble), compare affine coordinates.
    const reference = (key: Uint8Array, jwk: { x: string; y: string }): boolean => {
      try {
        const p = p256.Point.fromBytes(key).toAffine()
        return p.x === BigInt(`0x${hexEncode(base64urlDecode(jwk.x))}`) && p.y === BigInt(`0x${hexEncode(base64urlDecode(jwk.y))}`)
      } catch {
        return false
      }
    }
    const e = (await provider.generateKeyPair('ES256')).publicJwk as { kty: 'EC'; crv: 'P-256'; x: string; y: string }
    const other = (await provider.generateKeyPair('ES256')).publicJwk as typeof e
    const unc = mlsSignatureKeyFromJwk(e)
    const comp = p256.Point.fromBytes(unc).toBytes(true)
    const otherParity = Uint8Array.from(comp, (v, i) => (i === 0 ? v ^ 1 : v))
    const foreign = Uint8Array.from(comp, (v, i) => (i === 0 ? 0x05 : v))
    const yBytes = base64urlDecode(e.y)
    yBytes[31] = yBytes[31]! ^ 2 // same parity, not on the curve
    const offCurve = { ...e, y: base64urlEncode(yBytes) }
    const offUnc = mlsSignatureKeyFromJwk(offCurve)
    const offComp = Uint8Array.from(comp) // 02/03 || x: the parity of the off-curve y is that of e.y
    const cases: [Uint8Array, typeof e][] = [
      [unc, e], [comp, e], [otherParity, e], [foreign, e], [unc, other], [comp, other], [offUnc, offCurve], [offComp, offCurve],
    ]
    const got = cases.map(([k, j]) => mlsSignatureKeyMatchesJwk(k, j))
    expect(got).toEqual(cases.map(([k, j]) => reference(k, j)))
    expect(got).toEqual([true, true, false, false, false, false, false, false])
  })

  it('malformed keys are refused with ERR_MLS_SIGNATURE_KEY_INVALID', () => {
    for (const k of [new Uint8Array(0), new Uint8Array(31), new Uint8Array(65)]) {
      try {
        jwkFromMlsSignatureKey(k)
        throw new Error('accepted')
      } catch (e) {
        expect(e).toBeInstanceOf(E2eidError)
        expect((e as E2eidError).code).toBe('ERR_MLS_SIGNATURE_KEY_INVALID')
      }
    }
  })
})

describe('RFC 9679 COSE Key Thumbprint (cnf method ckt)', () => {
  it('§6 example: EC2 P-256 key → 496bd8af…53ec', () => {
    const jwk: PublicJwk = {
      kty: 'EC',
      crv: 'P-256',
      x: base64urlEncode(hexDecode('65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d')),
      y: base64urlEncode(hexDecode('1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c')),
    }
    expect(hexEncode(coseKeyThumbprint(jwk, provider))).toBe('496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec')
    const unc = mlsSignatureKeyFromJwk(jwk)
    expect(mlsSignatureKeyMatchesThumbprint(unc, coseKeyThumbprint(jwk, provider), provider)).toBe(true)
    expect(mlsSignatureKeyMatchesThumbprint(p256.Point.fromBytes(unc).toBytes(true), coseKeyThumbprint(jwk, provider), provider)).toBe(true)
  })
  it('Ed25519 thumbprint binds the leaf key and no other', async () => {
    const a = await provider.generateKeyPair('EdDSA')
    const b = await provider.generateKeyPair('EdDSA')
    const t = coseKeyThumbprint(a.publicJwk, provider)
    expect(mlsSignatureKeyMatchesThumbprint(base64urlDecode((a.publicJwk as { x: string }).x), t, provider)).toBe(true)
    expect(mlsSignatureKeyMatchesThumbprint(mlsSignatureKeyFromJwk(b.publicJwk), t, provider)).toBe(false)
  })
})
