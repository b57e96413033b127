/**
 * @module status-list/token-cwt
 * Status List Token in CWT form (draft-20 §5.2): COSE_Sign1_Tagged (tag 18, never CWT tag 61),
 * protected `typ` (16) "application/statuslist+cwt", claims 2 sub, 6 iat, 4 exp, 65534 ttl,
 * 65533 status_list (a CBOR StatusList with text keys).
 */
import { E2eidError } from '../errors.js'
import { utf8Encode } from '../encoding/bytes.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { COSE_HEADER, decodeCoseSign1, signCoseSign1, verifyCoseSign1 } from '../cose/sign1.js'
import { checkStatusListClaims, readStatusListClaims } from './claims.js'
import { decodeStatusListCbor, encodeStatusListCbor } from './encode.js'
import type { SignStatusListTokenInput, VerifiedStatusListToken, VerifyStatusListTokenOptions } from './token-jwt.js'

/** `typ` (COSE header 16) and media type of a Status List Token in CWT form (§5.2, §8.1). */
export const STATUS_LIST_CWT_TYP = 'application/statuslist+cwt'

/** CWT claim keys used by Status List Tokens and Referenced Tokens (RFC 8392 §4, draft-20 §14). */
export const STATUS_LIST_CWT_CLAIM = { iss: 1, sub: 2, exp: 4, iat: 6, statusList: 65533, ttl: 65534, status: 65535 } as const

/** Default cap on an encoded Status List Token CWT (8 MiB; a 10M-entry list at 50% is ~1.25 MB). */
export const DEFAULT_MAX_STATUS_LIST_TOKEN_BYTES = 8 * 1024 * 1024

/** Options for {@link verifyStatusListCwt}. */
export interface VerifyStatusListCwtOptions extends VerifyStatusListTokenOptions {
  /** Cap on the CWT bytes (default 8 MiB). */
  maxTokenBytes?: number
}

/** Signs a Status List Token in CWT form and returns the tagged COSE_Sign1 bytes. `kid` (4) comes from the key. */
export async function signStatusListCwt(input: SignStatusListTokenInput): Promise<Uint8Array> {
  const iat = input.iat ?? Math.floor((input.now ?? (() => Date.now() / 1000))())
  const sl = await encodeStatusListCbor(input.list, { compression: input.compression, aggregationUri: input.aggregationUri })
  const statusList = new Map<string, unknown>([['bits', sl.bits], ['lst', sl.lst]])
  if (sl.aggregation_uri !== undefined) statusList.set('aggregation_uri', sl.aggregation_uri)
  // Claim order as in the draft's example (§5.2).
  const claims = new Map<number, unknown>()
  if (input.iss !== undefined) claims.set(STATUS_LIST_CWT_CLAIM.iss, input.iss)
  claims.set(STATUS_LIST_CWT_CLAIM.sub, input.sub)
  claims.set(STATUS_LIST_CWT_CLAIM.iat, iat)
  if (input.exp !== undefined) claims.set(STATUS_LIST_CWT_CLAIM.exp, input.exp)
  if (input.ttl !== undefined) claims.set(STATUS_LIST_CWT_CLAIM.ttl, input.ttl)
  claims.set(STATUS_LIST_CWT_CLAIM.statusList, statusList)
  const unprotected = new Map<unknown, unknown>()
  if (input.key.kid !== undefined) unprotected.set(COSE_HEADER.kid, utf8Encode(input.key.kid))
  return signCoseSign1({
    protectedHeaders: new Map<unknown, unknown>([[COSE_HEADER.typ, STATUS_LIST_CWT_TYP]]),
    unprotectedHeaders: unprotected,
    payload: encodeCbor(claims),
    key: input.key,
    provider: input.provider,
  })
}

function uintClaim(v: unknown): unknown {
  // CBOR integers beyond 2^53 decode as bigint: not a usable time, reported as an invalid claim.
  return typeof v === 'bigint' ? Number.NaN : v
}

/**
 * Verifies a Status List Token in CWT form (§8.3 steps 3-5). Errors: the ERR_CBOR_* / ERR_COSE_* codes of the
 * decoder and verifier (tag 61 or a missing tag 18 included), ERR_STATUS_LIST_TYP_MISMATCH, ERR_STATUS_LIST_TOO_LARGE,
 * ERR_STATUS_LIST_CLAIMS_INVALID (payload not a claims map) and the claim codes of {@link checkStatusListClaims}.
 */
export async function verifyStatusListCwt(bytes: Uint8Array, options: VerifyStatusListCwtOptions): Promise<VerifiedStatusListToken> {
  const max = options.maxTokenBytes ?? DEFAULT_MAX_STATUS_LIST_TOKEN_BYTES
  if (bytes.length > max) throw new E2eidError('ERR_STATUS_LIST_TOO_LARGE', `Status List Token exceeds ${max} bytes`)
  const msg = decodeCoseSign1(bytes, { maxBytes: max })
  const typ = msg.protectedHeaders.get(COSE_HEADER.typ)
  if (typ !== STATUS_LIST_CWT_TYP) {
    throw new E2eidError('ERR_STATUS_LIST_TYP_MISMATCH', `CWT typ ${JSON.stringify(typ)} is not ${STATUS_LIST_CWT_TYP}`)
  }
  const { key } = await verifyCoseSign1(msg, { keys: options.keys, provider: options.provider, allowedAlgorithms: options.algorithms })
  if (msg.payload === null) throw new E2eidError('ERR_STATUS_LIST_CLAIMS_INVALID', 'Status List Token CWT has no payload')
  let payload: unknown
  try {
    payload = decodeCbor(msg.payload, { maxBytes: max })
  } catch (e) {
    throw new E2eidError('ERR_STATUS_LIST_CLAIMS_INVALID', 'Status List Token CWT payload is not CBOR', { cause: e })
  }
  if (!(payload instanceof Map)) throw new E2eidError('ERR_STATUS_LIST_CLAIMS_INVALID', 'Status List Token CWT payload is not a claims map')
  const c = STATUS_LIST_CWT_CLAIM
  const claims = readStatusListClaims({
    sub: payload.get(c.sub),
    iat: uintClaim(payload.get(c.iat)),
    exp: uintClaim(payload.get(c.exp)),
    ttl: uintClaim(payload.get(c.ttl)),
    iss: payload.get(c.iss),
  })
  checkStatusListClaims(claims, options)
  const sl: unknown = payload.get(c.statusList)
  if (sl === undefined) throw new E2eidError('ERR_STATUS_LIST_CLAIM_MISSING', 'Status List Token has no status_list (65533)')
  if (!(sl instanceof Map)) throw new E2eidError('ERR_STATUS_LIST_INVALID', 'status_list (65533) must be a map')
  const list = await decodeStatusListCbor(sl, options)
  const out: VerifiedStatusListToken = { format: 'cwt', claims, list, key }
  const agg = sl.get('aggregation_uri')
  if (typeof agg === 'string') out.aggregationUri = agg
  return out
}
