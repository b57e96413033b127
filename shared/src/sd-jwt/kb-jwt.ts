/**
 * @module sd-jwt/kb-jwt
 * Key Binding JWT (RFC 9901 §4.3): created by the Holder over the presented SD-JWT, checked by
 * the Verifier (§7.3) with the key in the processed payload's `cnf.jwk` (RFC 7800).
 */
import type { HashAlgorithm, SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmForCurve } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { isE2eidError } from '../errors.js'
import { decodeJwt } from './compact.js'
import { sdJwtError } from './errors.js'
import { digestText } from './hash.js'
import { encodeJson, isJsonObject } from './json.js'
import { KB_JWT_TYP } from '../format-ids.js'
import type { JsonStyle } from './json.js'
import { allowedAlgorithm, DEFAULT_SD_JWT_ALGORITHMS, normalizeTypValue } from './jwt.js'
import { signJws, verifyJwsSignature } from '../jose/jws.js'
import { checkTokenTimes } from '../token-times.js'
import type { TokenTimeRules } from '../token-times.js'
import { rethrowWeakEd25519Key } from '../crypto/ed25519.js'

/** The `typ` of a KB-JWT (§4.3), from format-ids.ts. */
export { KB_JWT_TYP }

/** The claims of a verified KB-JWT. */
export interface KeyBindingClaims {
  readonly iat: number
  readonly aud: string
  readonly nonce: string
  readonly sd_hash: string
}

/** Inputs of {@link createKbJwt}. */
export interface CreateKbJwtOptions {
  readonly provider: CryptoProvider
  readonly holderKey: PrivateJwk
  readonly alg?: SignatureAlgorithm
  /** The presented SD-JWT up to and including its last `~`. */
  readonly sdJwt: string
  readonly hash: HashAlgorithm
  readonly aud: string
  readonly nonce: string
  readonly iat: number
  readonly jsonStyle?: JsonStyle
}

/** Signs a KB-JWT whose `sd_hash` covers `sdJwt` (everything up to and including the last `~`, §4.3.1). */
export async function createKbJwt(o: CreateKbJwtOptions): Promise<string> {
  const alg = o.alg ?? algorithmForCurve(o.holderKey.crv).alg
  const payload = { nonce: o.nonce, aud: o.aud, iat: o.iat, sd_hash: digestText(o.provider, o.hash, o.sdJwt) }
  return signJws(o.provider, alg, o.holderKey, { alg, typ: KB_JWT_TYP }, payload, (v) => encodeJson(v, o.jsonStyle))
}

/** §7.3 step 5: one code for an iat in the future and one older than maxAge. */
const KB_JWT_IAT_WINDOW = {
  invalid: { code: 'ERR_SDJWT_KB_MALFORMED', message: 'KB-JWT iat is missing' },
  iatInFuture: { code: 'ERR_SDJWT_KB_IAT_INVALID', message: 'KB-JWT iat is outside the accepted window' },
  tooOld: { code: 'ERR_SDJWT_KB_IAT_INVALID', message: 'KB-JWT iat is outside the accepted window' },
} as const satisfies TokenTimeRules
/** §7.3 step 8: a malformed, passed exp or future nbf are all one code. */
const KB_JWT_EXP_NBF = {
  invalid: { code: 'ERR_SDJWT_KB_EXPIRED', message: 'KB-JWT exp/nbf make it invalid now' },
  expired: { code: 'ERR_SDJWT_KB_EXPIRED', message: 'KB-JWT exp/nbf make it invalid now' },
  notYetValid: { code: 'ERR_SDJWT_KB_EXPIRED', message: 'KB-JWT exp/nbf make it invalid now' },
} as const satisfies TokenTimeRules

/** Extracts the holder key from `cnf.jwk` (RFC 7800 §3.2) of the processed payload. */
export function holderKeyFromCnf(claims: Record<string, unknown>): PublicJwk {
  const cnf = claims.cnf
  if (!isJsonObject(cnf) || cnf.jwk === undefined) throw sdJwtError('ERR_SDJWT_CNF_MISSING', 'the credential has no cnf.jwk holder key')
  try {
    return parsePublicJwk(cnf.jwk)
  } catch (e) {
    rethrowWeakEd25519Key(e)
    throw sdJwtError('ERR_SDJWT_CNF_INVALID', 'cnf.jwk is not a supported public key', e)
  }
}

/** Policy for {@link verifyKbJwt}. */
export interface VerifyKbJwtOptions {
  readonly provider: CryptoProvider
  readonly holderKey: PublicJwk
  readonly sdJwt: string
  readonly hash: HashAlgorithm
  readonly aud: string
  /** Expected nonce; when undefined the caller must check `nonce` of the result for replay itself. */
  readonly nonce: string | undefined
  readonly now: number
  readonly skew: number
  /** How old the KB-JWT `iat` may be, in seconds. */
  readonly maxAge: number
  readonly algorithms?: readonly SignatureAlgorithm[]
}

/** RFC 9901 §7.3 steps 3-8. */
export async function verifyKbJwt(kbJwt: string, o: VerifyKbJwtOptions): Promise<KeyBindingClaims> {
  const jwt = decodeJwt(kbJwt, 'ERR_SDJWT_KB_MALFORMED', 'KB-JWT')
  const { header, payload } = jwt
  if (normalizeTypValue(header.typ) !== KB_JWT_TYP) throw sdJwtError('ERR_SDJWT_KB_TYP_INVALID', `KB-JWT typ must be ${KB_JWT_TYP}`)
  const alg = allowedAlgorithm(header.alg, o.algorithms ?? DEFAULT_SD_JWT_ALGORITHMS, 'ERR_SDJWT_KB_ALG_NOT_ALLOWED')
  if (header.crit !== undefined) throw sdJwtError('ERR_SDJWT_CRIT_UNSUPPORTED', 'crit header parameters are not supported')
  let ok: boolean
  try {
    ok = await verifyJwsSignature(o.provider, alg.alg, o.holderKey, jwt.signingInput, jwt.signature)
  } catch (e) {
    if (!isE2eidError(e)) throw e
    ok = false
  }
  if (!ok) throw sdJwtError('ERR_SDJWT_KB_SIGNATURE_INVALID', 'KB-JWT signature does not verify with cnf.jwk')
  const { iat, aud, nonce, sd_hash } = payload
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw sdJwtError('ERR_SDJWT_KB_MALFORMED', 'KB-JWT iat is missing')
  if (typeof aud !== 'string') throw sdJwtError('ERR_SDJWT_KB_MALFORMED', 'KB-JWT aud must be a single string')
  if (typeof nonce !== 'string') throw sdJwtError('ERR_SDJWT_KB_MALFORMED', 'KB-JWT nonce must be a string')
  if (typeof sd_hash !== 'string') throw sdJwtError('ERR_SDJWT_KB_MALFORMED', 'KB-JWT sd_hash is missing')
  // §7.3 step 5: iat within an acceptable window.
  checkTokenTimes({ iat }, { now: o.now, skew: o.skew, maxAge: o.maxAge, codes: KB_JWT_IAT_WINDOW })
  // §7.3 step 8: otherwise a valid JWT (RFC 7519 §4.1.4-5): honour exp / nbf when the holder set them.
  checkTokenTimes({ exp: payload.exp, nbf: payload.nbf }, { now: o.now, skew: o.skew, codes: KB_JWT_EXP_NBF })
  // §7.3 step 6: nonce and aud against replay.
  if (aud !== o.aud) throw sdJwtError('ERR_SDJWT_KB_AUD_MISMATCH', 'KB-JWT aud is not this verifier')
  if (o.nonce !== undefined && nonce !== o.nonce) throw sdJwtError('ERR_SDJWT_KB_NONCE_MISMATCH', 'KB-JWT nonce does not match')
  // §7.3 step 7: sd_hash over the SD-JWT as presented, up to and including the last "~".
  if (sd_hash !== digestText(o.provider, o.hash, o.sdJwt)) throw sdJwtError('ERR_SDJWT_KB_SD_HASH_MISMATCH', 'KB-JWT sd_hash does not match the presented SD-JWT')
  return { iat, aud, nonce, sd_hash }
}
