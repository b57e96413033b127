/**
 * @module jose/decode
 * Splitting and decoding a JWS Compact Serialization (RFC 7515 §7.1) without verifying it.
 */
import { E2eidError } from '../errors.js'
import { base64urlDecode } from '../encoding/base64url.js'
import { utf8Decode } from '../encoding/bytes.js'

/** A JOSE header (RFC 7515 §4) as decoded JSON. */
export interface JwsHeader {
  alg: string
  typ?: string
  kid?: string
  crit?: string[]
  [name: string]: unknown
}

/** A JWT claims set as decoded JSON. */
export type JwtPayload = Record<string, unknown>

/** The parts of a compact JWS, decoded. */
export interface DecodedJws {
  header: JwsHeader
  payload: JwtPayload
  /** `BASE64URL(header) '.' BASE64URL(payload)`, the signing input. */
  signingInput: string
  signature: Uint8Array
}

export function decodeJsonObject(part: string, what: string, code: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(utf8Decode(base64urlDecode(part)))
  } catch (e) {
    throw new E2eidError(code, `JWS ${what} is not base64url-encoded JSON`, { cause: e })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new E2eidError(code, `JWS ${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

/** Splits and decodes a compact JWS; throws ERR_JWS_MALFORMED, ERR_JWS_HEADER_INVALID or ERR_JWT_PAYLOAD_INVALID. */
export function decodeJws(compact: string): DecodedJws {
  if (typeof compact !== 'string') throw new E2eidError('ERR_JWS_MALFORMED', 'JWS must be a string')
  const first = compact.indexOf('.')
  const second = first < 0 ? -1 : compact.indexOf('.', first + 1)
  if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
    throw new E2eidError('ERR_JWS_MALFORMED', 'JWS compact serialization must have exactly three parts')
  }
  const h = compact.slice(0, first)
  const p = compact.slice(first + 1, second)
  const s = compact.slice(second + 1)
  if (h.length === 0 || s.length === 0) throw new E2eidError('ERR_JWS_MALFORMED', 'JWS header or signature is empty')
  const header = decodeJsonObject(h, 'header', 'ERR_JWS_HEADER_INVALID')
  if (typeof header.alg !== 'string') throw new E2eidError('ERR_JWS_HEADER_INVALID', 'JWS header has no "alg"')
  const payload = decodeJsonObject(p, 'payload', 'ERR_JWT_PAYLOAD_INVALID')
  let signature: Uint8Array
  try {
    signature = base64urlDecode(s)
  } catch (e) {
    throw new E2eidError('ERR_JWS_MALFORMED', 'JWS signature is not base64url', { cause: e })
  }
  return { header: header as JwsHeader, payload, signingInput: compact.slice(0, second), signature }
}

/**
 * Decodes a compact JWT's header and payload WITHOUT checking anything else. Only for
 * display and for choosing a key; never trust the result.
 */
export function decodeJwtUnverified(compact: string): { header: JwsHeader; payload: JwtPayload } {
  const { header, payload } = decodeJws(compact)
  return { header, payload }
}
