/**
 * @module cose/sign1
 * COSE_Sign1 (RFC 9052 §4.2, tag 18): sign, decode and verify over a {@link CryptoProvider}, behind the
 * algorithm allow-list of `crypto/algorithms.ts` (ES256, ES384, EdDSA; polymorphic -7/-35/-8 and
 * RFC 9864 fully specified -9/-51/-19 ids). The alg must match the key (RFC 9052 §8).
 * Verification uses the received protected and payload bytes as they are (never re-encoded).
 */
import { E2eidError } from '../errors.js'
import type { AlgorithmDescriptor, SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmFromCose, algorithmFromJose } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { assertKeyFitsAlgorithm, parsePublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { transientBytes, utf8Decode } from '../encoding/bytes.js'
import { decodeCbor } from '../cbor/decode.js'
import type { DecodeCborOptions } from '../cbor/decode.js'
import { bstrHeadLength, encodeCbor, writeBstrHead } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'

/** COSE header labels used by e2eid (RFC 9052 §3.1, RFC 9596, RFC 9597, RFC 9528). */
export const COSE_HEADER = { alg: 1, crit: 2, contentType: 3, kid: 4, kcwt: 13, cwtClaims: 15, typ: 16 } as const
/** CBOR tag of COSE_Sign1. */
export const COSE_SIGN1_TAG = 18

/** A decoded COSE_Sign1 with the exact received bytes of its protected header, payload and signature. */
export interface CoseSign1 {
  /** The protected header exactly as received (the bstr content; may be empty). */
  readonly protectedBytes: Uint8Array
  /** The protected header, decoded. */
  readonly protectedHeaders: Map<unknown, unknown>
  /** The unprotected header. */
  readonly unprotectedHeaders: Map<unknown, unknown>
  /** The payload exactly as received, or null when detached. */
  readonly payload: Uint8Array | null
  /** The raw signature (ECDSA r||s or Ed25519). */
  readonly signature: Uint8Array
}

/** Options for {@link decodeCoseSign1} and {@link parseCoseSign1}. */
export interface DecodeCoseSign1Options extends DecodeCborOptions {
  /** Require tag 18 (default true). When false an untagged array is accepted too; another tag is always refused. */
  requireTag?: boolean
  /** Header labels the caller understands and that may be listed in `crit` (2). Default none: any `crit` is refused. */
  understoodCritical?: readonly (number | string)[]
}

function headerMap(v: unknown, what: string): Map<unknown, unknown> {
  if (!(v instanceof Map)) throw new E2eidError('ERR_COSE_MALFORMED', `COSE_Sign1 ${what} header must be a map`)
  for (const k of v.keys()) {
    if (typeof k !== 'string' && !Number.isSafeInteger(k)) throw new E2eidError('ERR_COSE_HEADER_INVALID', `COSE ${what} header label ${String(k)} is not an int or tstr`)
  }
  return v
}

/**
 * Parses an already decoded COSE_Sign1 value (e.g. the SD-CWT embedded in a KBT's `kcwt` header).
 * Errors: ERR_COSE_MALFORMED, ERR_COSE_TAG_MISSING, ERR_COSE_WRONG_TAG, ERR_COSE_HEADER_INVALID,
 * ERR_COSE_DUPLICATE_HEADER, ERR_COSE_CRIT_UNSUPPORTED, and the ERR_CBOR_* codes of the protected header.
 */
export function parseCoseSign1(value: unknown, options: DecodeCoseSign1Options = {}): CoseSign1 {
  let arr = value
  if (value instanceof CborTag) {
    if (value.tag !== COSE_SIGN1_TAG) throw new E2eidError('ERR_COSE_WRONG_TAG', `expected tag 18 (COSE_Sign1), got tag ${value.tag}`)
    arr = value.value
  } else if (options.requireTag !== false) {
    throw new E2eidError('ERR_COSE_TAG_MISSING', 'COSE_Sign1 must be tagged 18')
  }
  if (!Array.isArray(arr) || arr.length !== 4) throw new E2eidError('ERR_COSE_MALFORMED', 'COSE_Sign1 must be an array of 4 items')
  const [prot, unprot, payload, signature] = arr as [unknown, unknown, unknown, unknown]
  if (!(prot instanceof Uint8Array)) throw new E2eidError('ERR_COSE_MALFORMED', 'COSE_Sign1 protected header must be a byte string')
  if (!(payload instanceof Uint8Array) && payload !== null) throw new E2eidError('ERR_COSE_MALFORMED', 'COSE_Sign1 payload must be a byte string or nil')
  if (!(signature instanceof Uint8Array)) throw new E2eidError('ERR_COSE_MALFORMED', 'COSE_Sign1 signature must be a byte string')
  // RFC 9052 §3: an empty protected header is the zero-length byte string.
  const protectedHeaders = prot.length === 0 ? new Map<unknown, unknown>() : headerMap(decodeCbor(prot, options), 'protected')
  const unprotectedHeaders = headerMap(unprot, 'unprotected')
  for (const k of unprotectedHeaders.keys()) {
    if (protectedHeaders.has(k)) throw new E2eidError('ERR_COSE_DUPLICATE_HEADER', `COSE header label ${String(k)} is in both the protected and the unprotected header`)
  }
  if (unprotectedHeaders.has(COSE_HEADER.crit)) throw new E2eidError('ERR_COSE_HEADER_INVALID', 'crit must be in the protected header')
  const crit = protectedHeaders.get(COSE_HEADER.crit)
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0) throw new E2eidError('ERR_COSE_HEADER_INVALID', 'crit must be a non-empty array')
    for (const c of crit) {
      if (!(options.understoodCritical ?? []).includes(c as number)) throw new E2eidError('ERR_COSE_CRIT_UNSUPPORTED', `critical header ${String(c)} is not understood`)
      if (!protectedHeaders.has(c)) throw new E2eidError('ERR_COSE_HEADER_INVALID', `critical header ${String(c)} is missing`)
    }
  }
  return { protectedBytes: prot, protectedHeaders, unprotectedHeaders, payload, signature }
}

/** Decodes a COSE_Sign1 from bytes with the strict CBOR decoder; see {@link parseCoseSign1} for the checks. */
export function decodeCoseSign1(bytes: Uint8Array, options: DecodeCoseSign1Options = {}): CoseSign1 {
  return parseCoseSign1(decodeCbor(bytes, options), options)
}

/** `84 6a "Signature1"`: an array of 4 and its first element (RFC 9052 §4.4). */
const SIGNATURE1_PREFIX = new Uint8Array([0x84, 0x6a, 0x53, 0x69, 0x67, 0x6e, 0x61, 0x74, 0x75, 0x72, 0x65, 0x31])

/** The default external_aad: empty (only read). */
const NO_AAD = new Uint8Array(0)

/**
 * The RFC 9052 §4.4 Sig_structure for COSE_Sign1: `["Signature1", body_protected, external_aad, payload]`.
 * Built in one allocation (every sign and verify goes through here); the same bytes as `encodeCbor` of that array.
 * Below 2 KiB the bytes are a view into a shared slab (see `transientBytes`): sign or verify them and drop them.
 */
export function sigStructure1(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = NO_AAD): Uint8Array {
  const parts = [protectedBytes, externalAad, payload] as const
  let size = SIGNATURE1_PREFIX.length
  for (const b of parts) {
    if (b.length >= 2 ** 32) throw new E2eidError('ERR_CBOR_UNSUPPORTED', 'a COSE_Sign1 part of 4 GiB or more')
    size += bstrHeadLength(b.length) + b.length
  }
  // Transient (signed or verified, then dropped): carved from a shared slab below 2 KiB.
  const out = transientBytes(size)
  out.set(SIGNATURE1_PREFIX, 0)
  let at = SIGNATURE1_PREFIX.length
  for (const b of parts) {
    at = writeBstrHead(out, at, b.length)
    out.set(b, at)
    at += b.length
  }
  return out
}

/** Input of {@link signCoseSign1}. */
export interface SignCoseSign1Input {
  /** Protected header (labels in the order given). `alg` (1) is added first when missing; when present it must fit the key. */
  protectedHeaders: Map<unknown, unknown>
  /** Unprotected header; default empty. */
  unprotectedHeaders?: Map<unknown, unknown>
  payload: Uint8Array
  key: PrivateJwk
  /** Default: the algorithm of the key's curve (ES256 for P-256, ES384 for P-384, EdDSA for Ed25519). */
  alg?: SignatureAlgorithm
  provider: CryptoProvider
  externalAad?: Uint8Array
  /** Emit tag 18 (default true). */
  tagged?: boolean
}

function describeAlg(input: SignCoseSign1Input): AlgorithmDescriptor {
  const headerAlg = input.protectedHeaders.get(COSE_HEADER.alg)
  const desc = headerAlg !== undefined ? algorithmFromCose(headerAlg) : input.alg !== undefined ? algorithmFromJose(input.alg) : undefined
  const d = desc ?? algorithmFromJose(defaultAlg(input.key))
  if (input.alg !== undefined && algorithmFromJose(input.alg).alg !== d.alg) throw new E2eidError('ERR_ALG_KEY_MISMATCH', `alg ${input.alg} disagrees with the protected header alg`)
  assertKeyFitsAlgorithm(parsePublicJwk(input.key), d)
  return d
}

/** The algorithm e2eid uses for a key's curve. */
export function defaultAlg(key: PublicJwk): SignatureAlgorithm {
  return key.crv === 'P-256' ? 'ES256' : key.crv === 'P-384' ? 'ES384' : 'EdDSA'
}

/** Builds the four COSE_Sign1 parts (before tagging); used when a COSE_Sign1 is embedded rather than encoded alone. */
export async function signCoseSign1Parts(input: SignCoseSign1Input): Promise<[Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array]> {
  const desc = describeAlg(input)
  let headers = input.protectedHeaders
  if (!headers.has(COSE_HEADER.alg)) headers = new Map<unknown, unknown>([[COSE_HEADER.alg, desc.coseId], ...headers])
  const protectedBytes = encodeCbor(headers)
  const toSign = sigStructure1(protectedBytes, input.payload, input.externalAad)
  const signature = await input.provider.sign(desc.alg, input.key, toSign)
  return [protectedBytes, input.unprotectedHeaders ?? new Map(), input.payload, signature]
}

/** Signs a COSE_Sign1 and returns its encoding (tag 18 unless `tagged: false`). */
export async function signCoseSign1(input: SignCoseSign1Input): Promise<Uint8Array> {
  const parts = await signCoseSign1Parts(input)
  return encodeCbor(input.tagged === false ? parts : new CborTag(COSE_SIGN1_TAG, parts))
}

/** Options for {@link verifyCoseSign1}. */
export interface VerifyCoseSign1Options {
  /** Candidate public keys; those that fit the alg are tried, keys whose `kid` equals the header kid first. */
  keys: PublicJwk | readonly PublicJwk[]
  provider: CryptoProvider
  /** Narrows the allow-list further (JOSE names). Default: every algorithm of `crypto/algorithms.ts`. */
  allowedAlgorithms?: readonly SignatureAlgorithm[]
  externalAad?: Uint8Array
  /** The payload of a detached COSE_Sign1 (payload nil). */
  detachedPayload?: Uint8Array
}

/** What {@link verifyCoseSign1} found. */
export interface VerifiedCoseSign1 {
  /** The key that verified the signature. */
  key: PublicJwk
  alg: AlgorithmDescriptor
}

function kidOf(headers: Map<unknown, unknown>): string | undefined {
  const kid = headers.get(COSE_HEADER.kid)
  if (typeof kid === 'string') return kid
  if (kid instanceof Uint8Array) {
    try {
      return utf8Decode(kid)
    } catch {
      return undefined
    }
  }
  return undefined
}

/**
 * Verifies a COSE_Sign1's signature. `alg` must be in the protected header and allowed, and must fit the key.
 * Errors: ERR_COSE_ALG_MISSING, ERR_ALG_NOT_ALLOWED, ERR_ALG_KEY_MISMATCH (no candidate key fits the alg),
 * ERR_COSE_DETACHED_PAYLOAD, ERR_KEY_INVALID (a key the provider cannot import), ERR_COSE_SIGNATURE_INVALID.
 */
export async function verifyCoseSign1(msg: CoseSign1, options: VerifyCoseSign1Options): Promise<VerifiedCoseSign1> {
  const algId = msg.protectedHeaders.get(COSE_HEADER.alg)
  if (algId === undefined) throw new E2eidError('ERR_COSE_ALG_MISSING', 'COSE_Sign1 has no alg in its protected header')
  const desc = algorithmFromCose(algId)
  if (options.allowedAlgorithms !== undefined && !options.allowedAlgorithms.includes(desc.alg)) {
    throw new E2eidError('ERR_ALG_NOT_ALLOWED', `algorithm ${desc.alg} is not allowed here`)
  }
  const payload = msg.payload ?? options.detachedPayload
  if (payload === undefined) throw new E2eidError('ERR_COSE_DETACHED_PAYLOAD', 'COSE_Sign1 payload is detached and none was supplied')
  const all = Array.isArray(options.keys) ? (options.keys as readonly PublicJwk[]) : [options.keys as PublicJwk]
  const fitting = all.filter((k) => {
    try {
      assertKeyFitsAlgorithm(k, desc)
      return true
    } catch {
      return false
    }
  })
  if (fitting.length === 0) {
    if (all.length === 1) assertKeyFitsAlgorithm(all[0]!, desc)
    throw new E2eidError('ERR_ALG_KEY_MISMATCH', `no key fits algorithm ${desc.alg}`)
  }
  const kid = kidOf(msg.protectedHeaders) ?? kidOf(msg.unprotectedHeaders)
  const ordered = kid === undefined ? fitting : [...fitting.filter((k) => k.kid === kid), ...fitting.filter((k) => k.kid !== kid)]
  const toVerify = sigStructure1(msg.protectedBytes, payload, options.externalAad)
  for (const key of ordered) {
    let ok: boolean
    try {
      ok = await options.provider.verify(desc.alg, key, toVerify, msg.signature)
    } catch (e) {
      if (e instanceof E2eidError) throw e
      throw new E2eidError('ERR_KEY_INVALID', 'the verification key could not be used', { cause: e })
    }
    if (ok) return { key, alg: desc }
  }
  throw new E2eidError('ERR_COSE_SIGNATURE_INVALID', 'COSE_Sign1 signature does not verify')
}
