/**
 * @module status-list/token-jwt
 * Status List Token in JWT form (draft-20 §5.1): `typ` statuslist+jwt, claims sub, iat, exp, ttl, status_list.
 */
import { E2eidError, isE2eidError } from '../errors.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import { signJwt } from '../jose/sign.js'
import { verifyJwt } from '../jose/verify.js'
import type { JwtPayload } from '../jose/decode.js'
import type { StatusListTokenClaims, StatusListTokenPolicy } from './claims.js'
import { checkStatusListClaims, readStatusListClaims } from './claims.js'
import type { StatusListCompression } from './compression.js'
import { decodeStatusListJson, encodeStatusListJson } from './encode.js'
import type { StatusList } from './list.js'

/** `typ` of a Status List Token in JWT form. */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt'
/** Media type of a Status List Token in JWT form (§8.1). */
export const STATUS_LIST_JWT_MEDIA_TYPE = 'application/statuslist+jwt'

/** Input of {@link signStatusListJwt}. */
export interface SignStatusListTokenInput {
  list: StatusList
  /** The uri the token will be served at (§5.1 `sub`). */
  sub: string
  /** Default: now. */
  iat?: number
  exp?: number
  /** Seconds a client may cache the token (§5.1, RECOMMENDED). */
  ttl?: number
  iss?: string
  aggregationUri?: string
  key: PrivateJwk
  provider: CryptoProvider
  compression?: StatusListCompression
  /** Clock in Unix seconds, for the default `iat`. */
  now?: () => number
}

/** Options for verifying a Status List Token. */
export interface VerifyStatusListTokenOptions extends StatusListTokenPolicy {
  /** The Status Issuer's trusted keys (never keys carried by the token). */
  keys: readonly PublicJwk[]
  provider: CryptoProvider
  algorithms?: readonly SignatureAlgorithm[]
  compression?: StatusListCompression
  /** Cap on the decompressed list (default 16 MiB). */
  maxDecompressedBytes?: number
}

/** A verified Status List Token. */
export interface VerifiedStatusListToken {
  format: 'jwt' | 'cwt'
  claims: StatusListTokenClaims
  list: StatusList
  aggregationUri?: string
  /** The key that verified the token. */
  key: PublicJwk
}

/** Signs a Status List Token in JWT form. `kid` comes from the key. */
export async function signStatusListJwt(input: SignStatusListTokenInput): Promise<string> {
  const iat = input.iat ?? Math.floor((input.now ?? (() => Date.now() / 1000))())
  const payload: JwtPayload = { sub: input.sub, iat }
  if (input.exp !== undefined) payload.exp = input.exp
  if (input.ttl !== undefined) payload.ttl = input.ttl
  if (input.iss !== undefined) payload.iss = input.iss
  payload.status_list = await encodeStatusListJson(input.list, { compression: input.compression, aggregationUri: input.aggregationUri })
  const header: Record<string, unknown> = { typ: STATUS_LIST_JWT_TYP }
  if (input.key.kid !== undefined) header.kid = input.key.kid
  return signJwt({ header, payload, key: input.key, provider: input.provider })
}

/**
 * Verifies a Status List Token in JWT form (§8.3 steps 3-5) and returns its claims and inflated list.
 * `typ` other than statuslist+jwt is ERR_STATUS_LIST_TYP_MISMATCH; signature and header errors keep the
 * ERR_JWS_* / ERR_ALG_* codes of `verifyJwt`; claims errors are those of {@link checkStatusListClaims}.
 */
export async function verifyStatusListJwt(compact: string, options: VerifyStatusListTokenOptions): Promise<VerifiedStatusListToken> {
  let payload: JwtPayload
  let key: PublicJwk
  try {
    ;({ payload, key } = await verifyJwt(compact, {
      keys: options.keys,
      provider: options.provider,
      algorithms: options.algorithms,
      typ: STATUS_LIST_JWT_TYP,
      checkTime: false,
    }))
  } catch (e) {
    if (isE2eidError(e, 'ERR_JWT_TYP_MISMATCH')) throw new E2eidError('ERR_STATUS_LIST_TYP_MISMATCH', e.message, { cause: e })
    throw e
  }
  const claims = readStatusListClaims({ sub: payload.sub, iat: payload.iat, exp: payload.exp, ttl: payload.ttl, iss: payload.iss })
  checkStatusListClaims(claims, options)
  if (payload.status_list === undefined) throw new E2eidError('ERR_STATUS_LIST_CLAIM_MISSING', 'Status List Token has no "status_list"')
  const list = await decodeStatusListJson(payload.status_list, options)
  const out: VerifiedStatusListToken = { format: 'jwt', claims, list, key }
  const agg = (payload.status_list as Record<string, unknown>).aggregation_uri
  if (typeof agg === 'string') out.aggregationUri = agg
  return out
}
