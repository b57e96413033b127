/**
 * @module sd-jwt/vc-issue
 * Issuance of an SD-JWT VC (SD-JWT VC §2): `typ` `dc+sd-jwt`, `iss`, `vct`, `cnf.jwk` = the
 * holder's key, validity claims and `status` in the clear, attributes as the issuer chose.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { ClaimPath } from './claim-path.js'
import { parseSdJwtClaimPath, segmentKey } from './claim-path.js'
import { sdJwtError } from './errors.js'
import type { SdAlg } from './hash.js'
import type { IssuedSdJwt, SaltGenerator } from './issue.js'
import { issueSdJwt } from './issue.js'
import type { JsonStyle } from './json.js'
import { isJsonObject } from './json.js'
import { setOwn } from './process.js'
import type { StatusListReference } from './vc-profile.js'
import { SD_JWT_VC_NON_DISCLOSABLE_CLAIMS, SD_JWT_VC_TYP } from './vc-profile.js'
import { rethrowWeakEd25519Key } from '../crypto/ed25519.js'

/** Inputs of {@link issueSdJwtVc}. */
export interface IssueSdJwtVcOptions {
  readonly provider: CryptoProvider
  /** The subject's attributes (may include `sub`); the registered VC claims come from the options below. */
  readonly claims: Readonly<Record<string, unknown>>
  /** Paths of the attributes to make selectively disclosable. */
  readonly disclosable?: readonly (string | ClaimPath)[]
  /** Decoys: a number for the top level, or counts by container path. */
  readonly decoys?: number | Readonly<Record<string, number>>
  readonly issuerKey: PrivateJwk
  readonly alg?: SignatureAlgorithm
  readonly kid?: string
  readonly iss: string
  readonly vct: string
  /** The holder's public key, carried as `cnf.jwk` (RFC 7800). */
  readonly holderKey: PublicJwk
  readonly iat?: number
  readonly nbf?: number
  readonly exp?: number
  readonly status?: StatusListReference
  readonly sdAlg?: SdAlg
  readonly saltGenerator?: SaltGenerator
  readonly jsonStyle?: JsonStyle
}

/** Issues an SD-JWT VC and returns every part (see {@link issueSdJwtVc} for the compact string only). */
export async function issueSdJwtVcDetailed(o: IssueSdJwtVcOptions): Promise<IssuedSdJwt> {
  if (!isJsonObject(o.claims)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'claims must be a JSON object')
  if (typeof o.iss !== 'string' || o.iss === '') throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'iss must be a non-empty string')
  if (typeof o.vct !== 'string' || o.vct === '') throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'vct must be a non-empty string')
  for (const name of [...SD_JWT_VC_NON_DISCLOSABLE_CLAIMS, 'iat']) {
    if (Object.hasOwn(o.claims, name)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `${name} is set by the issuer options, not by claims`)
  }
  for (const p of o.disclosable ?? []) {
    const first = parseSdJwtClaimPath(p)[0]!
    if (SD_JWT_VC_NON_DISCLOSABLE_CLAIMS.includes(segmentKey(first))) {
      throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `${segmentKey(first)} must not be selectively disclosable (SD-JWT VC §2.2.2)`)
    }
  }
  for (const [name, v] of [['iat', o.iat], ['nbf', o.nbf], ['exp', o.exp]] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw sdJwtError('ERR_SDJWT_INPUT_INVALID', `${name} must be a NumericDate`)
  }
  const claims: Record<string, unknown> = { iss: o.iss }
  if (o.iat !== undefined) claims.iat = o.iat
  if (o.nbf !== undefined) claims.nbf = o.nbf
  if (o.exp !== undefined) claims.exp = o.exp
  claims.vct = o.vct
  // cnf and status follow _sd_alg, as in the SD-JWT VC examples (which sd-jwt-python generated).
  let holderKey: PublicJwk
  try {
    holderKey = parsePublicJwk(o.holderKey)
  } catch (e) {
    rethrowWeakEd25519Key(e)
    throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'holderKey is not a supported public key', e)
  }
  const trailing: Record<string, unknown> = { cnf: { jwk: holderKey } }
  if (o.status !== undefined) {
    if (!Number.isSafeInteger(o.status.idx) || o.status.idx < 0 || typeof o.status.uri !== 'string') {
      throw sdJwtError('ERR_SDJWT_INPUT_INVALID', 'status needs a non-negative integer idx and a uri')
    }
    trailing.status = { status_list: { idx: o.status.idx, uri: o.status.uri } }
  }
  // Attributes follow the registered claims; a claim path counts from the top of the payload.
  for (const [k, v] of Object.entries(o.claims)) setOwn(claims, k, v)
  return issueSdJwt({
    provider: o.provider,
    issuerKey: o.issuerKey,
    ...(o.alg ? { alg: o.alg } : {}),
    header: o.kid === undefined ? { typ: SD_JWT_VC_TYP } : { typ: SD_JWT_VC_TYP, kid: o.kid },
    claims,
    trailingClaims: trailing,
    ...(o.disclosable ? { disclosable: o.disclosable } : {}),
    ...(o.decoys !== undefined ? { decoys: o.decoys } : {}),
    ...(o.sdAlg ? { sdAlg: o.sdAlg } : {}),
    ...(o.saltGenerator ? { saltGenerator: o.saltGenerator } : {}),
    ...(o.jsonStyle ? { jsonStyle: o.jsonStyle } : {}),
  })
}

/** Issues an SD-JWT VC: `<JWT>~<D1>~...~<Dn>~` with `typ` `dc+sd-jwt`. */
export async function issueSdJwtVc(o: IssueSdJwtVcOptions): Promise<string> {
  return (await issueSdJwtVcDetailed(o)).compact
}
