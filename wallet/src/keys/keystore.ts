/**
 * @module keys/keystore
 * Holder signature keys: one key pair per credential, which is also the MLS signature key
 * (Ed25519 by default, the key of MLS ciphersuite 1; P-256 as an option). Private keys exist
 * in storage only wrapped ({@link wrapPrivateKey}); they are unwrapped in memory just for one
 * signature and then dropped.
 */
import { E2eidError, hexEncode, parsePrivateJwk, parsePublicJwk, signJwt } from '@e2eid/shared'
import type { CryptoProvider, PublicJwk } from '@e2eid/shared'
import type { StoredKey, WalletDb } from '../storage/schema.js'
import { unwrapPrivateKey, wrapPrivateKey } from './wrap.js'

/** Algorithms a holder key may use. */
export type HolderKeyAlgorithm = 'EdDSA' | 'ES256'

/** Where the wrapping key comes from (browser: a CryptoKey in IndexedDB; CLI: a key file). */
export type WrappingKeySource = () => Promise<CryptoKey>

/** Options for {@link KeyStore}. */
export interface KeyStoreOptions {
  db: WalletDb
  provider: CryptoProvider
  wrappingKey: WrappingKeySource
  /** Clock in Unix milliseconds (default Date.now). */
  now?: () => number
}

/** Creates, lists and signs with the wallet's holder keys. */
export class KeyStore {
  private readonly db: WalletDb
  private readonly provider: CryptoProvider
  private readonly wrappingKey: WrappingKeySource
  private readonly now: () => number

  constructor(options: KeyStoreOptions) {
    this.db = options.db
    this.provider = options.provider
    this.wrappingKey = options.wrappingKey
    this.now = options.now ?? Date.now
  }

  /** Generates a key pair, stores the private half wrapped, and returns the stored record (no private material). */
  async generate(alg: HolderKeyAlgorithm = 'EdDSA'): Promise<StoredKey> {
    if (alg !== 'EdDSA' && alg !== 'ES256') throw new E2eidError('ERR_WALLET_KEY_ALG', `holder key algorithm ${String(alg)} is not supported`)
    const id = this.newId()
    const pair = await this.provider.generateKeyPair(alg)
    const wrapped = await wrapPrivateKey(await this.wrappingKey(), id, pair.privateJwk, this.provider.randomBytes(12))
    const publicJwk = parsePublicJwk(pair.publicJwk) as unknown as Record<string, string>
    const record: StoredKey = { id, alg, publicJwk, wrapped, createdAt: this.now() }
    await this.db.keys.put(record)
    return record
  }

  /** The stored key record; throws ERR_WALLET_KEY_NOT_FOUND. */
  async get(id: string): Promise<StoredKey> {
    const k = await this.db.keys.get(id)
    if (k === undefined) throw new E2eidError('ERR_WALLET_KEY_NOT_FOUND', `no key with id ${id}`)
    return k
  }

  /** The public JWK of a key. */
  async publicJwk(id: string): Promise<PublicJwk> {
    return parsePublicJwk((await this.get(id)).publicJwk)
  }

  /** Signs `data` with the key `id` (raw signature: Ed25519 or ECDSA r||s). */
  async sign(id: string, data: Uint8Array): Promise<Uint8Array> {
    const record = await this.get(id)
    return this.withPrivateKey(record, (jwk) => this.provider.sign(record.alg, jwk, data))
  }

  /**
   * Runs `use` with the unwrapped private JWK of `record`, then overwrites the copy's `d`.
   * Internal building block for signers that need the JWK (e.g. the SD-CWT KBT signer, MLS).
   */
  async withPrivateKey<T>(record: StoredKey, use: (jwk: ReturnType<typeof parsePrivateJwk>) => Promise<T>): Promise<T> {
    // A copy of our own (parsed JWKs are frozen and shared), so that its `d` can be overwritten afterwards.
    const jwk = { ...parsePrivateJwk(await unwrapPrivateKey(await this.wrappingKey(), record.id, record.wrapped)) }
    try {
      return await use(jwk)
    } finally {
      ;(jwk as { d: string }).d = ''
    }
  }

  /** Signs a JWT with the key of `record` (the OpenID4VCI `jwt` proof, the SD-JWT KB-JWT). */
  async signJwtWith(record: StoredKey, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
    return this.withPrivateKey(record, (key) => signJwt({ header: { ...header, alg: record.alg }, payload, key, provider: this.provider }))
  }

  /** A fresh random identifier (128 bits, hex). */
  newId(): string {
    return hexEncode(this.provider.randomBytes(16))
  }

  /** Deletes a key. */
  async delete(id: string): Promise<void> {
    await this.db.keys.delete(id)
  }
}

/**
 * Browser wrapping-key source: a non-extractable AES-GCM CryptoKey kept in the `meta` table
 * (IndexedDB structured clone keeps it non-extractable), created on first use.
 */
export function indexedDbWrappingKey(db: WalletDb): WrappingKeySource {
  let cached: Promise<CryptoKey> | undefined
  return () => {
    cached ??= (async () => {
      const row = await db.meta.get('wrappingKey')
      if (row !== undefined && row.value instanceof CryptoKey) return row.value
      const key = await globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
      // `add` fails if another tab stored one first; then use theirs (never two wrapping keys).
      try {
        await db.meta.add({ name: 'wrappingKey', value: key })
        return key
      } catch {
        const again = await db.meta.get('wrappingKey')
        if (again !== undefined && again.value instanceof CryptoKey) return again.value
        throw new E2eidError('ERR_WALLET_WRAPPING_KEY_INVALID', 'wrapping key could not be stored')
      }
    })()
    return cached
  }
}
