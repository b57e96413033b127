/**
 * @module mls/signature-key
 * Conversion between e2eid's {@link PublicJwk} (the credential's `cnf`) and an MLS
 * `SignaturePublicKey` (RFC 9420 §5.1.1): Ed25519 = the raw 32-byte key (RFC 8032), ECDSA =
 * the SEC1 uncompressed point `04 || x || y` (65 bytes for P-256). ts-mls 2.0.0-rc.10 emits
 * 33-byte *compressed* P-256 keys, so keys are compared as decoded points, never as bytes.
 */
import { p256, p384 } from '@noble/curves/nist.js'
import { E2eidError } from '../errors.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import { bytesEqual, concatBytes } from '../encoding/bytes.js'
import { hexEncode } from '../encoding/hex.js'
import type { Curve } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import { assertStrictEd25519PublicKey } from '../crypto/ed25519.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { coseKeyThumbprint } from '../cose/thumbprint.js'

const EC = { 'P-256': { curve: p256, len: 32 }, 'P-384': { curve: p384, len: 48 } } as const

/** The MLS `SignaturePublicKey` bytes of a JWK: raw Ed25519, or uncompressed SEC1 for ECDSA. */
export function mlsSignatureKeyFromJwk(jwk: PublicJwk): Uint8Array {
  const key = parsePublicJwk(jwk)
  if (key.kty === 'OKP') return base64urlDecode(key.x)
  return concatBytes(Uint8Array.of(0x04), base64urlDecode(key.x), base64urlDecode(key.y))
}

/** The curve a signature key of this length belongs to (each length is unambiguous among our curves). */
function curveOfLength(len: number): Curve {
  if (len === 32) return 'Ed25519'
  if (len === 33 || len === 65) return 'P-256'
  if (len === 49 || len === 97) return 'P-384'
  throw new E2eidError('ERR_MLS_SIGNATURE_KEY_INVALID', `no supported curve has ${len}-byte public keys`)
}

/**
 * The JWK of an MLS `SignaturePublicKey`. ECDSA keys may be uncompressed (RFC 9420) or compressed
 * (ts-mls); the point is decoded and checked to lie on the curve. `crv` defaults to the curve the
 * key length implies. Throws ERR_MLS_SIGNATURE_KEY_INVALID.
 */
export function jwkFromMlsSignatureKey(key: Uint8Array, crv: Curve = curveOfLength(key.length)): PublicJwk {
  if (crv === 'Ed25519') {
    if (key.length !== 32) throw new E2eidError('ERR_MLS_SIGNATURE_KEY_INVALID', `an Ed25519 key has 32 bytes, not ${key.length}`)
    assertStrictEd25519PublicKey(key) // small-order or non-canonical: ERR_KEY_ED25519_WEAK
    return { kty: 'OKP', crv, x: base64urlEncode(key) }
  }
  const { curve, len } = EC[crv]
  if (key.length !== 2 * len + 1 && key.length !== len + 1) {
    throw new E2eidError('ERR_MLS_SIGNATURE_KEY_INVALID', `a ${crv} key has ${2 * len + 1} or ${len + 1} bytes, not ${key.length}`)
  }
  let raw: Uint8Array
  try {
    raw = curve.Point.fromBytes(key).toBytes(false)
  } catch (e) {
    throw new E2eidError('ERR_MLS_SIGNATURE_KEY_INVALID', `not a point on ${crv}`, { cause: e })
  }
  return { kty: 'EC', crv, x: base64urlEncode(raw.subarray(1, 1 + len)), y: base64urlEncode(raw.subarray(1 + len)) }
}

/**
 * True when the MLS signature key and the JWK name the same public key. Compares decoded keys
 * (Ed25519 raw bytes; EC affine x and y), so compressed and uncompressed encodings match.
 * A malformed signature key or JWK yields false, never a throw.
 *
 * The EC point is never decompressed (a modular square root, ~220 µs per P-256 key: a 1,000-member join of
 * ts-mls leaves spent ~0.2 s on it): the JWK's (x, y) is encoded the way the signature key is (SEC1
 * `04 || x || y`, or `02/03 || x` with the parity of y), the bytes compared, and (x, y) checked to lie on the
 * curve. Equal encodings of a point on the curve are the same key; the result is that of comparing decoded points.
 */
export function mlsSignatureKeyMatchesJwk(signatureKey: Uint8Array, jwk: PublicJwk): boolean {
  let b: PublicJwk
  try {
    b = parsePublicJwk(jwk)
  } catch {
    return false
  }
  // RFC 9420 §5.1.1 / RFC 8032: an Ed25519 signature key is the raw 32-byte key, the JWK's x.
  if (b.kty === 'OKP') return signatureKey.length === 32 && bytesEqual(base64urlDecode(b.x), signatureKey)
  const { curve, len } = EC[b.crv]
  const x = base64urlDecode(b.x)
  const y = base64urlDecode(b.y)
  const prefix = signatureKey[0]
  let same: boolean
  if (signatureKey.length === 2 * len + 1 && prefix === 0x04) same = bytesEqual(signatureKey.subarray(1, 1 + len), x) && bytesEqual(signatureKey.subarray(1 + len), y)
  else if (signatureKey.length === len + 1 && (prefix === 0x02 || prefix === 0x03)) same = prefix === (0x02 | (y[len - 1]! & 1)) && bytesEqual(signatureKey.subarray(1), x)
  else return false
  if (!same) return false
  try {
    curve.Point.fromAffine({ x: BigInt(`0x${hexEncode(x)}`), y: BigInt(`0x${hexEncode(y)}`) }).assertValidity()
    return true
  } catch {
    return false
  }
}

/** True when `thumbprint` is the RFC 9679 SHA-256 thumbprint of the MLS signature key (false on any malformed input). */
export function mlsSignatureKeyMatchesThumbprint(
  signatureKey: Uint8Array,
  thumbprint: Uint8Array,
  provider: Pick<CryptoProvider, 'digest'>,
): boolean {
  try {
    return bytesEqual(coseKeyThumbprint(jwkFromMlsSignatureKey(signatureKey), provider), thumbprint)
  } catch {
    return false
  }
}
