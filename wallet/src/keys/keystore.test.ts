import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { base64urlDecode, bytesEqual, createWebCryptoProvider, utf8Encode } from '@e2eid/shared'
import { describe, expect, it } from 'vitest'
import { WalletDb } from '../storage/schema.js'
import { KeyStore, indexedDbWrappingKey } from './keystore.js'
import { generateWrappingKey, unwrapPrivateKey } from './wrap.js'

const provider = createWebCryptoProvider()

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

/** Every byte string reachable in a stored value, plus the UTF-8 of every string. */
function allBytes(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value)
  else if (typeof value === 'string') out.push(utf8Encode(value))
  else if (Array.isArray(value)) value.forEach((v) => allBytes(v, out))
  else if (typeof value === 'object' && value !== null && !(value instanceof CryptoKey)) Object.values(value).forEach((v) => allBytes(v, out))
  return out
}

describe('holder keys (wrapped by a non-extractable AES-GCM key)', () => {
  for (const alg of ['EdDSA', 'ES256'] as const) {
    it(`${alg}: no unwrapped private key material is in storage, and signing works`, async () => {
      const db = new WalletDb('k', { indexedDB: new IDBFactory(), IDBKeyRange })
      const ks = new KeyStore({ db, provider, wrappingKey: indexedDbWrappingKey(db) })
      // Capture the private key as generated, to search storage for it.
      let privD: string | undefined
      const spying = { ...provider, generateKeyPair: async (a: typeof alg) => { const kp = await provider.generateKeyPair(a); privD = kp.privateJwk.d; return kp } }
      const ks2 = new KeyStore({ db, provider: spying, wrappingKey: indexedDbWrappingKey(db) })
      const rec = await ks2.generate(alg)
      expect(privD).toBeDefined()
      const dBytes = base64urlDecode(privD!)
      const dText = utf8Encode(privD!)
      for (const table of db.tables) {
        for (const row of await table.toArray()) {
          for (const b of allBytes(row)) {
            expect(contains(b, dBytes)).toBe(false)
            expect(contains(b, dText)).toBe(false)
          }
        }
      }
      expect(JSON.stringify(rec.publicJwk)).not.toContain('"d"')
      // The wrapping key stored in IndexedDB is a non-extractable CryptoKey.
      const wk = (await db.meta.get('wrappingKey'))?.value as CryptoKey
      expect(wk).toBeInstanceOf(CryptoKey)
      expect(wk.extractable).toBe(false)
      await expect(globalThis.crypto.subtle.exportKey('raw', wk)).rejects.toThrow()
      // Signing unwraps just for the call; the signature verifies with the public key.
      const msg = utf8Encode('hello')
      const sig = await ks.sign(rec.id, msg)
      expect(await provider.verify(alg, await ks.publicJwk(rec.id), msg, sig)).toBe(true)
      db.close()
    })
  }

  it('a wrapped key cannot be unwrapped under another key id or another wrapping key (AAD binding)', async () => {
    const db = new WalletDb('k2', { indexedDB: new IDBFactory(), IDBKeyRange })
    const source = indexedDbWrappingKey(db)
    const ks = new KeyStore({ db, provider, wrappingKey: source })
    const rec = await ks.generate()
    await expect(unwrapPrivateKey(await source(), 'other-id', rec.wrapped)).rejects.toMatchObject({ code: 'ERR_WALLET_UNWRAP_FAILED' })
    await expect(unwrapPrivateKey(await generateWrappingKey(), rec.id, rec.wrapped)).rejects.toMatchObject({ code: 'ERR_WALLET_UNWRAP_FAILED' })
    const tampered = { iv: rec.wrapped.iv, ciphertext: rec.wrapped.ciphertext.slice() }
    tampered.ciphertext[0]! ^= 1
    await expect(unwrapPrivateKey(await source(), rec.id, tampered)).rejects.toMatchObject({ code: 'ERR_WALLET_UNWRAP_FAILED' })
    expect(bytesEqual(tampered.ciphertext, rec.wrapped.ciphertext)).toBe(false)
    db.close()
  })

  it('one wrapping key per database, reused across KeyStore instances', async () => {
    const db = new WalletDb('k3', { indexedDB: new IDBFactory(), IDBKeyRange })
    const a = await indexedDbWrappingKey(db)()
    const b = await indexedDbWrappingKey(db)()
    const rec = await new KeyStore({ db, provider, wrappingKey: async () => a }).generate()
    await expect(unwrapPrivateKey(b, rec.id, rec.wrapped)).resolves.toBeTypeOf('object')
    db.close()
  })
})
