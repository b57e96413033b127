/**
 * @module sd-cwt/disclosure
 * Salted Disclosed Claims (§3): `[salt, value, key]` for a map entry, `[salt, value]` for an array element,
 * `[salt]` for a decoy. Order salt, value, key since -04. Each travels as a byte string holding its encoding.
 */
import { E2eidError } from '../errors.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { SALT_LENGTH } from './constants.js'

const utf8 = new TextEncoder()

/** A decoded disclosure, with the exact bytes it came from. */
export interface Disclosure {
  /** The encoded array exactly as received (content of the `sd_claims` byte string). */
  readonly bytes: Uint8Array
  readonly kind: 'claim' | 'element' | 'decoy'
  readonly salt: Uint8Array
  /** The disclosed value (may itself contain redactions); undefined for decoys. */
  readonly value: unknown
  /** The claim label of a map entry. */
  readonly key?: number | string
}

/** True for a label allowed in SD-CWT claim maps: int or a text string of at most 255 bytes (§5.3). */
export function isClaimLabel(k: unknown): k is number | string {
  if (typeof k === 'number') return Number.isSafeInteger(k)
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so only long labels need encoding to check their size.
  if (typeof k === 'string') return k.length <= 85 || (k.length <= 255 && utf8.encode(k).length <= 255)
  return false
}

/**
 * Decodes one disclosure. Errors: the ERR_CBOR_* codes, ERR_SDCWT_DISCLOSURE_MALFORMED (not a 1-3 element
 * array, bad label), ERR_SDCWT_SALT_INVALID (salt not a 16-byte string).
 */
export function decodeDisclosure(bytes: Uint8Array, maxDepth?: number): Disclosure {
  const v = decodeCbor(bytes, maxDepth === undefined ? {} : { maxDepth })
  if (!Array.isArray(v) || v.length < 1 || v.length > 3) throw new E2eidError('ERR_SDCWT_DISCLOSURE_MALFORMED', 'a disclosure must be an array of 1 to 3 items')
  const salt = v[0]
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_LENGTH) throw new E2eidError('ERR_SDCWT_SALT_INVALID', `a disclosure salt must be a ${SALT_LENGTH}-byte string`)
  if (v.length === 1) return { bytes, kind: 'decoy', salt, value: undefined }
  if (v.length === 2) return { bytes, kind: 'element', salt, value: v[1] }
  const key = v[2]
  if (!isClaimLabel(key)) throw new E2eidError('ERR_SDCWT_DISCLOSURE_MALFORMED', 'a disclosure claim label must be an int or a text string of at most 255 bytes')
  return { bytes, kind: 'claim', salt, value: v[1], key }
}

/** Encodes a disclosure array: `[salt, value, key]`, `[salt, value]` or `[salt]`. */
export function encodeDisclosure(salt: Uint8Array, ...rest: [] | [value: unknown] | [value: unknown, key: number | string]): Uint8Array {
  return encodeCbor([salt, ...rest])
}
