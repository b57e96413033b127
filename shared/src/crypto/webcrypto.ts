/**
 * @module crypto/webcrypto
 * A {@link CryptoProvider} on Web APIs only (browsers, workers, Node): WebCrypto for
 * signatures, @noble/hashes for synchronous digests, @noble/curves when the runtime's
 * WebCrypto lacks Ed25519.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import { E2eidError } from '../errors.js'
import { base64urlEncode } from '../encoding/base64url.js'
import type { HashAlgorithm, SignatureAlgorithm } from './algorithms.js'
import { algorithmFromJose } from './algorithms.js'
import type { KeyPair, PublicJwk } from './jwk.js'
import { assertKeyFitsAlgorithm, parsePrivateJwk, parsePublicJwk } from './jwk.js'
import { isStrictEd25519Signature } from './ed25519.js'
import type { CryptoProvider } from './provider.js'

const HASHES = { 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const

/** Digest with @noble/hashes (sync; WebCrypto's digest is async and ~30x slower per small call). */
export function digestSync(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
  const fn = HASHES[hash]
  if (fn === undefined) throw new E2eidError('ERR_HASH_UNSUPPORTED', `hash ${String(hash)} is not supported`)
  return fn(data)
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  if (s === undefined) throw new E2eidError('ERR_CRYPTO_UNAVAILABLE', 'WebCrypto is not available in this runtime')
  return s
}

function importParams(alg: SignatureAlgorithm): EcKeyImportParams | Algorithm {
  const d = algorithmFromJose(alg)
  return d.kty === 'EC' ? { name: 'ECDSA', namedCurve: d.crv } : { name: 'Ed25519' }
}

function signParams(alg: SignatureAlgorithm): EcdsaParams | Algorithm {
  const d = algorithmFromJose(alg)
  return d.kty === 'EC' ? { name: 'ECDSA', hash: d.hash! } : { name: 'Ed25519' }
}

/** Bounded cache of imported public keys: importing costs as much as a verify. */
class KeyCache<V> {
  private readonly map = new Map<string, V>()
  constructor(private readonly max = 256) {}
  get(k: string): V | undefined {
    return this.map.get(k)
  }
  set(k: string, v: V): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string)
    this.map.set(k, v)
  }
}

function jwkCacheKey(k: PublicJwk): string {
  return k.kty === 'EC' ? `${k.crv}.${k.x}.${k.y}` : `${k.crv}.${k.x}`
}

let ed25519Native: boolean | undefined

async function hasNativeEd25519(): Promise<boolean> {
  if (ed25519Native === undefined) {
    try {
      await subtle().importKey('raw', new Uint8Array(32), { name: 'Ed25519' }, true, ['verify'])
      ed25519Native = true
    } catch {
      ed25519Native = false
    }
  }
  return ed25519Native
}

function toBytes(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
}

/** Options for {@link createWebCryptoProvider}. */
export interface WebCryptoProviderOptions {
  /** Replaces the random source (tests reproducing vectors). */
  randomBytes?: (length: number) => Uint8Array
}

/** Creates the Web-API provider. */
export function createWebCryptoProvider(options: WebCryptoProviderOptions = {}): CryptoProvider {
  const pubCache = new KeyCache<CryptoKey>()
  const randomBytes =
    options.randomBytes ??
    ((n: number) => {
      const out = new Uint8Array(n)
      for (let o = 0; o < n; o += 65536) globalThis.crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)))
      return out
    })

  async function importPublic(alg: SignatureAlgorithm, key: PublicJwk): Promise<CryptoKey> {
    const ck = `${alg}.${jwkCacheKey(key)}`
    let k = pubCache.get(ck)
    if (k === undefined) {
      const jwk: JsonWebKey = key.kty === 'EC' ? { kty: 'EC', crv: key.crv, x: key.x, y: key.y } : { kty: 'OKP', crv: key.crv, x: key.x }
      k = await subtle().importKey('jwk', jwk, importParams(alg), false, ['verify'])
      pubCache.set(ck, k)
    }
    return k
  }

  return {
    name: 'webcrypto',
    async sign(alg, key, data) {
      const d = algorithmFromJose(alg)
      const priv = parsePrivateJwk(key)
      assertKeyFitsAlgorithm(priv, d)
      if (d.kty === 'OKP' && !(await hasNativeEd25519())) {
        return ed25519.sign(data, toBytes(priv.d))
      }
      const jwk: JsonWebKey =
        priv.kty === 'EC' ? { kty: 'EC', crv: priv.crv, x: priv.x, y: priv.y, d: priv.d } : { kty: 'OKP', crv: priv.crv, x: priv.x, d: priv.d }
      const k = await subtle().importKey('jwk', jwk, importParams(alg), false, ['sign'])
      return new Uint8Array(await subtle().sign(signParams(alg), k, data as BufferSource))
    },
    async verify(alg, key, data, signature) {
      const d = algorithmFromJose(alg)
      const pub = parsePublicJwk(key)
      assertKeyFitsAlgorithm(pub, d)
      if (signature.length !== d.signatureLength) return false
      // RFC 8032 §5.1.7 strictly: S < L, R canonical and not of small order (OpenSSL does not refuse them all).
      if (d.kty === 'OKP' && !isStrictEd25519Signature(signature)) return false
      if (d.kty === 'OKP' && !(await hasNativeEd25519())) {
        try {
          return ed25519.verify(signature, data, toBytes(pub.x), { zip215: false })
        } catch {
          return false
        }
      }
      const k = await importPublic(alg, pub)
      return subtle().verify(signParams(alg), k, signature as BufferSource, data as BufferSource)
    },
    digest: digestSync,
    randomBytes,
    async generateKeyPair(alg): Promise<KeyPair> {
      const d = algorithmFromJose(alg)
      if (d.kty === 'OKP' && !(await hasNativeEd25519())) {
        const sk = ed25519.utils.randomSecretKey(randomBytes(32))
        const x = base64urlEncode(ed25519.getPublicKey(sk))
        const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x }
        return { publicJwk, privateJwk: { ...publicJwk, d: base64urlEncode(sk) } }
      }
      const kp = (await subtle().generateKey(importParams(alg) as EcKeyGenParams, true, ['sign', 'verify'])) as CryptoKeyPair
      const privateJwk = parsePrivateJwk(await subtle().exportKey('jwk', kp.privateKey))
      return { privateJwk, publicJwk: parsePublicJwk(privateJwk) }
    },
  }
}

/** The default provider for runtime-agnostic code. Servers should pass the node provider from `@e2eid/shared/node`. */
export const webCryptoProvider: CryptoProvider = createWebCryptoProvider()
