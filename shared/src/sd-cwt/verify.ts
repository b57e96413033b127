/**
 * @module sd-cwt/verify
 * The verifier algorithm of §9. {@link verifySdCwtPresentation} checks a KBT and the
 * SD-CWT inside it — key binding is always required. {@link verifyIssuedSdCwt} checks an SD-CWT on its own
 * (issuer signature, structure, times, disclosures); it is the building block of the holder's receipt check and
 * of `inspect`, never a substitute for a presentation check.
 */
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { bytesEqual } from '../encoding/bytes.js'
import type { DecodeCborOptions } from '../cbor/decode.js'
import { decodeCbor } from '../cbor/decode.js'
import type { CoseSign1, VerifiedCoseSign1 } from '../cose/sign1.js'
import { decodeCoseSign1, verifyCoseSign1 } from '../cose/sign1.js'
import type { AeadKeyLookup } from './aead.js'
import { decryptAeadEntries } from './aead.js'
import { resolveCnf } from './cnf.js'
import { CWT_CLAIM, SD_CWT_HEADER } from './constants.js'
import type { RevealedDisclosure, UndisclosedDigest } from './reveal.js'
import { revealClaims } from './reveal.js'
import { assertSafe } from './safe.js'
import type { Clock, TokenTimes } from './time.js'
import { checkTimesAgainstNow, checkTimesBetween, checkTimesConsistent, nowOf, readTimes } from './time.js'
import type { SdCwtToken } from './token.js'
import { isKbtTyp, parseSdCwt } from './token.js'

/** Options shared by the SD-CWT checks. */
export interface SdCwtCheckOptions {
  /** Trusted issuer public keys (deny by default: a token signed by any other key is rejected). */
  issuerKeys: readonly PublicJwk[]
  provider: CryptoProvider
  /** The verifier's clock (seconds since the epoch, or a function). Default: the system clock. */
  now?: Clock
  /** Allowed clock skew in seconds for exp / nbf / iat against `now`. Default 0. */
  skew?: number
  /** When set, the SD-CWT `iss` must equal it (§16.5). */
  expectedIssuer?: string
  /** Holder keys known out of band, to resolve a `cnf` that carries only a `ckt` thumbprint. */
  holderKeys?: readonly PublicJwk[]
  /** Keys for AEAD-encrypted disclosures (171); entries whose key is unknown are skipped. */
  aeadKeys?: AeadKeyLookup
  /** CBOR limits for the whole token (defaults of `decodeCbor`). */
  limits?: DecodeCborOptions
}

/** An SD-CWT whose issuer signature, structure, times and disclosures were checked. */
export interface VerifiedSdCwt {
  /** The Validated Disclosed Claims Set (§9 step 10): disclosed claims in place, remaining redactions removed. */
  claims: Map<unknown, unknown>
  /** `iss`. */
  issuer: string
  /** The trusted key that verified the issuer signature. */
  issuerKey: PublicJwk
  /** The confirmation key from `cnf`. */
  holderKey: PublicJwk
  token: SdCwtToken
  times: TokenTimes
  disclosures: readonly RevealedDisclosure[]
  undisclosed: readonly UndisclosedDigest[]
}

/** Options of {@link verifyIssuedSdCwt}. */
export interface VerifyIssuedSdCwtOptions extends SdCwtCheckOptions {
  /** `verifier` (default): digests without a disclosure stay hidden. `holder`: every digest needs one (§6.2). */
  mode?: 'holder' | 'verifier'
  /** Check exp/nbf/iat against the clock (default true). */
  checkTime?: boolean
}

function verifySignature(msg: CoseSign1, keys: PublicJwk | readonly PublicJwk[], provider: CryptoProvider, code: ErrorCode): Promise<VerifiedCoseSign1> {
  // A promise chain rather than an async wrapper: one promise and one microtask fewer per signature.
  return verifyCoseSign1(msg, { keys, provider }).then(undefined, (e: unknown) => {
    if (e instanceof E2eidError && e.code === 'ERR_COSE_SIGNATURE_INVALID') throw new E2eidError(code, e.message, { cause: e })
    throw e
  })
}

function checkIssuer(claims: Map<unknown, unknown>, expected: string | undefined): string {
  const iss = claims.get(CWT_CLAIM.iss)
  // -08 §6: iss MUST be present unless a certificate in the protected header names the issuer (not supported).
  if (typeof iss !== 'string') throw new E2eidError('ERR_SDCWT_ISS_MISSING', 'the SD-CWT has no iss text string')
  if (expected !== undefined && iss !== expected) throw new E2eidError('ERR_SDCWT_ISS_MISMATCH', `iss ${JSON.stringify(iss)} is not the expected issuer`)
  return iss
}

/** What {@link checkSdCwtHead} read from the SD-CWT claims before any signature is known good. */
interface SdCwtHead {
  readonly issuer: string
  readonly times: TokenTimes
  readonly holderKey: PublicJwk
}

/**
 * The SD-CWT checks of both entry points that need no signature (§9 steps 3-4): iss, times, cnf. `clock` is
 * `false` when times are not checked against a clock; passed apart from `options` so that no options object is
 * copied per verification. Synchronous: the callers await the signatures themselves (no async layer).
 */
function checkSdCwtHead(token: SdCwtToken, options: SdCwtCheckOptions & { readonly expectedIssuer?: string }, clock: Clock | undefined | false): SdCwtHead {
  const claims = token.claims
  const issuer = checkIssuer(claims, options.expectedIssuer)
  const times = readTimes(claims, false)
  checkTimesConsistent(times, false)
  if (clock !== false) checkTimesAgainstNow(times, nowOf(clock), options.skew ?? 0, false)
  return { issuer, times, holderKey: resolveCnf(claims, options.provider, options.holderKeys) }
}

/**
 * Step 8 and 10, once the signatures are checked (the KBT's covers the disclosures): the disclosures, with the
 * AEAD-encrypted ones when keys are given (only then asynchronous).
 */
function revealSdCwt(token: SdCwtToken, options: SdCwtCheckOptions, mode: 'holder' | 'verifier', head: SdCwtHead, issuerKey: PublicJwk): VerifiedSdCwt | Promise<VerifiedSdCwt> {
  if (token.aeadEntries.length > 0 && options.aeadKeys !== undefined) {
    const sdAead = token.sign1.protectedHeaders.get(SD_CWT_HEADER.sdAead)
    return decryptAeadEntries(token.aeadEntries, options.aeadKeys, sdAead).then((decrypted) => revealWith([...token.disclosures, ...decrypted], token, options, mode, head, issuerKey))
  }
  return revealWith(token.disclosures, token, options, mode, head, issuerKey)
}

function revealWith(
  disclosures: readonly Uint8Array[],
  token: SdCwtToken,
  options: SdCwtCheckOptions,
  mode: 'holder' | 'verifier',
  head: SdCwtHead,
  issuerKey: PublicJwk,
): VerifiedSdCwt {
  const revealed = revealClaims(token.claims, disclosures, { hash: token.hash, provider: options.provider, mode, maxDepth: options.limits?.maxDepth })
  return {
    claims: revealed.claims,
    issuer: head.issuer,
    issuerKey,
    holderKey: head.holderKey,
    token,
    times: head.times,
    disclosures: revealed.disclosures,
    undisclosed: revealed.undisclosed,
  }
}

/**
 * Verifies an SD-CWT on its own: tag 18 and typ, the issuer signature under one of `issuerKeys`
 * (ERR_SDCWT_ISSUER_SIGNATURE_INVALID), `iss`, times, `cnf`, and the disclosures (§9 steps 2-4, 8, 10).
 * No key binding: use {@link verifySdCwtPresentation} for presentations.
 */
export async function verifyIssuedSdCwt(sdCwt: Uint8Array | SdCwtToken, options: VerifyIssuedSdCwtOptions): Promise<VerifiedSdCwt> {
  const token = sdCwt instanceof Uint8Array ? parseSdCwt(sdCwt, options.limits) : sdCwt
  const signature = verifySignature(token.sign1, options.issuerKeys, options.provider, 'ERR_SDCWT_ISSUER_SIGNATURE_INVALID')
  signature.catch(() => undefined) // awaited below; avoid an unhandled rejection when an earlier check throws
  const head = checkSdCwtHead(token, options, options.checkTime === false ? false : options.now)
  const { key: issuerKey } = await signature
  return revealSdCwt(token, options, options.mode ?? 'verifier', head, issuerKey)
}

/** Options of {@link verifySdCwtPresentation}. */
export interface VerifyPresentationOptions extends SdCwtCheckOptions {
  /** The verifier's own identifier: the KBT `aud` must equal it (§9 step 9). */
  aud: string
  /** The nonce the verifier issued: when given, the KBT must carry an equal `cnonce` (§9 step 6). */
  cnonce?: Uint8Array
  /** When given, the KBT must carry a `cnonce` even if `cnonce` was not passed (replay protection by policy). */
  requireCnonce?: boolean
  /** Accepted `aud` values of the SD-CWT itself when it has one (default: only `aud`). */
  sdCwtAudiences?: readonly string[]
  /**
   * When set, a KBT `iat` older than this many seconds is rejected (ERR_SDCWT_KBT_TOO_OLD), and a KBT without `iat`
   * (cti only) too (ERR_SDCWT_KBT_IAT_MISSING): its age cannot be bounded.
   */
  maxKbtAge?: number
}

/** The result of {@link verifySdCwtPresentation}. */
export interface VerifiedPresentation extends VerifiedSdCwt {
  /** The KBT claims (aud, iat/cti, cnonce, ...). */
  kbtClaims: Map<unknown, unknown>
  kbtProtectedHeaders: Map<unknown, unknown>
  kbtTimes: TokenTimes
}

/**
 * A KBT already decoded by {@link decodeSdCwtPresentation}: its COSE_Sign1 and the SD-CWT of its `kcwt`.
 * Lets a caller that must look inside before verifying (e.g. to pick the issuer's keys) pass the result to
 * {@link verifySdCwtPresentation} instead of the bytes, so that nothing is decoded twice.
 */
export interface DecodedSdCwtPresentation {
  readonly kbt: CoseSign1
  readonly token: SdCwtToken
}

// Only pairs made here are accepted: the token is then certainly the kcwt of that KBT (the KBT signature binds it).
// A private field is the brand: no other object can carry it (not even one made from this prototype), and testing
// for it costs a property lookup where a WeakSet costs an ephemeron-table insert per presentation.
class DecodedPresentation implements DecodedSdCwtPresentation {
  readonly #madeHere = true
  constructor(
    readonly kbt: CoseSign1,
    readonly token: SdCwtToken,
  ) {
    Object.freeze(this)
  }

  static isMadeHere(o: object): boolean {
    return #madeHere in o
  }
}

/**
 * Decodes the SD-CWT in the `kcwt` (13) header of a decoded KBT (nothing is verified or trusted yet; the KBT
 * checks of §8.1 run in {@link verifySdCwtPresentation}). `limits` must be those later given to verification.
 */
export function decodeSdCwtPresentation(kbt: CoseSign1, limits?: DecodeCborOptions): DecodedSdCwtPresentation {
  return new DecodedPresentation(kbt, parseSdCwt(kbt.protectedHeaders.get(SD_CWT_HEADER.kcwt), limits))
}

function parseKbt(input: Uint8Array | CoseSign1, limits: DecodeCborOptions | undefined): { kbt: CoseSign1; claims: Map<unknown, unknown> } {
  const kbt = input instanceof Uint8Array ? decodeCoseSign1(input, limits) : input
  const p = kbt.protectedHeaders
  if (!isKbtTyp(p.get(SD_CWT_HEADER.typ))) throw new E2eidError('ERR_SDCWT_KBT_TYP_INVALID', 'a KBT needs typ 294 (application/kb+cwt) in its protected header')
  if (!p.has(SD_CWT_HEADER.kcwt)) throw new E2eidError('ERR_SDCWT_KCWT_MISSING', 'the KBT protected header has no kcwt (13)')
  if (p.has(SD_CWT_HEADER.cwtClaims) || kbt.unprotectedHeaders.has(SD_CWT_HEADER.cwtClaims)) {
    throw new E2eidError('ERR_SDCWT_KBT_CWT_CLAIMS', 'CWT Claims (15) must not appear in a KBT')
  }
  for (const [k, v] of p) if (k !== SD_CWT_HEADER.kcwt) assertSafe(v, 'ERR_SDCWT_UNSAFE_HEADER', 'the KBT protected header')
  assertSafe(kbt.unprotectedHeaders, 'ERR_SDCWT_UNSAFE_HEADER', 'the KBT unprotected header')
  if (kbt.payload === null) throw new E2eidError('ERR_SDCWT_KBT_MALFORMED', 'a KBT payload cannot be detached')
  const claims = decodeCbor(kbt.payload, limits)
  if (!(claims instanceof Map)) throw new E2eidError('ERR_SDCWT_KBT_MALFORMED', 'the KBT payload must be a claims map')
  assertSafe(claims, 'ERR_SDCWT_KBT_UNSAFE_CLAIM', 'the KBT payload')
  return { kbt, claims }
}

/**
 * Verifies a presentation: a KBT (tag 18, typ 294) holding the SD-CWT in `kcwt` (13). Runs every step of §9:
 * both signatures (issuer key from `issuerKeys`, holder key from the SD-CWT `cnf`), typ of both tokens, KBT claims
 * (no iss/sub; aud; iat or cti; cnonce), every time rule within and between the tokens, disclosure matching at any
 * depth with rejection of extra/orphan/duplicate disclosures and duplicate labels, and the SD-CWT `aud` if any.
 * Returns the Validated Disclosed Claims Set. Every failure is an E2eidError with a stable code.
 * `kbtInput` is the KBT's bytes or what {@link decodeSdCwtPresentation} made of them (then nothing is decoded again).
 */
export async function verifySdCwtPresentation(kbtInput: Uint8Array | DecodedSdCwtPresentation, options: VerifyPresentationOptions): Promise<VerifiedPresentation> {
  const decoded = kbtInput instanceof Uint8Array ? undefined : kbtInput
  if (decoded !== undefined && (typeof decoded !== 'object' || decoded === null || !DecodedPresentation.isMadeHere(decoded))) {
    throw new TypeError('verifySdCwtPresentation: pass the KBT bytes or the result of decodeSdCwtPresentation')
  }
  const { kbt, claims: kbtClaims } = parseKbt(decoded === undefined ? (kbtInput as Uint8Array) : decoded.kbt, options.limits)
  const token = decoded?.token ?? parseSdCwt(kbt.protectedHeaders.get(SD_CWT_HEADER.kcwt), options.limits)
  const issuerSig = verifySignature(token.sign1, options.issuerKeys, options.provider, 'ERR_SDCWT_ISSUER_SIGNATURE_INVALID')
  issuerSig.catch(() => undefined)
  const now = nowOf(options.now)
  const skew = options.skew ?? 0
  // Steps 2-4 (SD-CWT) with no signature known good yet.
  const head = checkSdCwtHead(token, options, now)
  // Step 5: the KBT under the cnf key, with the alg that key allows. Both signatures are checked before any
  // disclosure is processed.
  const [{ key: issuerKey }] = await Promise.all([issuerSig, verifySignature(kbt, head.holderKey, options.provider, 'ERR_SDCWT_KBT_SIGNATURE_INVALID')])
  const revealed = revealSdCwt(token, options, 'verifier', head, issuerKey)
  const sd = revealed instanceof Promise ? await revealed : revealed
  // KBT claims (§8.1).
  if (kbtClaims.has(CWT_CLAIM.iss) || kbtClaims.has(CWT_CLAIM.sub)) throw new E2eidError('ERR_SDCWT_KBT_FORBIDDEN_CLAIM', 'a KBT must not carry iss or sub')
  const aud = kbtClaims.get(CWT_CLAIM.aud)
  if (typeof aud !== 'string') throw new E2eidError('ERR_SDCWT_KBT_AUD_MISSING', 'the KBT has no aud')
  if (aud !== options.aud) throw new E2eidError('ERR_SDCWT_AUD_MISMATCH', 'the KBT aud is not this verifier')
  const cti = kbtClaims.get(CWT_CLAIM.cti)
  if (cti !== undefined && !(cti instanceof Uint8Array)) throw new E2eidError('ERR_SDCWT_KBT_CLAIM_INVALID', 'the KBT cti must be a byte string')
  // Step 6: cnonce.
  const cnonce = kbtClaims.get(CWT_CLAIM.cnonce)
  if (cnonce !== undefined && !(cnonce instanceof Uint8Array)) throw new E2eidError('ERR_SDCWT_KBT_CLAIM_INVALID', 'the KBT cnonce must be a byte string')
  if (options.cnonce !== undefined || options.requireCnonce === true) {
    if (cnonce === undefined) throw new E2eidError('ERR_SDCWT_CNONCE_MISSING', 'the KBT has no cnonce')
    if (options.cnonce !== undefined && !bytesEqual(cnonce, options.cnonce)) throw new E2eidError('ERR_SDCWT_CNONCE_MISMATCH', 'the KBT cnonce is not the expected nonce')
  }
  // Step 7: times.
  const kbtTimes = readTimes(kbtClaims, true)
  if (kbtTimes.iat === undefined) {
    if (cti === undefined) throw new E2eidError('ERR_SDCWT_KBT_IAT_MISSING', 'a KBT needs iat or cti')
    if (kbtTimes.exp !== undefined || kbtTimes.nbf !== undefined) throw new E2eidError('ERR_SDCWT_KBT_TIME_WITHOUT_IAT', 'a KBT without iat must not carry exp or nbf')
  }
  checkTimesConsistent(kbtTimes, true)
  checkTimesBetween(kbtTimes, sd.times)
  checkTimesAgainstNow(kbtTimes, now, skew, true, options.maxKbtAge)
  // §8.1 allows cti instead of iat, but then the KBT's age is unknown: with a maximum age, a KBT without iat is
  // refused, not exempt (a captured KBT with only a cti would be replayable for ever).
  if (options.maxKbtAge !== undefined && kbtTimes.iat === undefined) {
    throw new E2eidError('ERR_SDCWT_KBT_IAT_MISSING', 'the KBT has no iat, so its age cannot be bounded (maxKbtAge)')
  }
  // Step 9: the SD-CWT aud, when present.
  const sdAud = sd.claims.get(CWT_CLAIM.aud)
  if (sdAud !== undefined) {
    const accepted = options.sdCwtAudiences ?? [options.aud]
    if (typeof sdAud !== 'string' || !accepted.includes(sdAud)) throw new E2eidError('ERR_SDCWT_AUD_MISMATCH', 'the SD-CWT aud is not acceptable')
  }
  // Written out, not spread: copying `sd` with a spread took ~5 % of a verification without signatures.
  return {
    claims: sd.claims,
    issuer: sd.issuer,
    issuerKey: sd.issuerKey,
    holderKey: sd.holderKey,
    token: sd.token,
    times: sd.times,
    disclosures: sd.disclosures,
    undisclosed: sd.undisclosed,
    kbtClaims,
    kbtProtectedHeaders: kbt.protectedHeaders,
    kbtTimes,
  }
}
