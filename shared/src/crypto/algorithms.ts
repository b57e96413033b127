/**
 * @module crypto/algorithms
 * The one table of signature algorithms e2eid accepts (deny by default: anything
 * not here is rejected). JOSE names, COSE ids (polymorphic and RFC 9864 fully
 * specified), curve, hash and raw signature length in one place.
 */
import { E2eidError } from '../errors.js'

/** JOSE `alg` names that e2eid signs and verifies with. */
export type SignatureAlgorithm = 'ES256' | 'ES384' | 'EdDSA'
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512'
export type Curve = 'P-256' | 'P-384' | 'Ed25519'

export interface AlgorithmDescriptor {
  readonly alg: SignatureAlgorithm
  /** The COSE id we emit (RFC 9053 polymorphic id, as the SD-CWT draft's examples do). */
  readonly coseId: number
  /** Every COSE id accepted for this algorithm: the polymorphic one and RFC 9864's fully specified one. */
  readonly coseIds: readonly number[]
  /** RFC 9864 fully specified JOSE names also accepted on input. */
  readonly joseAliases: readonly string[]
  readonly kty: 'EC' | 'OKP'
  readonly crv: Curve
  /** Hash used by the signature (ECDSA); EdDSA hashes internally. */
  readonly hash: HashAlgorithm | undefined
  /** Length of the raw signature: r||s for ECDSA (RFC 9053 §2.1), 64 for Ed25519. */
  readonly signatureLength: number
  /** Byte length of one coordinate (or the Ed25519 public key). */
  readonly coordinateLength: number
}

const TABLE: readonly AlgorithmDescriptor[] = [
  { alg: 'ES256', coseId: -7, coseIds: [-7, -9], joseAliases: ['ESP256'], kty: 'EC', crv: 'P-256', hash: 'SHA-256', signatureLength: 64, coordinateLength: 32 },
  { alg: 'ES384', coseId: -35, coseIds: [-35, -51], joseAliases: ['ESP384'], kty: 'EC', crv: 'P-384', hash: 'SHA-384', signatureLength: 96, coordinateLength: 48 },
  { alg: 'EdDSA', coseId: -8, coseIds: [-8, -19], joseAliases: ['Ed25519'], kty: 'OKP', crv: 'Ed25519', hash: undefined, signatureLength: 64, coordinateLength: 32 },
]

/** Every supported algorithm. */
export const SIGNATURE_ALGORITHMS: readonly AlgorithmDescriptor[] = TABLE

/** Looks up a JOSE `alg` (or an RFC 9864 alias); throws ERR_ALG_NOT_ALLOWED for anything else, `none` included. */
export function algorithmFromJose(alg: unknown): AlgorithmDescriptor {
  const d = TABLE.find((t) => t.alg === alg || t.joseAliases.includes(alg as string))
  if (d === undefined) throw new E2eidError('ERR_ALG_NOT_ALLOWED', `algorithm ${JSON.stringify(alg)} is not allowed`)
  return d
}

/** Looks up a COSE alg id; throws ERR_ALG_NOT_ALLOWED for anything else. */
export function algorithmFromCose(id: unknown): AlgorithmDescriptor {
  const d = typeof id === 'number' ? TABLE.find((t) => t.coseIds.includes(id)) : undefined
  if (d === undefined) throw new E2eidError('ERR_ALG_NOT_ALLOWED', `COSE algorithm ${String(id)} is not allowed`)
  return d
}

/** The algorithm a key's curve implies (each curve has exactly one here). */
export function algorithmForCurve(crv: unknown): AlgorithmDescriptor {
  const d = TABLE.find((t) => t.crv === crv)
  if (d === undefined) throw new E2eidError('ERR_KEY_UNSUPPORTED', `curve ${String(crv)} is not supported`)
  return d
}
