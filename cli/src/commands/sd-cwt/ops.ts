/**
 * @module commands/sd-cwt/ops
 * The four operations behind `e2eid sd-cwt issue|present|verify|inspect`, over bytes and parsed keys (no files,
 * no argv, no clock of their own), so the golden-vector generator runs exactly what the CLI runs, with fixed salts.
 */
import { CWT_CLAIM, E2eidError, cborToJson, createKbt, inspectSdCwt, issueSdCwt, parseClaimPath, verifySdCwtPresentation } from '@e2eid/shared'
import type { ClaimPath, CryptoProvider, JsonValue, PrivateJwk, PublicJwk, SaltContext, SdCwtInspection } from '@e2eid/shared'
import { parseClaimsFile } from './claims-json.js'
import { refuseUnexpectedNonce } from '../presentation-nonce.js'

/** Allowed clock skew of `e2eid sd-cwt verify`, in seconds (exp / nbf / iat against the verifier's clock). */
export const VERIFY_SKEW_SECONDS = 60

/** Input of {@link issueFromClaimsFile}. */
export interface IssueFromClaimsFileInput {
  /** The claims file text (see `claims-json.ts`). */
  claimsText: string
  issuerKey: PrivateJwk
  holderKey: PublicJwk
  /** Extra decoys in the top-level map (`--decoys`). */
  decoys: number
  /** Issue time, whole seconds since the epoch (`--now`): iat, and exp when the file has `validFor`. */
  now: number
  provider: CryptoProvider
  /** Fixed salts (golden vectors only); default fresh random salts. */
  salt?: (ctx: SaltContext) => Uint8Array
}

/**
 * Issues an SD-CWT from a claims file: protected `{1: alg, ?4: kid (the issuer JWK's kid), 16: 293, 170: -16}`,
 * `cnf` as a COSE_Key. Errors: ERR_CLI_CLAIMS_INVALID, ERR_SDCWT_* of `issueSdCwt`.
 */
export async function issueFromClaimsFile(input: IssueFromClaimsFileInput): Promise<Uint8Array> {
  const { claims, validFor } = parseClaimsFile(input.claimsText)
  if (validFor !== undefined) {
    if (claims.has(CWT_CLAIM.exp)) throw new E2eidError('ERR_CLI_CLAIMS_INVALID', 'the claims have exp (4) and the file has validFor: give one of them')
    claims.set(CWT_CLAIM.exp, input.now + validFor)
  }
  return issueSdCwt({
    claims,
    issuerKey: input.issuerKey,
    holderKey: input.holderKey,
    decoys: input.decoys,
    now: input.now,
    provider: input.provider,
    ...(input.issuerKey.kid === undefined ? {} : { kid: input.issuerKey.kid }),
    ...(input.salt === undefined ? {} : { salt: input.salt }),
  })
}

/**
 * Splits a `--disclose` value on commas outside double-quoted segments: `a,"b,c".d` → `a`, `"b,c".d`.
 * An empty value discloses nothing. Errors: ERR_SDCWT_PATH_INVALID.
 */
export function splitPaths(value: string): ClaimPath[] {
  if (value.trim().length === 0) return []
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (quoted && c === '\\') {
      cur += c + (value[i + 1] ?? '')
      i++
      continue
    }
    if (c === '"') quoted = !quoted
    if (c === ',' && !quoted) {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out.map((p) => parseClaimPath(p.trim()))
}

/** Input of {@link presentSdCwt}. */
export interface PresentSdCwtInput {
  sdCwt: Uint8Array
  holderKey: PrivateJwk
  disclose: readonly ClaimPath[]
  aud: string
  cnonce?: Uint8Array
  /** KBT iat, whole seconds since the epoch. */
  now: number
  provider: CryptoProvider
}

/** Builds the KBT (typ 294, kcwt 13, payload {3: aud, 6: iat, ?39: cnonce}). Errors: those of `createKbt`. */
export async function presentSdCwt(input: PresentSdCwtInput): Promise<Uint8Array> {
  return createKbt({
    sdCwt: input.sdCwt,
    disclose: input.disclose,
    holderKey: input.holderKey,
    aud: input.aud,
    now: input.now,
    provider: input.provider,
    ...(input.cnonce === undefined ? {} : { cnonce: input.cnonce }),
  })
}

/** Input of {@link verifyKbt}. */
export interface VerifyKbtInput {
  kbt: Uint8Array
  issuerKey: PublicJwk
  aud: string
  cnonce?: Uint8Array
  /** Verification time, seconds since the epoch. */
  now: number
  provider: CryptoProvider
  /** Largest KBT age (its iat) in seconds; unlimited when absent (`e2eid sd-cwt verify` gives 300 by default). */
  maxKbtAge?: number
  /** Without `cnonce`, refuse a KBT that carries one (ERR_VERIFY_NONCE_UNEXPECTED; `--any-nonce` turns it off). */
  refuseUnexpectedNonce?: boolean
}

/**
 * Verifies a presentation (draft §9, key binding always required) against one trusted issuer key and returns the
 * Validated Disclosed Claims Set as the JSON view of the CLI contract. Errors: every ERR_SDCWT_* / ERR_COSE_* /
 * ERR_CBOR_* of `verifySdCwtPresentation`, ERR_CBOR_JSON_KEY_COLLISION.
 */
export async function verifyKbt(input: VerifyKbtInput): Promise<JsonValue> {
  const v = await verifySdCwtPresentation(input.kbt, {
    issuerKeys: [input.issuerKey],
    provider: input.provider,
    aud: input.aud,
    now: input.now,
    skew: VERIFY_SKEW_SECONDS,
    ...(input.cnonce === undefined ? {} : { cnonce: input.cnonce }),
    ...(input.maxKbtAge === undefined ? {} : { maxKbtAge: input.maxKbtAge }),
  })
  refuseUnexpectedNonce(v.kbtClaims.has(CWT_CLAIM.cnonce), input.cnonce !== undefined, input.refuseUnexpectedNonce !== true)
  // A claims set holding both 7 and "7" cannot be shown as JSON: cborToJson refuses it (ERR_CBOR_JSON_KEY_COLLISION).
  return cborToJson(v.claims)
}

/** The diagnostic view of an SD-CWT or a KBT (nothing verified). Errors: ERR_CBOR_*, ERR_COSE_*, ERR_SDCWT_*. */
export function inspectToken(bytes: Uint8Array, provider: CryptoProvider): SdCwtInspection {
  return inspectSdCwt(bytes, { provider })
}
