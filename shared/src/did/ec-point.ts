/**
 * @module did/ec-point
 * Decompresses SEC1 compressed P-256 / P-384 points (did:key carries them compressed, W3C did:key §3.1.2).
 * Both primes are ≡ 3 (mod 4), so y = (x³ − 3x + b)^((p+1)/4) mod p.
 */
import { E2eidError } from '../errors.js'
import { base64urlEncode } from '../encoding/index.js'
import type { EcPublicJwk } from '../crypto/jwk.js'

interface CurveParams {
  p: bigint
  b: bigint
  len: number
}

const CURVES: Record<'P-256' | 'P-384', CurveParams> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    len: 32,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    len: 48,
  },
}

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n
  let b = base % m
  let e = exp
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m
    b = (b * b) % m
    e >>= 1n
  }
  return r
}

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

function toBytes(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len)
  let x = v
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn)
    x >>= 8n
  }
  return out
}

/** Turns a 33- or 49-byte compressed point into an EC public JWK; throws ERR_DID_INVALID if it is not on the curve. */
export function compressedPointToJwk(crv: 'P-256' | 'P-384', point: Uint8Array): EcPublicJwk {
  const c = CURVES[crv]
  const prefix = point[0]
  if (point.length !== c.len + 1 || (prefix !== 2 && prefix !== 3)) {
    throw new E2eidError('ERR_DID_INVALID', `${crv} key must be a ${c.len + 1}-byte compressed point`)
  }
  const x = toBigInt(point.subarray(1))
  if (x >= c.p) throw new E2eidError('ERR_DID_INVALID', `${crv} x coordinate out of range`)
  const rhs = (((x * x * x - 3n * x + c.b) % c.p) + c.p) % c.p
  let y = modPow(rhs, (c.p + 1n) / 4n, c.p)
  if ((y * y) % c.p !== rhs) throw new E2eidError('ERR_DID_INVALID', `${crv} point is not on the curve`)
  if (Number(y & 1n) !== (prefix & 1)) y = c.p - y
  return { kty: 'EC', crv, x: base64urlEncode(point.subarray(1)), y: base64urlEncode(toBytes(y, c.len)) }
}
