import { describe, expect, it } from 'vitest'
import { E2eidError } from '../errors.js'
import type { SignatureAlgorithm } from './algorithms.js'
import { algorithmFromCose, algorithmFromJose } from './algorithms.js'
import { parsePrivateJwk, parsePublicJwk } from './jwk.js'
import { createNodeCryptoProvider } from './node.js'
import { createWebCryptoProvider } from './webcrypto.js'

const providers = [createNodeCryptoProvider(), createWebCryptoProvider()]
const algs: SignatureAlgorithm[] = ['ES256', 'ES384', 'EdDSA']
const data = new TextEncoder().encode('Signature1 over these bytes')

describe('crypto providers: node:crypto and WebCrypto interoperate', () => {
  for (const signer of providers) {
    for (const verifier of providers) {
      for (const alg of algs) {
        it(`${alg}: ${signer.name} signs, ${verifier.name} verifies; a flipped bit fails`, async () => {
          const kp = await signer.generateKeyPair(alg)
          const sig = await signer.sign(alg, kp.privateJwk, data)
          expect(sig.length).toBe(algorithmFromJose(alg).signatureLength)
          expect(await verifier.verify(alg, kp.publicJwk, data, sig)).toBe(true)
          const bad = sig.slice()
          bad[5]! ^= 1
          expect(await verifier.verify(alg, kp.publicJwk, data, bad)).toBe(false)
          expect(await verifier.verify(alg, kp.publicJwk, data, sig.subarray(1))).toBe(false)
        })
      }
    }
  }

  it('RFC 9052 §8: alg must match the key (ERR_ALG_KEY_MISMATCH)', async () => {
    const p = providers[0]!
    const kp = await p.generateKeyPair('ES256')
    await expect(p.verify('EdDSA', kp.publicJwk, data, new Uint8Array(64))).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH' })
    await expect(p.sign('ES384', kp.privateJwk, data)).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH' })
  })

  it('deny by default: none and unknown algorithms are ERR_ALG_NOT_ALLOWED', () => {
    for (const bad of ['none', 'HS256', 'RS256', undefined, 'es256']) {
      expect(() => algorithmFromJose(bad)).toThrow(E2eidError)
    }
    expect(() => algorithmFromCose(-257)).toThrow(expect.objectContaining({ code: 'ERR_ALG_NOT_ALLOWED' }))
    expect(algorithmFromCose(-9).alg).toBe('ES256') // RFC 9864 ESP256
    expect(algorithmFromCose(-19).alg).toBe('EdDSA') // RFC 9864 Ed25519
    expect(algorithmFromJose('ESP384').alg).toBe('ES384')
  })

  it('digests agree between providers', () => {
    for (const h of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      expect(providers[0]!.digest(h, data)).toEqual(providers[1]!.digest(h, data))
    }
  })
})

describe('parsed JWKs are cached by input object, never trusted after a change', () => {
  it('the same input gives the same frozen result; a mutated input is parsed again', async () => {
    const { publicJwk } = await createNodeCryptoProvider().generateKeyPair('ES256')
    const input: Record<string, unknown> = { ...publicJwk, kid: 'k1' }
    const a = parsePublicJwk(input)
    expect(Object.isFrozen(a)).toBe(true)
    expect(parsePublicJwk(input)).toBe(a)
    expect(parsePublicJwk(a)).toBe(a)
    input.kid = 'k2'
    expect(parsePublicJwk(input).kid).toBe('k2')
    input.x = 'AAAA'
    expect(() => parsePublicJwk(input)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }))
  })

  it('a private JWK: a changed d is checked again', async () => {
    const { privateJwk } = await createNodeCryptoProvider().generateKeyPair('EdDSA')
    const input: Record<string, unknown> = { ...privateJwk }
    const a = parsePrivateJwk(input)
    expect(parsePrivateJwk(input)).toBe(a)
    expect(Object.isFrozen(a)).toBe(true)
    input.d = 'not-a-key'
    expect(() => parsePrivateJwk(input)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }))
  })
})

describe('node provider randomBytes (pooled for small requests)', () => {
  it('hands out every byte once, as independent copies, at any size', () => {
    const p = createNodeCryptoProvider()
    const seen = new Set<string>()
    for (let i = 0; i < 600; i++) {
      const r = p.randomBytes(16)
      expect(r.length).toBe(16)
      expect(r.byteLength).toBe(r.buffer.byteLength) // a copy, not a view of the pool
      const hex = Buffer.from(r).toString('hex')
      expect(seen.has(hex)).toBe(false)
      seen.add(hex)
    }
    expect(p.randomBytes(0).length).toBe(0)
    expect(p.randomBytes(257).length).toBe(257)
    expect(p.randomBytes(5000).length).toBe(5000)
  })
})

describe('node provider on the libuv threadpool (threadpool: true)', () => {
  const pooled = createNodeCryptoProvider({ threadpool: true })
  const sync = createNodeCryptoProvider()
  for (const alg of algs) {
    it(`${alg}: signatures interoperate with the synchronous provider; a flipped bit, a short signature and a wrong key fail`, async () => {
      const kp = await sync.generateKeyPair(alg)
      const other = await sync.generateKeyPair(alg)
      const sig = await pooled.sign(alg, kp.privateJwk, data)
      expect(await sync.verify(alg, kp.publicJwk, data, sig)).toBe(true)
      expect(await pooled.verify(alg, kp.publicJwk, data, await sync.sign(alg, kp.privateJwk, data))).toBe(true)
      const bad = sig.slice()
      bad[3]! ^= 0x40
      expect(await pooled.verify(alg, kp.publicJwk, data, bad)).toBe(false)
      expect(await pooled.verify(alg, kp.publicJwk, data, sig.subarray(2))).toBe(false)
      expect(await pooled.verify(alg, other.publicJwk, data, sig)).toBe(false)
    })
  }

  it('many verifications in flight at once all settle with the right answers', async () => {
    const kp = await sync.generateKeyPair('ES256')
    const sigs = await Promise.all(Array.from({ length: 64 }, (_, i) => pooled.sign('ES256', kp.privateJwk, new Uint8Array([i]))))
    const results = await Promise.all(sigs.map((s, i) => pooled.verify('ES256', kp.publicJwk, new Uint8Array([i % 2 === 0 ? i : i + 1]), s)))
    expect(results).toEqual(Array.from({ length: 64 }, (_, i) => i % 2 === 0))
  })
})
