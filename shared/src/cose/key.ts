/**
 * @module cose/key
 * COSE_Key (RFC 9052 §7, RFC 9053 §7) ↔ JWK for the curves e2eid supports: EC2 P-256 / P-384 and OKP Ed25519.
 * COSE_Keys are Maps with integer labels, as the strict CBOR decoder returns them.
 */
import { E2eidError } from '../errors.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import { utf8Decode, utf8Encode } from '../encoding/bytes.js'
import { algorithmForCurve, algorithmFromCose, algorithmFromJose } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { asParsedPublicJwk, assertKeyFitsAlgorithm, parsePrivateJwk, parsePublicJwk } from '../crypto/jwk.js'
import { assertStrictEd25519PublicKey } from '../crypto/ed25519.js'

/** COSE_Key labels (RFC 9052 §7.1, RFC 9053 §7.1-7.2). */
export const COSE_KEY = { kty: 1, kid: 2, alg: 3, crv: -1, x: -2, y: -3, d: -4 } as const
/** COSE key types (RFC 9053 §7). */
export const COSE_KTY = { OKP: 1, EC2: 2 } as const
/** COSE elliptic curves (RFC 9053 §7.1). */
export const COSE_CRV = { 'P-256': 1, 'P-384': 2, Ed25519: 6 } as const

const CRV_BY_ID = new Map<unknown, 'P-256' | 'P-384' | 'Ed25519'>([[1, 'P-256'], [2, 'P-384'], [6, 'Ed25519']])

/** Options for {@link jwkToCoseKey}. */
export interface JwkToCoseKeyOptions {
  /** Include the private scalar `d` (-4). Default false: only the public key is converted. */
  includePrivate?: boolean
  /** Include `kid` (2) as a byte string (UTF-8 of the JWK kid). Default false. */
  includeKid?: boolean
  /** Include `alg` (3) with this algorithm's COSE id (the polymorphic one). Default: not included. */
  alg?: string
}

function bytesParam(m: Map<unknown, unknown>, label: number, len: number, what: string): Uint8Array {
  const v = m.get(label)
  if (!(v instanceof Uint8Array)) throw new E2eidError('ERR_COSE_KEY_INVALID', `COSE_Key ${what} (${label}) must be a byte string`)
  if (v.length !== len) throw new E2eidError('ERR_COSE_KEY_INVALID', `COSE_Key ${what} has ${v.length} bytes, expected ${len}`)
  return v
}

function convert(key: unknown, withPrivate: boolean): PublicJwk | PrivateJwk {
  if (!(key instanceof Map)) throw new E2eidError('ERR_COSE_KEY_INVALID', 'COSE_Key must be a CBOR map')
  const kty = key.get(COSE_KEY.kty)
  const crv = CRV_BY_ID.get(key.get(COSE_KEY.crv))
  if (kty !== COSE_KTY.EC2 && kty !== COSE_KTY.OKP) throw new E2eidError('ERR_KEY_UNSUPPORTED', `COSE_Key kty ${String(kty)} is not supported`)
  if (crv === undefined) throw new E2eidError('ERR_KEY_UNSUPPORTED', `COSE_Key crv ${String(key.get(COSE_KEY.crv))} is not supported`)
  const desc = algorithmForCurve(crv)
  if ((kty === COSE_KTY.EC2) !== (desc.kty === 'EC')) throw new E2eidError('ERR_COSE_KEY_INVALID', `COSE_Key kty ${kty} does not fit curve ${crv}`)
  const jwk: Record<string, unknown> = { kty: desc.kty, crv, x: base64urlEncode(bytesParam(key, COSE_KEY.x, desc.coordinateLength, 'x')) }
  if (desc.kty === 'EC') jwk.y = base64urlEncode(bytesParam(key, COSE_KEY.y, desc.coordinateLength, 'y'))
  else assertStrictEd25519PublicKey(key.get(COSE_KEY.x) as Uint8Array) // length checked by bytesParam
  if (desc.kty === 'OKP' && key.has(COSE_KEY.y)) throw new E2eidError('ERR_COSE_KEY_INVALID', 'an OKP COSE_Key has no y')
  const kid = key.get(COSE_KEY.kid)
  if (kid instanceof Uint8Array) {
    try {
      jwk.kid = utf8Decode(kid)
    } catch {
      jwk.kid = base64urlEncode(kid)
    }
  } else if (typeof kid === 'string') {
    jwk.kid = kid
  } else if (kid !== undefined) {
    throw new E2eidError('ERR_COSE_KEY_INVALID', 'COSE_Key kid must be a byte string')
  }
  if (key.has(COSE_KEY.alg)) {
    const alg = algorithmFromCose(key.get(COSE_KEY.alg))
    assertKeyFitsAlgorithm(parsePublicJwk(jwk), alg)
    jwk.alg = alg.alg
  }
  if (withPrivate) {
    jwk.d = base64urlEncode(bytesParam(key, COSE_KEY.d, desc.coordinateLength, 'd'))
    return parsePrivateJwk(jwk)
  }
  // Every member was checked above (kty/crv from the tables, x/y lengths by bytesParam, kid, alg): no second
  // base64url round trip through parsePublicJwk (once per presentation on the verifier's hot path).
  return asParsedPublicJwk(jwk as unknown as PublicJwk)
}

/**
 * Converts a COSE_Key (a Map) to a public JWK. Accepts EC2 P-256/P-384 (uncompressed x and y byte strings)
 * and OKP Ed25519; a private `d` is ignored. `kid` (bstr) becomes a string (UTF-8 when valid, else base64url);
 * `alg` (3), when present, must fit the curve and becomes the JOSE name.
 * Errors: ERR_COSE_KEY_INVALID, ERR_KEY_UNSUPPORTED, ERR_ALG_NOT_ALLOWED, ERR_ALG_KEY_MISMATCH.
 */
export function coseKeyToJwk(key: unknown): PublicJwk {
  return convert(key, false) as PublicJwk
}

/** Like {@link coseKeyToJwk} but requires and keeps the private scalar `d` (-4). */
export function coseKeyToPrivateJwk(key: unknown): PrivateJwk {
  return convert(key, true) as PrivateJwk
}

/**
 * Converts a JWK to a COSE_Key Map with labels in the order kty, kid, alg, crv, x, y, d
 * (for the required members this is also RFC 8949 §4.2.1 order: 1, -1, -2, -3, as the SD-CWT draft's `cnf`).
 */
export function jwkToCoseKey(jwk: PublicJwk | PrivateJwk, options: JwkToCoseKeyOptions = {}): Map<number, unknown> {
  const pub = parsePublicJwk(jwk)
  const desc = algorithmForCurve(pub.crv)
  const m = new Map<number, unknown>()
  m.set(COSE_KEY.kty, desc.kty === 'EC' ? COSE_KTY.EC2 : COSE_KTY.OKP)
  if (options.includeKid === true && pub.kid !== undefined) m.set(COSE_KEY.kid, utf8Encode(pub.kid))
  if (options.alg !== undefined) {
    const a = algorithmFromJose(options.alg)
    assertKeyFitsAlgorithm(pub, a)
    m.set(COSE_KEY.alg, a.coseId)
  }
  m.set(COSE_KEY.crv, COSE_CRV[pub.crv])
  m.set(COSE_KEY.x, base64urlDecode(pub.x))
  if (pub.kty === 'EC') m.set(COSE_KEY.y, base64urlDecode(pub.y))
  if (options.includePrivate === true) m.set(COSE_KEY.d, base64urlDecode(parsePrivateJwk(jwk).d))
  return m
}

/** True when two public keys are the same key (curve and coordinates; kid, alg and use are ignored). */
export function samePublicKey(a: PublicJwk, b: PublicJwk): boolean {
  if (a.kty !== b.kty || a.crv !== b.crv || a.x !== b.x) return false
  return a.kty === 'OKP' || (b.kty === 'EC' && a.y === b.y)
}
