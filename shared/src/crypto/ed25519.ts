/**
 * @module crypto/ed25519
 * Strict Ed25519 checks that OpenSSL (node:crypto, WebCrypto) leaves out. OpenSSL accepts R = identity, S = 0
 * for every message under a small-order public key such as the identity point (`AQAA…A`), so a key of small
 * order lets anyone "sign" without a private key (reference/README.md pitfall 11). A public key or R must be a
 * canonical encoding (RFC 8032 §5.1.3: y < p; x = 0 with the sign bit set is not canonical) and not one of the
 * eight points of small order, both checked with byte compares; S must be < L (RFC 8032 §5.1.7 step 1).
 * A public key must also decode to a point on the curve (RFC 8032 §5.1.3 step 2: x² = (y² − 1)/(d·y² + 1) has a
 * square root mod p). OpenSSL only finds an off-curve key when it verifies; the project standard is that keys
 * are validated where parsed, so it is decoded here. Decoding costs ~90 µs in JS, so the verdict is cached per
 * key in a bounded map (issuer keys and the same members come back again and again).
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { E2eidError, isE2eidError } from '../errors.js'

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16))

// The y coordinates (little-endian, sign bit clear) of the eight points of small order ("Taming the many
// EdDSAs", Chalkias et al. 2020, table 6; libsodium's blocklist): y = 1 (identity), y = p − 1 (order 2),
// y = 0 (two points of order 4) and two y values with two points of order 8 each. Any x sign is refused.
const SMALL_ORDER_Y: readonly Uint8Array[] = [
  hex('0100000000000000000000000000000000000000000000000000000000000000'),
  hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
  hex('0000000000000000000000000000000000000000000000000000000000000000'),
  hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'),
  hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'),
]
/** p = 2^255 − 19, little-endian. */
const P = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')
/** L = 2^252 + 27742317777372353535851937790883648493, the group order, little-endian. */
const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')

/** a < b for two 32-byte little-endian numbers, reading a with its top bit masked when `maskTop`. */
function lessThan(a: Uint8Array, off: number, b: Uint8Array, maskTop: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const ai = i === 31 && maskTop ? a[off + i]! & 0x7f : a[off + i]!
    const bi = b[i]!
    if (ai !== bi) return ai < bi
  }
  return false
}

function isSmallOrderY(a: Uint8Array, off: number): boolean {
  return SMALL_ORDER_Y.some((y) => {
    for (let i = 0; i < 31; i++) if (a[off + i] !== y[i]) return false
    return (a[off + 31]! & 0x7f) === y[31]
  })
}

/**
 * Why the 32 bytes at `off` are not a strict Ed25519 point encoding (non-canonical y ≥ p, or a point of small
 * order, which includes the only encodings with x = 0), or undefined when they are acceptable.
 */
function weakPointReason(a: Uint8Array, off: number): string | undefined {
  if (!lessThan(a, off, P, true)) return 'a non-canonical encoding (y ≥ p)'
  if (isSmallOrderY(a, off)) return 'a point of small order'
  return undefined
}

/** A bounded map of verdicts: when full, the least recently used entry goes first. Exported for its tests. */
export interface VerdictCache {
  get(key: string): boolean | undefined
  set(key: string, verdict: boolean): void
  readonly size: number
}

export function createVerdictCache(maxEntries: number): VerdictCache {
  const map = new Map<string, boolean>()
  return {
    get(key) {
      const v = map.get(key)
      if (v !== undefined) {
        // Map keeps insertion order: move a hit to the end so the oldest unused entry is evicted first.
        map.delete(key)
        map.set(key, v)
      }
      return v
    },
    set(key, verdict) {
      map.delete(key)
      map.set(key, verdict)
      while (map.size > maxEntries) {
        const oldest = map.keys().next()
        if (oldest.done === true) break
        map.delete(oldest.value)
      }
    },
    get size() {
      return map.size
    },
  }
}

/** Verdicts of the on-curve check, keyed by the 32 bytes as a latin1 string. 4096 entries (~0.5 MB at most). */
const ON_CURVE = createVerdictCache(4096)

/** Whether the 32-byte `key` decodes to a point on the curve (RFC 8032 §5.1.3 decoding, strict: y < p). */
function isOnCurve(key: Uint8Array): boolean {
  const id = String.fromCharCode(...key)
  const cached = ON_CURVE.get(id)
  if (cached !== undefined) return cached
  let ok: boolean
  try {
    ed25519.Point.fromBytes(key) // throws "bad point: invalid y coordinate" when (y² − 1)/(d·y² + 1) is not a square
    ok = true
  } catch {
    ok = false
  }
  ON_CURVE.set(id, ok)
  return ok
}

/** Why the 32-byte public key is not strict (see weakPointReason), adding the on-curve check. */
function weakPublicKeyReason(key: Uint8Array): string | undefined {
  return weakPointReason(key, 0) ?? (isOnCurve(key) ? undefined : 'not a point on the curve (no x for its y)')
}

/** True when `key` is a 32-byte, canonical Ed25519 public key on the curve and not of small order. */
export function isStrictEd25519PublicKey(key: Uint8Array): boolean {
  return key.length === 32 && weakPublicKeyReason(key) === undefined
}

/**
 * Refuses an Ed25519 public key that is not 32 bytes, is a non-canonical encoding, is not on the curve, or is a
 * point of small order (RFC 8032 §5.1.3; reference/README.md pitfall 11). Throws ERR_KEY_ED25519_WEAK, the one
 * code for every such key.
 */
export function assertStrictEd25519PublicKey(key: Uint8Array): void {
  if (key.length !== 32) throw new E2eidError('ERR_KEY_ED25519_WEAK', `an Ed25519 public key has 32 bytes, not ${key.length}`)
  const why = weakPublicKeyReason(key)
  if (why !== undefined) throw new E2eidError('ERR_KEY_ED25519_WEAK', `the Ed25519 public key is ${why}`)
}

/**
 * True when a 64-byte Ed25519 signature R || S passes the strict checks OpenSSL does not all make: S < L
 * (RFC 8032 §5.1.7), R canonical and not of small order. Run before the native verify.
 */
export function isStrictEd25519Signature(signature: Uint8Array): boolean {
  return signature.length === 64 && lessThan(signature, 32, L, false) && weakPointReason(signature, 0) === undefined
}

/** Rethrows `e` when it is ERR_KEY_ED25519_WEAK, so that callers wrapping key errors in their own code keep this one. */
export function rethrowWeakEd25519Key(e: unknown): void {
  if (isE2eidError(e, 'ERR_KEY_ED25519_WEAK')) throw e
}
