import * as nodeCrypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { hexDecode } from '../encoding/hex.js'
import { coseKeyToJwk } from '../cose/key.js'
import { jwkFromMlsSignatureKey } from '../mls/signature-key.js'
import { createNodeCryptoProvider } from './node.js'
import { createWebCryptoProvider } from './webcrypto.js'
import { parsePublicJwk } from './jwk.js'
import { createVerdictCache, isStrictEd25519PublicKey, isStrictEd25519Signature } from './ed25519.js'
import type { CryptoProvider } from './provider.js'

// The eight points of small order, canonically encoded ("Taming the many EdDSAs", Chalkias et al. 2020, table 6).
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity (order 1): AQAA…A
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
]
// Non-canonical encodings of small-order points: x = 0 with the sign bit set, and y = p, p + 1 (either sign).
const NON_CANONICAL_SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
]
const WEAK = [...SMALL_ORDER, ...NON_CANONICAL_SMALL_ORDER]
// Canonical encodings (y < p) of a y for which no x exists: (y² − 1)/(d·y² + 1) is not a square mod p
// (RFC 8032 §5.1.3 step 2 fails). y = 2, y = p − 2, and RFC 8032 TEST 1's key with its lowest bit flipped.
const OFF_CURVE = [
  '0200000000000000000000000000000000000000000000000000000000000000',
  'ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'd65a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  'd65a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707519a', // same y, other x sign
]
const okp = (hex: string) => ({ kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(hexDecode(hex)) })

// RFC 8032 §7.1, TEST 1, 2, 3 and TEST SHA(abc).
const RFC8032 = [
  {
    sk: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    sk: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    sk: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pk: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    msg: 'af82',
    sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
]

const providers: [string, CryptoProvider][] = [
  ['node', createNodeCryptoProvider()],
  ['webcrypto', createWebCryptoProvider()],
]

describe('Ed25519 small-order and non-canonical public keys (reference pitfall 11)', () => {
  it('the listed encodings are exactly small-order points (checked with @noble/curves, ZIP-215 decoding)', () => {
    for (const h of WEAK) expect(ed25519.Point.fromBytes(hexDecode(h), true).isSmallOrder(), h).toBe(true)
    // and the 8 canonical ones are 8 distinct points
    expect(new Set(SMALL_ORDER.map((h) => ed25519.Point.fromBytes(hexDecode(h)).toHex())).size).toBe(8)
  })

  it('OpenSSL accepts R = identity, S = 0 for any message under the identity key (the attack)', () => {
    const key = nodeCrypto.createPublicKey({ key: okp(SMALL_ORDER[0]!), format: 'jwk' })
    const forged = new Uint8Array(64)
    forged[0] = 1
    expect(nodeCrypto.verify(null, new TextEncoder().encode('any message'), key, forged)).toBe(true)
  })

  it('parsePublicJwk refuses every small-order and non-canonical key with ERR_KEY_ED25519_WEAK', () => {
    for (const h of WEAK) expect(() => parsePublicJwk(okp(h)), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
  })

  it('a non-canonical y ≥ p is refused even where it is not of small order', () => {
    const y = hexDecode('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f') // y = p + 3
    expect(isStrictEd25519PublicKey(y)).toBe(false)
    expect(() => parsePublicJwk(okp('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
  })

  it('COSE_Key (RFC 9053 §7.2 OKP) and MLS SignaturePublicKey refuse them with the same code', () => {
    for (const h of WEAK) {
      const cose = new Map<unknown, unknown>([[1, 1], [-1, 6], [-2, hexDecode(h)]])
      expect(() => coseKeyToJwk(cose), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
      expect(() => jwkFromMlsSignatureKey(hexDecode(h)), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
    }
  })

  it('off-curve encodings are what @noble/curves refuses to decode (no x for that y)', () => {
    for (const h of OFF_CURVE) expect(() => ed25519.Point.fromBytes(hexDecode(h)), h).toThrow(/invalid y coordinate/)
  })

  it('an off-curve key is refused where it is parsed: JWK, COSE_Key and MLS SignaturePublicKey (ERR_KEY_ED25519_WEAK)', () => {
    for (const h of OFF_CURVE) {
      expect(isStrictEd25519PublicKey(hexDecode(h)), h).toBe(false)
      expect(() => parsePublicJwk(okp(h)), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
      const cose = new Map<unknown, unknown>([[1, 1], [-1, 6], [-2, hexDecode(h)]])
      expect(() => coseKeyToJwk(cose), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
      expect(() => jwkFromMlsSignatureKey(hexDecode(h)), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
      // asked again (the verdict now comes from the cache): still refused
      expect(() => parsePublicJwk(okp(h)), h).toThrow(expect.objectContaining({ code: 'ERR_KEY_ED25519_WEAK' }))
    }
  })

  it('RFC 8032 §7.1 public keys are accepted at JWK, COSE_Key and MLS parse, also on a second (cached) look', () => {
    for (const v of RFC8032) {
      for (let round = 0; round < 2; round++) {
        expect(isStrictEd25519PublicKey(hexDecode(v.pk))).toBe(true)
        expect(() => parsePublicJwk(okp(v.pk))).not.toThrow()
        expect(() => coseKeyToJwk(new Map<unknown, unknown>([[1, 1], [-1, 6], [-2, hexDecode(v.pk)]]))).not.toThrow()
        expect(() => jwkFromMlsSignatureKey(hexDecode(v.pk))).not.toThrow()
      }
    }
  })

  it('the on-curve verdict cache is bounded and evicts the least recently used entry', () => {
    const cache = createVerdictCache(3)
    cache.set('a', true)
    cache.set('b', false)
    cache.set('c', true)
    expect(cache.size).toBe(3)
    expect(cache.get('a')).toBe(true) // a is now the most recently used
    cache.set('d', true) // evicts b, the oldest unused
    expect(cache.size).toBe(3)
    expect(cache.get('b')).toBeUndefined()
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([true, true, true])
    cache.set('c', false) // overwriting does not grow it
    expect(cache.size).toBe(3)
    expect(cache.get('c')).toBe(false)
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, true)
    expect(cache.size).toBe(3)
    expect([cache.get('k97'), cache.get('k98'), cache.get('k99'), cache.get('a')]).toEqual([true, true, true, undefined])
  })

  for (const [name, provider] of providers) {
    it(`${name} provider: a forged signature under a small-order key is refused (ERR_KEY_ED25519_WEAK)`, async () => {
      for (const h of SMALL_ORDER) {
        const forged = new Uint8Array(64)
        forged[0] = 1
        await expect(provider.verify('EdDSA', okp(h) as never, new Uint8Array(3), forged)).rejects.toMatchObject({ code: 'ERR_KEY_ED25519_WEAK' })
      }
    })

    it(`${name} provider: RFC 8032 §7.1 test vectors verify; S + L, a small-order R and a non-canonical R do not`, async () => {
      for (const v of RFC8032) {
        const pub = okp(v.pk) as never
        const msg = hexDecode(v.msg)
        const sig = hexDecode(v.sig)
        expect(await provider.verify('EdDSA', pub, msg, sig)).toBe(true)
        // the vector's signature is what this provider signs (Ed25519 is deterministic)
        expect(await provider.sign('EdDSA', { ...okp(v.pk), d: base64urlEncode(hexDecode(v.sk)) } as never, msg)).toEqual(sig)
        // S + L: the same scalar mod L, not canonical (RFC 8032 §5.1.7: S must be < L)
        const s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + ed25519.Point.CURVE().n
        const sPlusL = sig.slice()
        sPlusL.set(Uint8Array.from(Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse()), 32)
        expect(isStrictEd25519Signature(sPlusL)).toBe(false)
        expect(await provider.verify('EdDSA', pub, msg, sPlusL)).toBe(false)
        for (const r of WEAK) {
          const bad = sig.slice()
          bad.set(hexDecode(r), 0)
          expect(isStrictEd25519Signature(bad)).toBe(false)
          expect(await provider.verify('EdDSA', pub, msg, bad)).toBe(false)
        }
      }
    })
  }

  it('random keys and signatures pass the strict checks', async () => {
    const p = createNodeCryptoProvider()
    for (let i = 0; i < 50; i++) {
      const kp = await p.generateKeyPair('EdDSA')
      const sig = await p.sign('EdDSA', kp.privateJwk, Uint8Array.of(i))
      expect(isStrictEd25519Signature(sig)).toBe(true)
      expect(await p.verify('EdDSA', kp.publicJwk, Uint8Array.of(i), sig)).toBe(true)
    }
  })
})
