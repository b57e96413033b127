/**
 * @module crypto/node
 * The node:crypto fast path (`@e2eid/shared/node`): synchronous OpenSSL signatures
 * with cached KeyObjects, `crypto.hash` one-shot digests. 2-3x faster per call than
 * WebCrypto on Node and 25-35x faster than @noble/curves (measured on the bench machine).
 */
import * as nodeCrypto from 'node:crypto'
import { E2eidError } from '../errors.js'
import type { HashAlgorithm, SignatureAlgorithm } from './algorithms.js'
import { algorithmFromJose } from './algorithms.js'
import type { KeyPair, PrivateJwk, PublicJwk } from './jwk.js'
import { assertKeyFitsAlgorithm, parsePrivateJwk, parsePublicJwk } from './jwk.js'
import { isStrictEd25519Signature } from './ed25519.js'
import type { CryptoProvider } from './provider.js'

const NODE_HASH: Record<HashAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }

class LruCache<V> {
  private readonly map = new Map<string, V>()
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    return this.map.get(k)
  }
  set(k: string, v: V): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string)
    this.map.set(k, v)
  }
}

const hashFn: ((alg: string, data: Uint8Array, enc: 'buffer') => Uint8Array) | undefined = (
  nodeCrypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Uint8Array }
).hash

/**
 * randomBytes for small requests (salts, nonces, ids) served from a 4 KiB block filled by one CSPRNG call:
 * one `randomBytes` call costs ~5 µs whatever its size (measured on the bench machine), and issuance asks for
 * several 16-byte salts per credential. Every byte is handed out once; a copy is returned, so callers own it.
 */
function pooledRandomBytes(): (length: number) => Uint8Array {
  const POOL = 4096
  let pool = new Uint8Array(0)
  let at = 0
  return (n: number) => {
    if (n > 256) return new Uint8Array(nodeCrypto.randomBytes(n))
    if (at + n > pool.length) {
      pool = new Uint8Array(POOL)
      nodeCrypto.randomFillSync(pool)
      at = 0
    }
    at += n
    return pool.slice(at - n, at)
  }
}

/** Options for {@link createNodeCryptoProvider}. */
export interface NodeCryptoProviderOptions {
  randomBytes?: (length: number) => Uint8Array
  /** How many imported public keys to keep (default 1024). */
  keyCacheSize?: number
  /**
   * Sign and verify on the libuv threadpool (node:crypto's callback form) instead of on the calling thread.
   * One call costs a little more (~10-20 µs of dispatch), but calls in flight together run on several cores:
   * a verifier that checks many credentials at once (an MLS join with `prevalidate`, a busy issuer) uses every
   * core. Default false: synchronous calls, the fastest on one core (measured on the bench machine).
   */
  threadpool?: boolean
}

/** Creates the node:crypto provider. */
export function createNodeCryptoProvider(options: NodeCryptoProviderOptions = {}): CryptoProvider {
  const pubCache = new LruCache<nodeCrypto.KeyObject>(options.keyCacheSize ?? 1024)
  const privCache = new LruCache<nodeCrypto.KeyObject>(64)
  // By parsed (frozen) JWK object: the same trusted key object verifies without building its cache string.
  const byParsed = new WeakMap<object, nodeCrypto.KeyObject>()
  const randomBytes = options.randomBytes ?? pooledRandomBytes()
  const threadpool = options.threadpool === true

  function publicKeyObject(key: PublicJwk): nodeCrypto.KeyObject {
    const known = byParsed.get(key)
    if (known !== undefined) return known
    const ck = key.kty === 'EC' ? `${key.crv}.${key.x}.${key.y}` : `${key.crv}.${key.x}`
    let k = pubCache.get(ck)
    if (k === undefined) {
      const jwk = key.kty === 'EC' ? { kty: 'EC', crv: key.crv, x: key.x, y: key.y } : { kty: 'OKP', crv: key.crv, x: key.x }
      try {
        k = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' })
      } catch (e) {
        throw new E2eidError('ERR_KEY_INVALID', 'public key is not a valid point on its curve', { cause: e })
      }
      pubCache.set(ck, k)
    }
    if (Object.isFrozen(key)) byParsed.set(key, k)
    return k
  }

  function privateKeyObject(key: PrivateJwk): nodeCrypto.KeyObject {
    const known = byParsed.get(key)
    if (known !== undefined) return known
    const ck = `${key.crv}.${key.x}.${key.d}`
    let k = privCache.get(ck)
    if (k === undefined) {
      const jwk =
        key.kty === 'EC'
          ? { kty: 'EC', crv: key.crv, x: key.x, y: key.y, d: key.d }
          : { kty: 'OKP', crv: key.crv, x: key.x, d: key.d }
      try {
        k = nodeCrypto.createPrivateKey({ key: jwk, format: 'jwk' })
      } catch (e) {
        throw new E2eidError('ERR_KEY_INVALID', 'private key is invalid', { cause: e })
      }
      privCache.set(ck, k)
    }
    if (Object.isFrozen(key)) byParsed.set(key, k)
    return k
  }

  function digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array {
    const h = NODE_HASH[hash]
    if (h === undefined) throw new E2eidError('ERR_HASH_UNSUPPORTED', `hash ${String(hash)} is not supported`)
    const out = hashFn !== undefined ? hashFn(h, data, 'buffer') : nodeCrypto.createHash(h).update(data).digest()
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength) // a view, not a copy
  }

  return {
    name: 'node',
    async sign(alg: SignatureAlgorithm, key: PrivateJwk, data: Uint8Array): Promise<Uint8Array> {
      const d = algorithmFromJose(alg)
      const priv = parsePrivateJwk(key)
      assertKeyFitsAlgorithm(priv, d)
      const ko = privateKeyObject(priv)
      const hash = d.kty === 'EC' ? NODE_HASH[d.hash!] : null
      const keyInput = d.kty === 'EC' ? { key: ko, dsaEncoding: 'ieee-p1363' as const } : ko
      const sig = threadpool
        ? await new Promise<Uint8Array>((resolve, reject) => nodeCrypto.sign(hash, data, keyInput, (err, out) => (err ? reject(err) : resolve(out))))
        : nodeCrypto.sign(hash, data, keyInput)
      return new Uint8Array(sig.buffer, sig.byteOffset, sig.byteLength)
    },
    async verify(alg, key, data, signature) {
      const d = algorithmFromJose(alg)
      const pub = parsePublicJwk(key)
      assertKeyFitsAlgorithm(pub, d)
      if (signature.length !== d.signatureLength) return false
      // RFC 8032 §5.1.7 strictly: S < L, R canonical and not of small order (OpenSSL does not refuse them all).
      if (d.kty === 'OKP' && !isStrictEd25519Signature(signature)) return false
      const ko = publicKeyObject(pub)
      const hash = d.kty === 'EC' ? NODE_HASH[d.hash!] : null
      const keyInput = d.kty === 'EC' ? { key: ko, dsaEncoding: 'ieee-p1363' as const } : ko
      try {
        if (!threadpool) return nodeCrypto.verify(hash, data, keyInput, signature)
        return await new Promise<boolean>((resolve) => nodeCrypto.verify(hash, data, keyInput, signature, (err, ok) => resolve(!err && ok)))
      } catch {
        return false
      }
    },
    digest,
    randomBytes,
    async generateKeyPair(alg): Promise<KeyPair> {
      const d = algorithmFromJose(alg)
      // Export as JWK inside generateKeyPairSync: exporting a fresh KeyObject with KeyObject.export() was
      // seen to self-deadlock Node 20.20.2 when a garbage collection ran during the export (gdb: the GC
      // finalizer waited on the lock the export held).
      const enc = { publicKeyEncoding: { format: 'jwk' }, privateKeyEncoding: { format: 'jwk' } } as const
      const { privateKey } =
        d.kty === 'EC'
          ? nodeCrypto.generateKeyPairSync('ec', { namedCurve: d.crv, ...enc })
          : nodeCrypto.generateKeyPairSync('ed25519', enc)
      const privateJwk = parsePrivateJwk(privateKey)
      return { privateJwk, publicJwk: parsePublicJwk(privateJwk) }
    },
  }
}

/** A shared node:crypto provider. */
export const nodeCryptoProvider: CryptoProvider = createNodeCryptoProvider()
