/**
 * @module keys/wrap
 * Wrapping of holder private keys with AES-256-GCM under a NON-EXTRACTABLE WebCrypto key.
 * The plaintext is the private JWK as UTF-8 JSON (the same bytes `wrapKey('jwk', …)` would
 * encrypt); the key id is the additional authenticated data, so a wrapped blob cannot be
 * swapped onto another key record.
 */
import { E2eidError, utf8Decode, utf8Encode } from '@e2eid/shared'
import type { WrappedPrivateKey } from '../storage/schema.js'

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  if (s === undefined) throw new E2eidError('ERR_CRYPTO_UNAVAILABLE', 'WebCrypto is not available in this runtime')
  return s
}

/** Generates a fresh non-extractable AES-256-GCM wrapping key. */
export async function generateWrappingKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

/**
 * Imports raw AES-256 key bytes as a non-extractable wrapping key (used by the Node CLI,
 * whose key lives in a 0600 key file because a CryptoKey cannot outlive the process).
 */
export async function importWrappingKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) throw new E2eidError('ERR_WALLET_WRAPPING_KEY_INVALID', 'wrapping key must be 32 bytes')
  return subtle().importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
}

/** Encrypts `privateJwk` under `wrappingKey`, binding it to `keyId`. */
export async function wrapPrivateKey(
  wrappingKey: CryptoKey,
  keyId: string,
  privateJwk: object,
  iv: Uint8Array,
): Promise<WrappedPrivateKey> {
  if (iv.length !== 12) throw new E2eidError('ERR_WALLET_WRAP_FAILED', 'AES-GCM IV must be 12 bytes')
  const plaintext = utf8Encode(JSON.stringify(privateJwk))
  const ct = await subtle().encrypt(
    { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: utf8Encode(keyId) as Uint8Array<ArrayBuffer> },
    wrappingKey,
    plaintext as Uint8Array<ArrayBuffer>,
  )
  plaintext.fill(0)
  return { iv, ciphertext: new Uint8Array(ct) }
}

/** Decrypts a wrapped private key; throws ERR_WALLET_UNWRAP_FAILED on a wrong key, id or tampered blob. */
export async function unwrapPrivateKey(wrappingKey: CryptoKey, keyId: string, wrapped: WrappedPrivateKey): Promise<unknown> {
  let pt: ArrayBuffer
  try {
    pt = await subtle().decrypt(
      { name: 'AES-GCM', iv: wrapped.iv as Uint8Array<ArrayBuffer>, additionalData: utf8Encode(keyId) as Uint8Array<ArrayBuffer> },
      wrappingKey,
      wrapped.ciphertext as Uint8Array<ArrayBuffer>,
    )
  } catch (e) {
    throw new E2eidError('ERR_WALLET_UNWRAP_FAILED', 'private key could not be unwrapped (wrong wrapping key or tampered record)', { cause: e })
  }
  const bytes = new Uint8Array(pt)
  try {
    return JSON.parse(utf8Decode(bytes)) as unknown
  } finally {
    bytes.fill(0)
  }
}
