/**
 * @module sd-jwt/compact
 * The compact serialization (RFC 9901 §4): `<JWT>~<D1>~...~<Dn>~[<KB-JWT>]`, and the
 * three-part JWS compact form (RFC 7515 §7.1) of the issuer-signed JWT and the KB-JWT.
 */
import { base64urlDecode } from '../encoding/base64url.js'
import type { SdJwtErrorCode } from './errors.js'
import { sdJwtError } from './errors.js'
import { decodeJsonSegment, isJsonObject } from './json.js'

/** Default cap on the length of a compact SD-JWT accepted for parsing (characters). */
export const DEFAULT_MAX_SD_JWT_LENGTH = 1 << 20

/** The parts of a compact SD-JWT or SD-JWT+KB, as received. */
export interface SdJwtParts {
  /** The issuer-signed JWT. */
  readonly jwt: string
  /** The disclosures, in the order sent. */
  readonly disclosures: readonly string[]
  /** The KB-JWT, or undefined when the last component is empty (no key binding). */
  readonly kbJwt: string | undefined
  /** Everything up to and including the last `~`: the input of `sd_hash` (§4.3.1). */
  readonly sdJwt: string
}

/** Splits a compact SD-JWT (§4); ERR_SDJWT_MALFORMED unless it has the `~` structure. */
export function splitSdJwt(compact: unknown, maxLength = DEFAULT_MAX_SD_JWT_LENGTH): SdJwtParts {
  if (typeof compact !== 'string') throw sdJwtError('ERR_SDJWT_MALFORMED', 'SD-JWT must be a string')
  if (compact.length > maxLength) throw sdJwtError('ERR_SDJWT_TOO_LARGE', `SD-JWT longer than ${maxLength} characters`)
  const last = compact.lastIndexOf('~')
  if (last < 0) throw sdJwtError('ERR_SDJWT_MALFORMED', 'SD-JWT has no "~" separator (a bare JWT is not an SD-JWT)')
  const parts = compact.split('~')
  const jwt = parts[0]!
  if (jwt === '') throw sdJwtError('ERR_SDJWT_MALFORMED', 'SD-JWT has no issuer-signed JWT')
  const disclosures = parts.slice(1, -1)
  for (const d of disclosures) {
    // `JWT~~KB` or `~~` in the middle: an empty disclosure is not a disclosure (§4).
    if (d === '') throw sdJwtError('ERR_SDJWT_MALFORMED', 'SD-JWT has an empty disclosure')
  }
  const kb = parts[parts.length - 1]!
  return { jwt, disclosures, kbJwt: kb === '' ? undefined : kb, sdJwt: compact.slice(0, last + 1) }
}

/** A decoded JWS compact serialization. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>
  readonly payload: Record<string, unknown>
  /** ASCII `<header>.<payload>`: what the signature covers. */
  readonly signingInput: string
  readonly signature: Uint8Array
}

/** Decodes a compact JWS with a JSON object payload; any structural failure is `code`. */
export function decodeJwt(jwt: string, code: SdJwtErrorCode, what: string): DecodedJwt {
  const dot1 = jwt.indexOf('.')
  const dot2 = dot1 < 0 ? -1 : jwt.indexOf('.', dot1 + 1)
  if (dot1 <= 0 || dot2 < 0 || jwt.indexOf('.', dot2 + 1) >= 0) throw sdJwtError(code, `${what} is not a three-part compact JWS`)
  const header = decodeJsonSegment(jwt.slice(0, dot1), code, `${what} header`)
  const payload = decodeJsonSegment(jwt.slice(dot1 + 1, dot2), code, `${what} payload`)
  if (!isJsonObject(header)) throw sdJwtError(code, `${what} header is not a JSON object`)
  if (!isJsonObject(payload)) throw sdJwtError(code, `${what} payload is not a JSON object`)
  let signature: Uint8Array
  try {
    signature = base64urlDecode(jwt.slice(dot2 + 1))
  } catch (e) {
    throw sdJwtError(code, `${what} signature is not base64url`, e)
  }
  return { header, payload, signingInput: jwt.slice(0, dot2), signature }
}
