/**
 * @module sd-cwt/token
 * Structure of an SD-CWT (§2, §6): a tagged COSE_Sign1 whose protected header carries `typ` 293 (or
 * "application/sd-cwt" / "…+sd-cwt"), optional `sd_alg` (170), `sd_aead` (172) and CWT Claims (15, RFC 9597);
 * whose unprotected header may carry a non-empty `sd_claims` (17) and `sd_aead_encrypted_claims` (171); whose
 * payload is a claims map.
 */
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import { decodeCbor } from '../cbor/decode.js'
import type { DecodeCborOptions } from '../cbor/decode.js'
import type { CoseSign1 } from '../cose/sign1.js'
import { decodeCoseSign1, parseCoseSign1 } from '../cose/sign1.js'
import { encodeCbor } from '../cbor/encode.js'
import { bytesEqual } from '../encoding/bytes.js'
import { MEDIA_TYPE_KBT, MEDIA_TYPE_SD_CWT, REDACTED_CLAIM_KEYS, SD_CWT_HEADER, TYP_KBT, TYP_SD_CWT } from './constants.js'
import { sdAlgHash } from './digest.js'
import { assertSafe } from './safe.js'

/** A parsed (not yet verified) SD-CWT. */
export interface SdCwtToken {
  readonly sign1: CoseSign1
  /**
   * The claims, redactions still in place: the payload's, with those of the protected CWT Claims header (15)
   * merged in (§2: treated as if in the payload; see {@link mergeHeaderClaims}).
   */
  readonly claims: Map<unknown, unknown>
  /** The CWT Claims (15) map of the protected header as sent, when there is one. */
  readonly headerClaims: Map<unknown, unknown> | undefined
  /** `sd_alg` as sent (undefined → SHA-256). */
  readonly sdAlg: number | undefined
  readonly hash: HashAlgorithm
  /** The `sd_claims` elements: the byte-string contents, exactly as received. */
  readonly disclosures: readonly Uint8Array[]
  /** The raw `sd_aead_encrypted_claims` entries. */
  readonly aeadEntries: readonly unknown[]
}

function nonEmptyArray(v: unknown, label: number, emptyCode: ErrorCode): unknown[] | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw new E2eidError('ERR_SDCWT_MALFORMED', `header ${label} must be an array`)
  if (v.length === 0) throw new E2eidError(emptyCode, `header ${label} must not be an empty array (omit it instead)`)
  return v
}

/** True when `typ` names an SD-CWT: 293, "application/sd-cwt" or a "+sd-cwt" structured suffix. */
export function isSdCwtTyp(typ: unknown): boolean {
  return typ === TYP_SD_CWT || typ === MEDIA_TYPE_SD_CWT || (typeof typ === 'string' && /^application\/[^/\s]+\+sd-cwt$/.test(typ))
}

/** True when `typ` names a KBT: 294 or "application/kb+cwt". */
export function isKbtTyp(typ: unknown): boolean {
  return typ === TYP_KBT || typ === MEDIA_TYPE_KBT
}

/**
 * Parses an SD-CWT from bytes or from an already decoded value (the `kcwt` of a KBT). Checks the structure only;
 * signatures, times and disclosures are checked by the verifier. Errors: ERR_COSE_*, ERR_CBOR_*,
 * ERR_SDCWT_TYP_INVALID, ERR_SDCWT_MALFORMED, ERR_SDCWT_EMPTY_SD_CLAIMS, ERR_SDCWT_EMPTY_AEAD_CLAIMS,
 * ERR_SDCWT_SD_ALG_UNSUPPORTED, ERR_SDCWT_HEADER_INVALID, ERR_SDCWT_UNSAFE_HEADER, ERR_SDCWT_CWT_CLAIMS_MISMATCH.
 */
export function parseSdCwt(input: Uint8Array | unknown, options: DecodeCborOptions = {}): SdCwtToken {
  const sign1 = input instanceof Uint8Array ? decodeCoseSign1(input, options) : parseCoseSign1(input, options)
  const p = sign1.protectedHeaders
  const u = sign1.unprotectedHeaders
  if (!isSdCwtTyp(p.get(SD_CWT_HEADER.typ))) throw new E2eidError('ERR_SDCWT_TYP_INVALID', 'an SD-CWT needs typ 293 (application/sd-cwt) in its protected header')
  for (const label of [SD_CWT_HEADER.sdClaims, SD_CWT_HEADER.sdAeadEncryptedClaims]) {
    if (p.has(label)) throw new E2eidError('ERR_SDCWT_HEADER_INVALID', `header ${label} belongs in the unprotected header`)
  }
  for (const label of [SD_CWT_HEADER.sdAlg, SD_CWT_HEADER.sdAead]) {
    if (u.has(label)) throw new E2eidError('ERR_SDCWT_HEADER_INVALID', `header ${label} belongs in the protected header`)
  }
  // CWT Claims (15) are claims of the token: only the issuer's signature can vouch for them.
  if (u.has(SD_CWT_HEADER.cwtClaims)) throw new E2eidError('ERR_SDCWT_HEADER_INVALID', 'CWT Claims (15) belong in the protected header')
  const header15 = p.get(SD_CWT_HEADER.cwtClaims)
  if (header15 !== undefined && !(header15 instanceof Map)) throw new E2eidError('ERR_SDCWT_MALFORMED', 'CWT Claims (15) must be a claims map')
  const headerClaims = header15 as Map<unknown, unknown> | undefined
  // Every protected header but 15 holds safe values only; 15 is a claims map, which may hold redactions (§5.3),
  // and is checked as claims are: by the disclosure walk.
  let others = p
  if (headerClaims !== undefined) {
    others = new Map(p)
    others.delete(SD_CWT_HEADER.cwtClaims)
  }
  assertSafe(others, 'ERR_SDCWT_UNSAFE_HEADER', 'the SD-CWT protected header')
  for (const [k, v] of u) {
    if (k !== SD_CWT_HEADER.sdClaims && k !== SD_CWT_HEADER.sdAeadEncryptedClaims) assertSafe(v, 'ERR_SDCWT_UNSAFE_HEADER', 'the SD-CWT unprotected header')
  }
  const sdAlg = p.get(SD_CWT_HEADER.sdAlg)
  const hash = sdAlgHash(sdAlg)
  const sdClaims = nonEmptyArray(u.get(SD_CWT_HEADER.sdClaims), SD_CWT_HEADER.sdClaims, 'ERR_SDCWT_EMPTY_SD_CLAIMS') ?? []
  for (const d of sdClaims) if (!(d instanceof Uint8Array)) throw new E2eidError('ERR_SDCWT_MALFORMED', 'each sd_claims element must be a byte string')
  const aeadEntries = nonEmptyArray(u.get(SD_CWT_HEADER.sdAeadEncryptedClaims), SD_CWT_HEADER.sdAeadEncryptedClaims, 'ERR_SDCWT_EMPTY_AEAD_CLAIMS') ?? []
  if (sign1.payload === null) throw new E2eidError('ERR_SDCWT_MALFORMED', 'an SD-CWT payload cannot be detached')
  const payloadClaims = decodeCbor(sign1.payload, options)
  if (!(payloadClaims instanceof Map)) throw new E2eidError('ERR_SDCWT_MALFORMED', 'the SD-CWT payload must be a claims map')
  const claims = headerClaims === undefined ? payloadClaims : mergeHeaderClaims(payloadClaims, headerClaims)
  return { sign1, claims, headerClaims, sdAlg: sdAlg as number | undefined, hash, disclosures: sdClaims as Uint8Array[], aeadEntries }
}

/**
 * The claims of an SD-CWT whose protected header carries CWT Claims (15): "treated as if in the payload" (§2).
 * One claims map, the payload's first: a claim in both must have the same value (else
 * ERR_SDCWT_CWT_CLAIMS_MISMATCH) and appears once; the Redacted Claim Hashes of both maps (`simple(59)`) are one
 * list, so that each disclosure matches one digest of either. A claim redacted in one copy and present in the
 * other is then revealed twice and refused (ERR_SDCWT_DUPLICATE_CLAIM): the values could be compared only once
 * both were disclosed, and such tokens are not supported.
 */
function mergeHeaderClaims(payload: Map<unknown, unknown>, header: Map<unknown, unknown>): Map<unknown, unknown> {
  const merged = new Map(payload)
  header.forEach((v, k) => {
    if (k === REDACTED_CLAIM_KEYS) {
      const mine = merged.get(REDACTED_CLAIM_KEYS)
      // A value that is not an array is refused by the disclosure walk; kept as it is so that it is.
      merged.set(REDACTED_CLAIM_KEYS, mine === undefined ? v : Array.isArray(mine) && Array.isArray(v) ? [...mine, ...v] : v)
      return
    }
    if (!merged.has(k)) {
      merged.set(k, v)
      return
    }
    if (!bytesEqual(encodeCbor(merged.get(k)), encodeCbor(v))) {
      throw new E2eidError('ERR_SDCWT_CWT_CLAIMS_MISMATCH', `claim ${String(k)} differs between the payload and CWT Claims (15)`)
    }
  })
  return merged
}
