/**
 * @module crypto/provider
 * The narrow interface through which all e2eid signing, verification, hashing and
 * randomness goes, so that each runtime plugs in its fastest path (node:crypto on
 * servers, WebCrypto in browsers, @noble/curves where a runtime lacks a curve) and
 * tests inject deterministic randomness.
 */
import type { HashAlgorithm, SignatureAlgorithm } from './algorithms.js'
import type { KeyPair, PrivateJwk, PublicJwk } from './jwk.js'

export interface CryptoProvider {
  /** Short name for diagnostics and benchmarks ("node", "webcrypto"). */
  readonly name: string
  /**
   * Signs `data`; returns the raw signature (ECDSA r||s as in JOSE and COSE, or Ed25519).
   * Throws ERR_ALG_KEY_MISMATCH when the key does not fit `alg`.
   */
  sign(alg: SignatureAlgorithm, key: PrivateJwk, data: Uint8Array): Promise<Uint8Array>
  /**
   * Verifies a raw signature. Resolves false for a wrong signature (including a wrong length);
   * throws ERR_ALG_KEY_MISMATCH when the key does not fit `alg`.
   */
  verify(alg: SignatureAlgorithm, key: PublicJwk, data: Uint8Array, signature: Uint8Array): Promise<boolean>
  /** Synchronous digest: disclosure hashing is on the hot path and must not pay async overhead. */
  digest(hash: HashAlgorithm, data: Uint8Array): Uint8Array
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array
  /** Generates a key pair for `alg` (EdDSA → Ed25519, ES256 → P-256, ES384 → P-384). */
  generateKeyPair(alg: SignatureAlgorithm): Promise<KeyPair>
}
