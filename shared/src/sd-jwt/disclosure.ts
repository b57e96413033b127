/**
 * @module sd-jwt/disclosure
 * Disclosures (RFC 9901 §4.2): base64url(UTF-8(JSON `[salt, name, value]`)) for an object
 * property, `[salt, value]` for an array element. The digest is over the base64url string as
 * transmitted (§4.2.3), so equivalent JSON encodings give different, equally valid digests.
 */
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { sdJwtError } from './errors.js'
import { digestText } from './hash.js'
import type { JsonStyle } from './json.js'
import { decodeJsonSegment, encodeJson } from './json.js'

/** A disclosure with its digest. `name` is undefined for an array element. */
export interface Disclosure {
  readonly encoded: string
  readonly digest: string
  readonly salt: string
  readonly name: string | undefined
  readonly value: unknown
}

/** Names that can never be disclosed (§4.2.1). */
function isReservedClaimName(name: string): boolean {
  return name === '_sd' || name === '...'
}

/** Decodes and hashes a received disclosure; ERR_SDJWT_DISCLOSURE_MALFORMED unless it has the §4.2 shape. */
export function decodeDisclosure(provider: CryptoProvider, hash: HashAlgorithm, encoded: string): Disclosure {
  const arr = decodeJsonSegment(encoded, 'ERR_SDJWT_DISCLOSURE_MALFORMED', 'disclosure')
  if (!Array.isArray(arr) || (arr.length !== 2 && arr.length !== 3)) {
    throw sdJwtError('ERR_SDJWT_DISCLOSURE_MALFORMED', 'disclosure must be a JSON array of 2 or 3 elements')
  }
  const salt: unknown = arr[0]
  if (typeof salt !== 'string') throw sdJwtError('ERR_SDJWT_DISCLOSURE_MALFORMED', 'disclosure salt must be a string')
  let name: string | undefined
  if (arr.length === 3) {
    const n: unknown = arr[1]
    if (typeof n !== 'string') throw sdJwtError('ERR_SDJWT_DISCLOSURE_MALFORMED', 'disclosure claim name must be a string')
    if (isReservedClaimName(n)) throw sdJwtError('ERR_SDJWT_DISCLOSURE_RESERVED_NAME', `disclosure claim name ${JSON.stringify(n)} is reserved (§7.1 step 3.c.ii.2)`)
    name = n
  }
  return { encoded, digest: digestText(provider, hash, encoded), salt, name, value: arr[arr.length - 1] as unknown }
}

/** Creates a disclosure for an object property (`name` given) or an array element. */
export function createDisclosure(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  salt: string,
  name: string | undefined,
  value: unknown,
  style: JsonStyle = 'compact',
): Disclosure {
  const json = encodeJson(name === undefined ? [salt, value] : [salt, name, value], style)
  const encoded = base64urlEncode(utf8Encode(json))
  return { encoded, digest: digestText(provider, hash, encoded), salt, name, value }
}
