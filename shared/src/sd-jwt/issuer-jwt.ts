/**
 * @module sd-jwt/issuer-jwt
 * RFC 9901 §7.1 steps 1-5 for the Holder and the Verifier: split, check the issuer-signed JWT
 * (alg allow-list, `typ`, `crit`, signature with a key of that issuer, `_sd_alg`), then process
 * the disclosures. Validity claims are checked afterwards on the processed payload (step 6).
 */
import type { HashAlgorithm, SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { isE2eidError } from '../errors.js'
import type { DecodedJwt, SdJwtParts } from './compact.js'
import { decodeJwt } from './compact.js'
import type { Disclosure } from './disclosure.js'
import { decodeDisclosure } from './disclosure.js'
import { sdJwtError } from './errors.js'
import { hashForSdAlg } from './hash.js'
import { allowedAlgorithm, DEFAULT_SD_JWT_ALGORITHMS, normalizeTypValue } from './jwt.js'
import { verifyJwsSignature } from '../jose/jws.js'
import { checkTokenTimes } from '../token-times.js'
import type { TokenTimeRules } from '../token-times.js'
import { processSdJwtPayload } from './process.js'

/** What a resolver learns about the token before picking keys (SD-JWT VC §2.5: by `iss`, `kid`). */
export interface IssuerKeyContext {
  readonly iss: string | undefined
  readonly kid: string | undefined
  readonly header: Readonly<Record<string, unknown>>
}

/** Trusted issuer keys: a fixed list, or a resolver (JWKS, jwt-vc-issuer metadata, DIDs) returning that issuer's keys. */
export type IssuerKeys = readonly PublicJwk[] | ((ctx: IssuerKeyContext) => readonly PublicJwk[] | Promise<readonly PublicJwk[]>)

/** Options for checking the issuer-signed part. */
export interface IssuerJwtOptions {
  readonly provider: CryptoProvider
  readonly issuerKeys: IssuerKeys
  /** Accepted header `typ` values (explicit typing, §9.11); never optional. */
  readonly typ: readonly string[]
  /** Issuer algorithm allow-list (default ES256, ES384, EdDSA; `none` is never allowed). */
  readonly algorithms?: readonly SignatureAlgorithm[]
}

/** The issuer-signed part after §7.1 steps 2-5. */
export interface CheckedIssuerJwt {
  readonly jwt: DecodedJwt
  readonly hash: HashAlgorithm
  readonly disclosures: readonly Disclosure[]
  readonly claims: Record<string, unknown>
  readonly topLevelDisclosed: ReadonlySet<string>
  readonly issuerKey: PublicJwk
}

async function resolveKeys(keys: IssuerKeys, ctx: IssuerKeyContext): Promise<readonly PublicJwk[]> {
  if (typeof keys !== 'function') return keys
  try {
    return await keys(ctx)
  } catch (e) {
    if (isE2eidError(e)) throw e
    throw sdJwtError('ERR_SDJWT_ISSUER_KEY_UNKNOWN', 'issuer key resolution failed', e)
  }
}

/** Runs §7.1 steps 2-5 on split parts. */
export async function checkIssuerSignedJwt(parts: SdJwtParts, options: IssuerJwtOptions): Promise<CheckedIssuerJwt> {
  const jwt = decodeJwt(parts.jwt, 'ERR_SDJWT_MALFORMED', 'issuer-signed JWT')
  const { header, payload } = jwt
  // Step 2a: alg deemed secure; `none` and unknown algorithms never reach a key.
  const alg = allowedAlgorithm(header.alg, options.algorithms ?? DEFAULT_SD_JWT_ALGORITHMS, 'ERR_SDJWT_ALG_NOT_ALLOWED')
  const typ = normalizeTypValue(header.typ)
  if (typ === undefined || !options.typ.some((t) => normalizeTypValue(t) === typ)) {
    throw sdJwtError('ERR_SDJWT_TYP_INVALID', `typ ${JSON.stringify(header.typ)} is not one of ${options.typ.join(', ')}`)
  }
  // RFC 7515 §4.1.11: extensions we do not understand must be refused.
  if (header.crit !== undefined) throw sdJwtError('ERR_SDJWT_CRIT_UNSUPPORTED', 'crit header parameters are not supported')
  const kid = typeof header.kid === 'string' ? header.kid : undefined
  const iss = typeof payload.iss === 'string' ? payload.iss : undefined
  const keys = await resolveKeys(options.issuerKeys, { iss, kid, header })
  // Step 2b/2c: a key of this issuer, of the algorithm's curve, with the header's kid when both have one.
  const candidates = keys.filter(
    (k) =>
      k.kty === alg.kty &&
      k.crv === alg.crv &&
      (k.alg === undefined || k.alg === alg.alg || alg.joseAliases.includes(k.alg)) &&
      (kid === undefined || k.kid === undefined || k.kid === kid),
  )
  if (candidates.length === 0) throw sdJwtError('ERR_SDJWT_ISSUER_KEY_UNKNOWN', `no trusted ${alg.alg} key${kid === undefined ? '' : ` with kid ${kid}`} for this issuer`)
  let issuerKey: PublicJwk | undefined
  for (const k of candidates) {
    if (await verifyJwsSignature(options.provider, alg.alg, k, jwt.signingInput, jwt.signature)) {
      issuerKey = k
      break
    }
  }
  if (issuerKey === undefined) throw sdJwtError('ERR_SDJWT_SIGNATURE_INVALID', 'issuer signature does not verify')
  // Step 2d: _sd_alg understood and acceptable.
  const hash = hashForSdAlg(payload._sd_alg)
  // Step 3a: hash every disclosure as sent.
  const disclosures = parts.disclosures.map((d) => decodeDisclosure(options.provider, hash, d))
  const { claims, topLevelDisclosed } = processSdJwtPayload(payload, disclosures)
  return { jwt, hash, disclosures, claims, topLevelDisclosed, issuerKey }
}

/** Time and clock-skew settings (seconds since the epoch). */
export interface ValidityOptions {
  readonly now: number
  readonly skew: number
}

/**
 * Resolves the clock settings, refusing non-finite or negative values (a NaN skew would make every
 * comparison false and let an expired credential through).
 */
export function clockOptions(now: number | undefined, skew: number | undefined, defaultSkew: number): ValidityOptions {
  const n = now ?? Math.floor(Date.now() / 1000)
  const s = skew ?? defaultSkew
  if (!Number.isFinite(n) || !Number.isFinite(s) || s < 0) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'now and skew must be finite, skew non-negative')
  return { now: n, skew: s }
}

/** The time codes of an SD-JWT (VC) credential (§7.1 step 6). */
export const SD_JWT_CREDENTIAL_TIMES = {
  invalid: { code: 'ERR_SDJWT_CLAIM_INVALID', message: (claim: string) => `${claim} must be a NumericDate` },
  expired: { code: 'ERR_SDJWT_EXPIRED', message: 'the credential has expired' },
  notYetValid: { code: 'ERR_SDJWT_NOT_YET_VALID', message: 'the credential is not yet valid (nbf)' },
  iatInFuture: { code: 'ERR_SDJWT_IAT_IN_FUTURE', message: 'the credential was issued in the future (iat)' },
} as const satisfies TokenTimeRules

/**
 * §7.1 step 6 on the processed payload (so a selectively disclosed `exp` is checked too):
 * `exp` must lie after now (exp == now is expired, RFC 7519 §4.1.4), `nbf` not after now, `iat` not in the future.
 */
export function checkValidity(claims: Record<string, unknown>, { now, skew }: ValidityOptions): void {
  checkTokenTimes(claims, { now, skew, codes: SD_JWT_CREDENTIAL_TIMES })
}
