/**
 * @module mls/credential
 * The MLS Credential of draft-mahy-mls-sd-cwt-credential-02 §2–§3 (TLS presentation language):
 *
 *     case sd_cwt: opaque sd_kbt<V>;       // one SD-KBT (COSE_Sign1, tag 18)
 *     case sd_jwt: SdJwt sd_jwt;           // Bool compacted; then parts or "<JWT>~…~<KB-JWT>"
 *
 * ts-mls (2.0.0-rc.10) carries every non-default credential as `uint16 type || opaque data<V>`.
 * For sd_cwt this is byte-for-byte the draft's wire. For sd_jwt the draft inlines the `SdJwt`
 * struct, so the ts-mls carriage adds one varint length before it (see specs/mls-profile.md §2).
 * Decoders refuse malformed, oversized or trailing input with ERR_MLS_* codes.
 */
import { E2eidError } from '../errors.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import { utf8Decode, utf8Encode } from '../encoding/bytes.js'
import type { MlsCredentialKind, MlsCredentialTypes } from './credential-types.js'
import { DEFAULT_MLS_CREDENTIAL_TYPES, mlsCredentialKindOf, mlsCredentialTypeOf } from './credential-types.js'
import { TlsReader, TlsWriter } from './tls.js'

/** `sd_cwt` credential: the SD-KBT bytes exactly as signed by the holder. */
export interface SdCwtMlsCredential {
  readonly kind: 'sd-cwt'
  readonly kbt: Uint8Array
}

/** `sd_jwt` credential, `compacted = false`: the classic `<JWT>~<D1>~…~<KB-JWT>` text. */
export interface SdJwtTextMlsCredential {
  readonly kind: 'sd-jwt'
  readonly compacted: false
  readonly sdJwtKb: string
}

/** `sd_jwt` credential, `compacted = true`: every base64url part decoded; the KB-JWT kept as its ASCII JWS. */
export interface SdJwtCompactedMlsCredential {
  readonly kind: 'sd-jwt'
  readonly compacted: true
  readonly protected: Uint8Array
  readonly payload: Uint8Array
  readonly signature: Uint8Array
  readonly disclosures: readonly Uint8Array[]
  readonly keyBinding: Uint8Array
}

export type SdJwtMlsCredential = SdJwtTextMlsCredential | SdJwtCompactedMlsCredential
export type MlsCredential = SdCwtMlsCredential | SdJwtMlsCredential

/** The shape ts-mls uses for a custom credential (`CredentialCustom`), without importing ts-mls here. */
export interface MlsCredentialCarrier {
  credentialType: number
  data: Uint8Array
}

/** Bounds on untrusted credential input. */
export interface MlsCredentialLimits {
  /** Largest credential body accepted (bytes). Default 65,536. */
  maxBytes?: number
  /** Most SD-JWT disclosures accepted. Default 256. */
  maxDisclosures?: number
}

const DEFAULT_MAX_BYTES = 65_536
const DEFAULT_MAX_DISCLOSURES = 256

function limitsOf(l: MlsCredentialLimits | undefined): Required<MlsCredentialLimits> {
  return { maxBytes: l?.maxBytes ?? DEFAULT_MAX_BYTES, maxDisclosures: l?.maxDisclosures ?? DEFAULT_MAX_DISCLOSURES }
}

// A KBT is a tagged COSE_Sign1: CBOR tag 18 (0xd2) around a 4-element array (0x84) (draft-ietf-spice-sd-cwt §8).
function assertKbtShape(kbt: Uint8Array): void {
  if (kbt.length === 0) throw new E2eidError('ERR_MLS_CREDENTIAL_EMPTY', 'sd_kbt is empty')
  if (kbt[0] !== 0xd2 || kbt[1] !== 0x84) {
    throw new E2eidError('ERR_MLS_SD_CWT_NOT_COSE_SIGN1', 'sd_kbt is not a tagged COSE_Sign1 (expected d2 84)')
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/

function b64part(text: string, what: string): Uint8Array {
  if (!B64URL.test(text)) throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', `${what} is not base64url`)
  try {
    return base64urlDecode(text)
  } catch (e) {
    throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', `${what} is not canonical base64url`, { cause: e })
  }
}

function assertJws(text: string, what: string): [string, string, string] {
  const parts = text.split('.')
  if (parts.length !== 3) throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', `${what} is not a compact JWS`)
  parts.forEach((p, i) => b64part(p, `${what} part ${i}`))
  return parts as [string, string, string]
}

interface SdJwtParts {
  jwt: [string, string, string]
  disclosures: string[]
  kbJwt: string
}

/**
 * Splits `<JWT>~<D1>~…~<Dn>~<KB-JWT>` (RFC 9901 §4). Key binding is REQUIRED for the MLS
 * credential (draft §3.2), so a presentation ending in `~` is refused.
 */
function splitSdJwtKb(text: string, limits: Required<MlsCredentialLimits>): SdJwtParts {
  if (text.length > limits.maxBytes) throw new E2eidError('ERR_MLS_CREDENTIAL_TOO_LARGE', `SD-JWT text has ${text.length} characters`)
  const parts = text.split('~')
  if (parts.length < 2) throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', 'SD-JWT has no `~` separator')
  const kbJwt = parts[parts.length - 1]!
  if (kbJwt === '') throw new E2eidError('ERR_MLS_SD_JWT_KB_MISSING', 'SD-JWT credential has no KB-JWT (key binding is required)')
  const disclosures = parts.slice(1, -1)
  if (disclosures.length > limits.maxDisclosures) {
    throw new E2eidError('ERR_MLS_TOO_MANY_DISCLOSURES', `${disclosures.length} disclosures exceed ${limits.maxDisclosures}`)
  }
  disclosures.forEach((d, i) => {
    if (d === '') throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', `disclosure ${i} is empty`)
    b64part(d, `disclosure ${i}`)
  })
  return { jwt: assertJws(parts[0]!, 'issuer JWT'), disclosures, kbJwt: assertJws(kbJwt, 'KB-JWT').join('.') }
}

/** Builds an `sd_cwt` credential from the SD-KBT bytes (checks only its outer shape). */
export function sdCwtMlsCredential(kbt: Uint8Array): SdCwtMlsCredential {
  assertKbtShape(kbt)
  return { kind: 'sd-cwt', kbt: kbt.slice() }
}

/**
 * Builds an `sd_jwt` credential from an SD-JWT+KB-JWT compact presentation. `compacted: true`
 * stores the draft's decoded form (smaller); the text form is the default.
 */
export function sdJwtMlsCredential(presentation: string, options: { compacted?: boolean } & MlsCredentialLimits = {}): SdJwtMlsCredential {
  const parts = splitSdJwtKb(presentation, limitsOf(options))
  if (options.compacted !== true) return { kind: 'sd-jwt', compacted: false, sdJwtKb: presentation }
  const [h, p, s] = parts.jwt
  return {
    kind: 'sd-jwt',
    compacted: true,
    protected: base64urlDecode(h),
    payload: base64urlDecode(p),
    signature: base64urlDecode(s),
    disclosures: parts.disclosures.map((d) => base64urlDecode(d)),
    keyBinding: utf8Encode(parts.kbJwt),
  }
}

/**
 * The SD-JWT+KB-JWT compact text of an `sd_jwt` credential (what an SD-JWT verifier takes).
 * For the compacted form, the parts are re-encoded as canonical base64url, which is exactly the
 * text the holder signed over (`sd_hash`) because the decoder accepts canonical base64url only.
 */
export function sdJwtPresentationOf(cred: SdJwtMlsCredential): string {
  if (!cred.compacted) return cred.sdJwtKb
  const jwt = [cred.protected, cred.payload, cred.signature].map((b) => base64urlEncode(b)).join('.')
  const ds = cred.disclosures.map((d) => base64urlEncode(d) + '~').join('')
  return `${jwt}~${ds}${utf8Decode(cred.keyBinding)}`
}

/** The credential body: `sd_kbt` for sd_cwt, the `SdJwt` struct for sd_jwt. */
export function encodeMlsCredentialData(cred: MlsCredential): Uint8Array {
  if (cred.kind === 'sd-cwt') {
    assertKbtShape(cred.kbt)
    return cred.kbt.slice()
  }
  const w = new TlsWriter()
  if (!cred.compacted) {
    w.uint8(0).opaque(utf8Encode(cred.sdJwtKb))
  } else {
    const ds = new TlsWriter()
    for (const d of cred.disclosures) ds.opaque(d)
    w.uint8(1).opaque(cred.protected).opaque(cred.payload).opaque(cred.signature).opaque(ds.finish()).opaque(cred.keyBinding)
  }
  return w.finish()
}

function decodeSdJwtStruct(data: Uint8Array, limits: Required<MlsCredentialLimits>): SdJwtMlsCredential {
  const r = new TlsReader(data)
  const compacted = r.uint8('SdJwt.compacted')
  if (compacted === 0) {
    const raw = r.opaque('SdJwt.sd_jwt_kb')
    r.end('SdJwt')
    let text: string
    try {
      text = utf8Decode(raw)
    } catch (e) {
      throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', 'sd_jwt_kb is not UTF-8', { cause: e })
    }
    splitSdJwtKb(text, limits)
    return { kind: 'sd-jwt', compacted: false, sdJwtKb: text }
  }
  if (compacted !== 1) throw new E2eidError('ERR_MLS_BOOL_INVALID', `SdJwt.compacted is ${compacted}, not a Bool (0 or 1)`)
  const prot = r.opaque('SdJwt.protected')
  const payload = r.opaque('SdJwt.payload')
  const signature = r.opaque('SdJwt.signature')
  const dr = r.vector('SdJwt.disclosures')
  const keyBinding = r.opaque('SdJwt.sd_jwt_key_binding')
  r.end('SdJwt')
  const disclosures: Uint8Array[] = []
  while (dr.remaining > 0) {
    if (disclosures.length >= limits.maxDisclosures) {
      throw new E2eidError('ERR_MLS_TOO_MANY_DISCLOSURES', `more than ${limits.maxDisclosures} disclosures`)
    }
    const d = dr.opaque('SdJwtDisclosure.disclosure')
    if (d.length === 0) throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', 'a disclosure is empty')
    disclosures.push(d)
  }
  for (const [what, b] of [['protected', prot], ['payload', payload], ['signature', signature]] as const) {
    if (b.length === 0) throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', `SdJwt.${what} is empty`)
  }
  if (keyBinding.length === 0) throw new E2eidError('ERR_MLS_SD_JWT_KB_MISSING', 'SdJwt.sd_jwt_key_binding is empty (key binding is required)')
  let kb: string
  try {
    kb = utf8Decode(keyBinding)
  } catch (e) {
    throw new E2eidError('ERR_MLS_SD_JWT_MALFORMED', 'sd_jwt_key_binding is not UTF-8', { cause: e })
  }
  assertJws(kb, 'KB-JWT')
  return { kind: 'sd-jwt', compacted: true, protected: prot, payload, signature, disclosures, keyBinding }
}

/** Decodes a credential body of a known kind. Throws E2eidError (ERR_MLS_*) on anything malformed. */
export function decodeMlsCredentialData(kind: MlsCredentialKind, data: Uint8Array, limits?: MlsCredentialLimits): MlsCredential {
  const l = limitsOf(limits)
  if (!(data instanceof Uint8Array)) throw new E2eidError('ERR_MLS_CREDENTIAL_MALFORMED', 'credential data is not bytes')
  if (data.length > l.maxBytes) throw new E2eidError('ERR_MLS_CREDENTIAL_TOO_LARGE', `credential body has ${data.length} bytes, limit ${l.maxBytes}`)
  if (kind === 'sd-cwt') {
    assertKbtShape(data)
    return { kind: 'sd-cwt', kbt: data.slice() }
  }
  if (data.length === 0) throw new E2eidError('ERR_MLS_CREDENTIAL_EMPTY', 'sd_jwt credential is empty')
  return decodeSdJwtStruct(data, l)
}

/** The ts-mls `CredentialCustom` for a credential under the deployment's type numbers. */
export function toMlsCredentialCarrier(cred: MlsCredential, types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES): MlsCredentialCarrier {
  return { credentialType: mlsCredentialTypeOf(cred.kind, types), data: encodeMlsCredentialData(cred) }
}

/**
 * Decodes a ts-mls credential carrier of one of our types.
 * Throws ERR_MLS_CREDENTIAL_TYPE_UNKNOWN when `credentialType` is not one of `types`.
 */
export function fromMlsCredentialCarrier(
  carrier: MlsCredentialCarrier,
  types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES,
  limits?: MlsCredentialLimits,
): MlsCredential {
  const kind = mlsCredentialKindOf(carrier.credentialType, types)
  if (kind === undefined) throw new E2eidError('ERR_MLS_CREDENTIAL_TYPE_UNKNOWN', `credential type 0x${carrier.credentialType.toString(16).padStart(4, '0')} is not sd_cwt or sd_jwt`)
  return decodeMlsCredentialData(kind, carrier.data, limits)
}

/**
 * The whole `Credential` as ts-mls puts it on the wire: `uint16 credential_type || opaque data<V>`.
 * For sd_cwt this equals the draft's `credential_type || sd_kbt<V>`.
 */
export function encodeMlsCredential(cred: MlsCredential, types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES): Uint8Array {
  const c = toMlsCredentialCarrier(cred, types)
  return new TlsWriter().uint16(c.credentialType).opaque(c.data).finish()
}

/** Decodes {@link encodeMlsCredential}'s bytes; refuses other types, truncation, trailing bytes and oversize input. */
export function decodeMlsCredential(
  bytes: Uint8Array,
  types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES,
  limits?: MlsCredentialLimits,
): MlsCredential {
  const l = limitsOf(limits)
  if (!(bytes instanceof Uint8Array)) throw new E2eidError('ERR_MLS_CREDENTIAL_MALFORMED', 'credential is not bytes')
  if (bytes.length > l.maxBytes + 6) throw new E2eidError('ERR_MLS_CREDENTIAL_TOO_LARGE', `credential has ${bytes.length} bytes, limit ${l.maxBytes}`)
  const r = new TlsReader(bytes)
  const credentialType = r.uint16('Credential.credential_type')
  const kind = mlsCredentialKindOf(credentialType, types)
  if (kind === undefined) throw new E2eidError('ERR_MLS_CREDENTIAL_TYPE_UNKNOWN', `credential type 0x${credentialType.toString(16).padStart(4, '0')} is not sd_cwt or sd_jwt`)
  const data = r.opaque('Credential.data')
  r.end('Credential')
  return decodeMlsCredentialData(kind, data, l)
}
