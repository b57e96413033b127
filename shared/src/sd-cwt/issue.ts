/**
 * @module sd-cwt/issue
 * Issues an SD-CWT (§6): redacts the pre-issuance claims (tags 58/62, see `redact.ts`), adds `cnf` (COSE_Key, or
 * `ckt`), optional decoys and `iat`, and signs a COSE_Sign1 with protected `{1: alg, ?4: kid, 16: 293, 170: sd_alg}`
 * and unprotected `{17: [disclosures]}` (omitted when there are none). The payload is encoded with sorted map keys
 * (RFC 8949 §4.2.1), as the draft's examples are.
 */
import { E2eidError } from '../errors.js'
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmFromJose } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { utf8Encode } from '../encoding/bytes.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { jwkToCoseKey } from '../cose/key.js'
import { defaultAlg, signCoseSign1 } from '../cose/sign1.js'
import { coseKeyThumbprint } from '../cose/thumbprint.js'
import { CNF_METHOD, CWT_CLAIM, SD_CWT_HEADER, TAG_TO_BE_DECOY, TYP_SD_CWT } from './constants.js'
import { SD_ALG_IDS, sdAlgHash } from './digest.js'
import type { SaltContext } from './redact.js'
import { redactClaims } from './redact.js'

/** Input of {@link issueSdCwt}. */
export interface IssueSdCwtInput {
  /**
   * Pre-issuance claims: a Map with int / text labels. Mark what the holder may withhold with tag 58
   * (`new CborTag(58, label)` as a map key, `new CborTag(58, value)` as an array element, around whole
   * containers and nested) and ask for decoys with tag 62 (`new CborTag(62, n)`: map key with value null, or
   * array element). `cnf` is added by the issuer and must not be given.
   */
  claims: Map<unknown, unknown>
  issuerKey: PrivateJwk
  /** The holder's public key, put in `cnf`. */
  holderKey: PublicJwk
  /** `cnf` form: the full COSE_Key (default) or only its RFC 9679 thumbprint (`ckt`). */
  cnf?: 'cose-key' | 'ckt'
  /** Default: the issuer key's curve (ES256 / ES384 / EdDSA). */
  alg?: SignatureAlgorithm
  /** Protected `kid` (4), emitted as a byte string. */
  kid?: string | Uint8Array
  /** Hash for Redacted Claim Hashes (sd_alg 170); default SHA-256. */
  sdAlg?: 'SHA-256' | 'SHA-384' | 'SHA-512'
  /** Number of extra decoys in the top-level map (each with its disclosure). Default 0. */
  decoys?: number
  /** When given and the claims have no `iat`, `iat` is set to floor(now). Seconds since the epoch. */
  now?: number
  provider: CryptoProvider
  /** Salt source (tests reproducing vectors). Default: 16 random bytes from the provider per disclosure. */
  salt?: (ctx: SaltContext) => Uint8Array
  /** Encode maps with sorted keys (default true). */
  canonical?: boolean
}

/** Issues an SD-CWT and returns its encoding (tag 18). Errors: see `redactClaims`, plus ERR_SDCWT_INVALID_CLAIMS. */
export async function issueSdCwt(input: IssueSdCwtInput): Promise<Uint8Array> {
  const { claims, provider } = input
  if (!(claims instanceof Map)) throw new E2eidError('ERR_SDCWT_INVALID_CLAIMS', 'claims must be a Map')
  if (claims.has(CWT_CLAIM.cnf)) throw new E2eidError('ERR_SDCWT_INVALID_CLAIMS', 'cnf is set by the issuer from holderKey')
  const alg = algorithmFromJose(input.alg ?? defaultAlg(input.issuerKey))
  const hash = input.sdAlg ?? 'SHA-256'
  sdAlgHash(SD_ALG_IDS[hash])
  const pre = new Map(claims)
  if (input.now !== undefined && !pre.has(CWT_CLAIM.iat)) pre.set(CWT_CLAIM.iat, Math.floor(input.now))
  const cnf = new Map<number, unknown>()
  if (input.cnf === 'ckt') cnf.set(CNF_METHOD.ckt, coseKeyThumbprint(input.holderKey, provider))
  else cnf.set(CNF_METHOD.coseKey, jwkToCoseKey(input.holderKey))
  pre.set(CWT_CLAIM.cnf, cnf)
  const decoys = input.decoys ?? 0
  if (!Number.isSafeInteger(decoys) || decoys < 0 || decoys > 1000) throw new E2eidError('ERR_SDCWT_INVALID_CLAIMS', 'decoys must be an integer from 0 to 1000')
  if (decoys > 0) {
    // Number the extra decoys after any the caller asked for with tag 62, so the numbers stay unique.
    let next = maxDecoyNumber(pre) + 1
    for (let i = 0; i < decoys; i++) pre.set(new CborTag(TAG_TO_BE_DECOY, next++), null)
  }
  const canonical = input.canonical !== false
  const redacted = redactClaims(pre, { hash, provider, canonical, ...(input.salt === undefined ? {} : { salt: input.salt }) })
  const protectedHeaders = new Map<unknown, unknown>([[SD_CWT_HEADER.alg, alg.coseId]])
  if (input.kid !== undefined) protectedHeaders.set(SD_CWT_HEADER.kid, typeof input.kid === 'string' ? utf8Encode(input.kid) : input.kid)
  protectedHeaders.set(SD_CWT_HEADER.typ, TYP_SD_CWT)
  protectedHeaders.set(SD_CWT_HEADER.sdAlg, SD_ALG_IDS[hash])
  const unprotectedHeaders = new Map<unknown, unknown>()
  if (redacted.disclosures.length > 0) unprotectedHeaders.set(SD_CWT_HEADER.sdClaims, redacted.disclosures)
  return signCoseSign1({
    protectedHeaders,
    unprotectedHeaders,
    payload: encodeCbor(redacted.claims, { canonical }),
    key: input.issuerKey,
    alg: alg.alg,
    provider,
  })
}

function maxDecoyNumber(v: unknown): number {
  let max = 0
  const visit = (x: unknown): void => {
    if (x instanceof CborTag) {
      if (x.tag === TAG_TO_BE_DECOY && typeof x.value === 'number') max = Math.max(max, x.value)
      visit(x.value)
    } else if (Array.isArray(x)) x.forEach(visit)
    else if (x instanceof Map) for (const [k, y] of x) (visit(k), visit(y))
  }
  visit(v)
  return max
}
