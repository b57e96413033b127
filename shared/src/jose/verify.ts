/**
 * @module jose/verify
 * Verifies a compact JWT (RFC 7515 §5.2, RFC 7519 §7.2) with deny-by-default rules (RFC 8725):
 * an algorithm allow-list (never `none`), the expected `typ`, `crit` only when understood,
 * and a key chosen by `kid` from a caller-supplied trusted list (never from the token).
 */
import { E2eidError } from '../errors.js'
import { utf8Encode } from '../encoding/bytes.js'
import { algorithmFromJose } from '../crypto/algorithms.js'
import type { AlgorithmDescriptor, SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { JwsHeader, JwtPayload } from './decode.js'
import { decodeJws } from './decode.js'
import { checkJwtTimeClaims } from './time.js'
import type { JwtTimeOptions } from './time.js'

/** Options for {@link verifyJwt}. */
export interface VerifyJwtOptions extends JwtTimeOptions {
  /** Trusted verification keys. A token with a `kid` only matches keys with that `kid`. */
  keys: readonly PublicJwk[]
  /** Allowed algorithms (default ES256, ES384, EdDSA). `none` and anything else: ERR_ALG_NOT_ALLOWED. */
  algorithms?: readonly SignatureAlgorithm[]
  /** The `typ` the caller expects (one or several); required (RFC 8725 §3.11). Compared as media types (RFC 7515 §4.1.9). */
  typ: string | readonly string[]
  provider: CryptoProvider
  /** Header parameter names the caller understands if they are listed in `crit` (RFC 7515 §4.1.11). */
  crit?: readonly string[]
  /** Skip the exp/nbf/iat checks (for callers that check time themselves, e.g. with their own codes). Default true. */
  checkTime?: boolean
}

/** A verified JWT. */
export interface VerifiedJwt {
  header: JwsHeader
  payload: JwtPayload
  /** The key whose signature matched. */
  key: PublicJwk
}

const ALL_ALGS: readonly SignatureAlgorithm[] = ['ES256', 'ES384', 'EdDSA']

// Registered JWS header parameters (RFC 7515 §4.1) may never appear in `crit`.
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'])

/** RFC 7515 §4.1.9: media types compare case-insensitively, and a `typ` without '/' means `application/<typ>`. */
export function normalizeTyp(typ: string): string {
  const t = typ.toLowerCase()
  return t.includes('/') ? t : `application/${t}`
}

function keyFits(key: PublicJwk, desc: AlgorithmDescriptor): boolean {
  if (key.kty !== desc.kty || key.crv !== desc.crv) return false
  return key.alg === undefined || key.alg === desc.alg || desc.joseAliases.includes(key.alg)
}

function checkCrit(header: JwsHeader, understood: readonly string[]): void {
  if (!('crit' in header)) return
  const crit: unknown = header.crit
  if (!Array.isArray(crit) || crit.length === 0) {
    throw new E2eidError('ERR_JWS_CRIT_INVALID', '"crit" must be a non-empty array')
  }
  for (const name of crit) {
    if (typeof name !== 'string' || REGISTERED.has(name) || !(name in header)) {
      throw new E2eidError('ERR_JWS_CRIT_INVALID', `"crit" entry ${JSON.stringify(name)} is invalid`)
    }
    if (!understood.includes(name)) throw new E2eidError('ERR_JWS_CRIT_UNSUPPORTED', `critical header "${name}" is not understood`)
  }
}

/**
 * Verifies a compact JWT and returns its header and payload.
 * Error codes: ERR_JWS_MALFORMED, ERR_JWS_HEADER_INVALID, ERR_JWT_PAYLOAD_INVALID, ERR_ALG_NOT_ALLOWED,
 * ERR_JWT_TYP_MISMATCH, ERR_JWS_CRIT_INVALID, ERR_JWS_CRIT_UNSUPPORTED, ERR_JWS_KEY_NOT_FOUND,
 * ERR_JWS_SIGNATURE_INVALID, and the time codes of {@link checkJwtTimeClaims}.
 *
 * @example
 * const { payload } = await verifyJwt(jwt, { keys: [issuerKey], typ: 'statuslist+jwt', provider })
 */
export async function verifyJwt(compact: string, options: VerifyJwtOptions): Promise<VerifiedJwt> {
  const { header, payload, signingInput, signature } = decodeJws(compact)
  const desc = algorithmFromJose(header.alg)
  if (!(options.algorithms ?? ALL_ALGS).includes(desc.alg)) {
    throw new E2eidError('ERR_ALG_NOT_ALLOWED', `algorithm ${header.alg} is not allowed here`)
  }
  const expected = (typeof options.typ === 'string' ? [options.typ] : options.typ).map(normalizeTyp)
  if (typeof header.typ !== 'string' || !expected.includes(normalizeTyp(header.typ))) {
    throw new E2eidError('ERR_JWT_TYP_MISMATCH', `JWT "typ" ${JSON.stringify(header.typ)} is not ${expected.join(' or ')}`)
  }
  checkCrit(header, options.crit ?? [])
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw new E2eidError('ERR_JWS_HEADER_INVALID', 'JWS "kid" must be a string')
  }
  const candidates = options.keys.filter((k) => (header.kid === undefined || k.kid === header.kid) && keyFits(k, desc))
  if (candidates.length === 0) throw new E2eidError('ERR_JWS_KEY_NOT_FOUND', 'no trusted key matches the JWS kid and alg')
  if (signature.length !== desc.signatureLength) throw new E2eidError('ERR_JWS_SIGNATURE_INVALID', 'JWS signature has the wrong length')
  const data = utf8Encode(signingInput)
  let key: PublicJwk | undefined
  for (const k of candidates) {
    if (await options.provider.verify(desc.alg, k, data, signature)) {
      key = k
      break
    }
  }
  if (key === undefined) throw new E2eidError('ERR_JWS_SIGNATURE_INVALID', 'JWS signature does not verify')
  if (options.checkTime !== false) checkJwtTimeClaims(payload, options)
  return { header, payload, key }
}
