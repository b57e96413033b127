/**
 * @module crypto/jwk
 * The public and private key shapes e2eid works with (RFC 7517/8037 JWK), and
 * checks that a key fits an algorithm (the alg must match the key).
 */
import { E2eidError } from '../errors.js'
import { base64urlDecode } from '../encoding/base64url.js'
import type { AlgorithmDescriptor } from './algorithms.js'
import { algorithmForCurve } from './algorithms.js'
import { assertStrictEd25519PublicKey } from './ed25519.js'

export interface EcPublicJwk {
  kty: 'EC'
  crv: 'P-256' | 'P-384'
  x: string
  y: string
  kid?: string
  alg?: string
  use?: string
}
export interface OkpPublicJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  kid?: string
  alg?: string
  use?: string
}
export type PublicJwk = EcPublicJwk | OkpPublicJwk
export type PrivateJwk = PublicJwk & { d: string }

/** A generated or imported key pair. */
export interface KeyPair {
  publicJwk: PublicJwk
  privateJwk: PrivateJwk
}

function b64Len(v: unknown, len: number, what: string): Uint8Array {
  if (typeof v !== 'string') throw new E2eidError('ERR_KEY_INVALID', `JWK ${what} is missing`)
  let bytes: Uint8Array
  try {
    bytes = base64urlDecode(v)
  } catch (e) {
    throw new E2eidError('ERR_KEY_INVALID', `JWK ${what} is not base64url`, { cause: e })
  }
  if (bytes.length !== len) throw new E2eidError('ERR_KEY_INVALID', `JWK ${what} has ${bytes.length} bytes, expected ${len}`)
  return bytes
}

// Results of parsePublicJwk / parsePrivateJwk by input object. Keys are parsed again on every layer (COSE, JOSE,
// the provider); a hit skips the base64url decoding when the input still has the members it had (compared on
// every hit, so a caller that mutates its JWK object gets a fresh parse). Outputs are frozen and map to themselves.
const publicParsed = new WeakMap<object, PublicJwk>()
const privateParsed = new WeakMap<object, PrivateJwk>()

function optionalText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function samePublicMembers(v: Record<string, unknown>, p: PublicJwk): boolean {
  return (
    v.kty === p.kty &&
    v.crv === p.crv &&
    v.x === p.x &&
    (p.kty !== 'EC' || v.y === p.y) &&
    optionalText(v.kid) === p.kid &&
    optionalText(v.alg) === p.alg &&
    optionalText(v.use) === p.use
  )
}

/**
 * Validates an untrusted value as a public JWK of a supported curve and returns
 * only its public members (a private `d` is dropped, never copied along). The result is frozen.
 */
export function parsePublicJwk(value: unknown): PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new E2eidError('ERR_KEY_INVALID', 'JWK must be a JSON object')
  }
  const v = value as Record<string, unknown>
  const hit = publicParsed.get(value)
  if (hit !== undefined && samePublicMembers(v, hit)) return hit
  const desc = algorithmForCurve(v.crv)
  if (v.kty !== desc.kty) throw new E2eidError('ERR_KEY_INVALID', `JWK kty ${String(v.kty)} does not fit curve ${desc.crv}`)
  const x = b64Len(v.x, desc.coordinateLength, 'x')
  // Small-order and non-canonical Ed25519 keys are refused where any key is parsed (ERR_KEY_ED25519_WEAK).
  if (desc.kty === 'OKP') assertStrictEd25519PublicKey(x)
  const out: Record<string, unknown> = { kty: v.kty, crv: v.crv, x: v.x }
  if (desc.kty === 'EC') {
    b64Len(v.y, desc.coordinateLength, 'y')
    out.y = v.y
  }
  if (typeof v.kid === 'string') out.kid = v.kid
  if (typeof v.alg === 'string') out.alg = v.alg
  if (typeof v.use === 'string') out.use = v.use
  const parsed = Object.freeze(out) as unknown as PublicJwk
  publicParsed.set(value, parsed)
  publicParsed.set(parsed, parsed)
  return parsed
}

/**
 * @internal For converters that built `jwk` from bytes whose lengths they checked (COSE_Key → JWK): freezes it
 * and records it as parsed, so that later parsePublicJwk calls on it skip the base64url decoding.
 */
export function asParsedPublicJwk(jwk: PublicJwk): PublicJwk {
  const parsed = Object.freeze(jwk)
  publicParsed.set(parsed, parsed)
  return parsed
}

/** Validates an untrusted value as a private JWK of a supported curve. The result is frozen. */
export function parsePrivateJwk(value: unknown): PrivateJwk {
  const pub = parsePublicJwk(value)
  const d = (value as Record<string, unknown>).d
  const hit = privateParsed.get(value as object)
  if (hit !== undefined && hit.d === d && samePublicMembers(hit as unknown as Record<string, unknown>, pub)) return hit
  b64Len(d, algorithmForCurve(pub.crv).coordinateLength, 'd')
  const parsed = Object.freeze({ ...pub, d: d as string }) as PrivateJwk
  privateParsed.set(value as object, parsed)
  privateParsed.set(parsed, parsed)
  return parsed
}

/** The public half of a private JWK. */
export function publicJwkOf(key: PrivateJwk | PublicJwk): PublicJwk {
  return parsePublicJwk(key)
}

/** Throws ERR_ALG_KEY_MISMATCH unless `key` is a key of `alg`'s curve (RFC 9052 §8: alg must match the key). */
export function assertKeyFitsAlgorithm(key: PublicJwk, desc: AlgorithmDescriptor): void {
  if (key.kty !== desc.kty || key.crv !== desc.crv) {
    throw new E2eidError('ERR_ALG_KEY_MISMATCH', `a ${key.crv} key cannot be used with ${desc.alg}`)
  }
  if (key.alg !== undefined && key.alg !== desc.alg && !desc.joseAliases.includes(key.alg)) {
    throw new E2eidError('ERR_ALG_KEY_MISMATCH', `key is restricted to ${key.alg}, not ${desc.alg}`)
  }
}
