/**
 * @module sd-jwt/json-serialization
 * The JWS JSON serializations of an SD-JWT or SD-JWT+KB (RFC 9901 §8): the issuer-signed JWT as a JWS in the
 * Flattened or General JSON Serialization (RFC 7515 §7.2), the Disclosures in the unprotected header member
 * `disclosures`, the KB-JWT in `kb_jwt`. In the General form they sit in the first signature's header only and
 * MUST NOT appear in another (§8.1); only the first signature is used (it is the one the compact form, and so
 * `sd_hash`, is built from). Conversion to and from the compact form (§4) is lossless for the first signature;
 * verification runs on the compact form, where `sd_hash` is computed (§8.1).
 */
import type { SdJwtErrorCode } from './errors.js'
import { sdJwtError } from './errors.js'
import { DEFAULT_MAX_SD_JWT_LENGTH, splitSdJwt } from './compact.js'

/** The unprotected header members of §8.1. */
export interface SdJwtJsonHeader {
  disclosures: string[]
  kb_jwt?: string
}

/** Flattened JSON Serialization (RFC 7515 §7.2.2). */
export interface SdJwtFlattenedJson {
  header: SdJwtJsonHeader
  payload: string
  protected: string
  signature: string
}

/** General JSON Serialization (RFC 7515 §7.2.1); §8.1 members in the first signature's header only. */
export interface SdJwtGeneralJson {
  payload: string
  signatures: { header?: Record<string, unknown>; protected: string; signature: string }[]
}

const B64URL = /^[A-Za-z0-9_-]*$/
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

function fail(message: string, code: SdJwtErrorCode = 'ERR_SDJWT_MALFORMED'): never {
  throw sdJwtError(code, message)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function segment(v: unknown, name: string, nonEmpty = true): string {
  if (typeof v !== 'string' || !B64URL.test(v) || (nonEmpty && v === '')) fail(`${name} must be a base64url string`)
  return v
}

/** The §8.1 members of a header: every Disclosure a non-empty base64url string, `kb_jwt` a compact JWS. */
function sdMembers(h: Record<string, unknown>): { disclosures: string[]; kbJwt: string | undefined } {
  const d = h.disclosures
  if (!Array.isArray(d)) fail('the unprotected header has no disclosures array')
  const disclosures = d.map((x, i) => segment(x, `disclosures[${i}]`))
  const kb = h.kb_jwt
  if (kb !== undefined && (typeof kb !== 'string' || !JWS_COMPACT.test(kb))) fail('kb_jwt must be a compact JWS')
  return { disclosures, kbJwt: kb as string | undefined }
}

function compactOf(protectedB64: string, payload: string, signature: string, disclosures: readonly string[], kbJwt: string | undefined): string {
  return `${protectedB64}.${payload}.${signature}~${disclosures.map((d) => `${d}~`).join('')}${kbJwt ?? ''}`
}

/**
 * The compact form (§4) of an SD-JWT or SD-JWT+KB in a JWS JSON Serialization (an object, or its JSON text);
 * General: built from the first signature. ERR_SDJWT_MALFORMED when the structure is not that of §8
 * (including §8.1 members in a later signature's header), ERR_SDJWT_TOO_LARGE over `maxLength` characters.
 */
export function sdJwtFromJsonSerialization(input: unknown, maxLength = DEFAULT_MAX_SD_JWT_LENGTH): string {
  let json = input
  if (typeof input === 'string') {
    if (input.length > maxLength) fail(`SD-JWT longer than ${maxLength} characters`, 'ERR_SDJWT_TOO_LARGE')
    try {
      json = JSON.parse(input)
    } catch {
      fail('the JSON serialization is not JSON')
    }
  }
  if (!isObject(json)) fail('the JSON serialization is not a JSON object')
  const payload = segment(json.payload, 'payload')
  let compact: string
  if (json.signatures !== undefined) {
    if (json.protected !== undefined || json.signature !== undefined || json.header !== undefined) fail('a General JSON Serialization has no top-level protected, signature or header')
    const sigs = json.signatures
    if (!Array.isArray(sigs) || sigs.length === 0) fail('signatures must be a non-empty array')
    const first = sigs[0]
    sigs.forEach((s: unknown, i) => {
      if (!isObject(s)) fail(`signatures[${i}] is not an object`)
      segment(s.protected, `signatures[${i}].protected`)
      segment(s.signature, `signatures[${i}].signature`)
      if (s.header !== undefined && !isObject(s.header)) fail(`signatures[${i}].header is not an object`)
      // §8.1: the Disclosures and the KB-JWT belong to the first signature only.
      if (i > 0 && isObject(s.header) && ('disclosures' in s.header || 'kb_jwt' in s.header)) fail(`signatures[${i}].header carries disclosures or kb_jwt (only the first may)`)
    })
    const f = first as Record<string, unknown>
    if (!isObject(f.header)) fail('the first signature has no unprotected header with disclosures')
    const { disclosures, kbJwt } = sdMembers(f.header)
    compact = compactOf(f.protected as string, payload, f.signature as string, disclosures, kbJwt)
  } else {
    if (!isObject(json.header)) fail('a Flattened JSON Serialization needs an unprotected header with disclosures')
    const { disclosures, kbJwt } = sdMembers(json.header)
    compact = compactOf(segment(json.protected, 'protected'), payload, segment(json.signature, 'signature'), disclosures, kbJwt)
  }
  if (compact.length > maxLength) fail(`SD-JWT longer than ${maxLength} characters`, 'ERR_SDJWT_TOO_LARGE')
  return compact
}

/** The JWS JSON Serialization (§8) of a compact SD-JWT or SD-JWT+KB; `general` puts one signature in `signatures`. */
export function sdJwtToJsonSerialization(compact: string, form: 'flattened'): SdJwtFlattenedJson
export function sdJwtToJsonSerialization(compact: string, form: 'general'): SdJwtGeneralJson
export function sdJwtToJsonSerialization(compact: string, form: 'flattened' | 'general' = 'flattened'): SdJwtFlattenedJson | SdJwtGeneralJson {
  const parts = splitSdJwt(compact)
  if (!JWS_COMPACT.test(parts.jwt)) fail('the issuer-signed JWT is not a three-part compact JWS')
  for (const [i, d] of parts.disclosures.entries()) segment(d, `disclosure ${i}`)
  if (parts.kbJwt !== undefined && !JWS_COMPACT.test(parts.kbJwt)) fail('the KB-JWT is not a three-part compact JWS')
  const [protectedB64, payload, signature] = parts.jwt.split('.') as [string, string, string]
  const header: SdJwtJsonHeader = { disclosures: [...parts.disclosures], ...(parts.kbJwt === undefined ? {} : { kb_jwt: parts.kbJwt }) }
  if (form === 'general') return { payload, signatures: [{ header: { ...header }, protected: protectedB64, signature }] }
  return { header, payload, protected: protectedB64, signature }
}

/** True when `text` looks like a JWS JSON Serialization (a JSON object), not a compact SD-JWT. */
export function isSdJwtJsonSerialization(text: string): boolean {
  return text.trimStart().startsWith('{')
}
