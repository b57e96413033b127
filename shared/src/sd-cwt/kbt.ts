/**
 * @module sd-cwt/kbt
 * Holder: builds a Key Binding Token (§8.1) — a COSE_Sign1 signed with the `cnf` key, protected header
 * `{1: alg, 13: SD-CWT with the chosen sd_claims, 16: 294}`, payload `{3: aud, ?4: exp, ?5: nbf, 6: iat, ?7: cti,
 * ?39: cnonce}` (sorted keys). The issuer's protected header, payload and signature are embedded as received.
 */
import { E2eidError } from '../errors.js'
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PrivateJwk } from '../crypto/jwk.js'
import { publicJwkOf } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { samePublicKey } from '../cose/key.js'
import { COSE_SIGN1_TAG, signCoseSign1 } from '../cose/sign1.js'
import { aeadEntryToCbor, encryptDisclosure } from './aead.js'
import { resolveCnf } from './cnf.js'
import { CWT_CLAIM, SD_CWT_HEADER, TYP_KBT } from './constants.js'
import { selectDisclosures } from './disclose.js'
import type { ClaimPath } from './path.js'
import { revealClaims } from './reveal.js'
import { assertSafe } from './safe.js'
import type { SdCwtToken } from './token.js'
import { parseSdCwt } from './token.js'

/** Input of {@link createKbt}. */
export interface CreateKbtInput {
  /** The SD-CWT as issued (all disclosures), bytes or parsed. */
  sdCwt: Uint8Array | SdCwtToken
  /** Claim paths to disclose (`email`, `address.country`, `503.country`, `roles.1`) or parsed paths. */
  disclose: readonly (string | ClaimPath)[]
  /** The holder's private key; must be the SD-CWT's `cnf` key. */
  holderKey: PrivateJwk
  /** The verifier (KBT `aud`). */
  aud: string
  /** The verifier's nonce (KBT `cnonce`). */
  cnonce?: Uint8Array
  /** KBT `iat`; default floor(now). `null` omits it (then `cti` is required and exp/nbf are not allowed, §8.1). */
  iat?: number | null
  /** Seconds since the epoch; default the system clock. */
  now?: number
  /** KBT `cti`. */
  cti?: Uint8Array
  exp?: number
  nbf?: number
  /** Default: the holder key's curve. */
  alg?: SignatureAlgorithm
  provider: CryptoProvider
  /**
   * AEAD-encrypt some disclosures for the verifier (-08 §12: the holder encrypts): the disclosures needed for
   * these paths go into `sd_aead_encrypted_claims` (171) instead of `sd_claims` (17), unless also needed in plain.
   */
  encrypt?: { disclose: readonly (string | ClaimPath)[]; key: Uint8Array; keyContext?: number | string | Uint8Array }
}

/**
 * Creates a KBT presenting the claims at `disclose`. Errors: ERR_SDCWT_HOLDER_KEY_MISMATCH (holderKey is not
 * the cnf key), ERR_SDCWT_PATH_INVALID / ERR_SDCWT_PATH_NOT_FOUND, ERR_SDCWT_MISSING_DISCLOSURE (the SD-CWT
 * lacks a disclosure for one of its digests), ERR_SDCWT_INVALID_CLAIMS (bad aud/times).
 */
export async function createKbt(input: CreateKbtInput): Promise<Uint8Array> {
  const token = input.sdCwt instanceof Uint8Array ? parseSdCwt(input.sdCwt) : input.sdCwt
  const { provider } = input
  const holderPublic = publicJwkOf(input.holderKey)
  const cnfKey = resolveCnf(token.claims, provider, [holderPublic])
  if (!samePublicKey(cnfKey, holderPublic)) throw new E2eidError('ERR_SDCWT_HOLDER_KEY_MISMATCH', 'holderKey is not the key in the SD-CWT cnf')
  const revealed = revealClaims(token.claims, token.disclosures, { hash: token.hash, provider, mode: 'holder' })
  const plainIdx = selectDisclosures(revealed, input.disclose)
  const chosen = plainIdx.map((i) => token.disclosures[i]!)

  const unprotected = new Map(token.sign1.unprotectedHeaders)
  unprotected.delete(SD_CWT_HEADER.sdClaims)
  if (chosen.length > 0) unprotected.set(SD_CWT_HEADER.sdClaims, chosen)
  if (input.encrypt !== undefined) {
    const { key, keyContext } = input.encrypt
    const sdAead = token.sign1.protectedHeaders.get(SD_CWT_HEADER.sdAead) as number | undefined
    const encIdx = selectDisclosures(revealed, input.encrypt.disclose).filter((i) => !plainIdx.includes(i))
    const entries = []
    for (const i of encIdx) {
      const e = await encryptDisclosure(token.disclosures[i]!, { key, randomBytes: (n) => provider.randomBytes(n), ...(sdAead === undefined ? {} : { sdAead }), ...(keyContext === undefined ? {} : { keyContext }) })
      entries.push(aeadEntryToCbor(e))
    }
    const existing = (unprotected.get(SD_CWT_HEADER.sdAeadEncryptedClaims) as unknown[] | undefined) ?? []
    if (entries.length + existing.length > 0) unprotected.set(SD_CWT_HEADER.sdAeadEncryptedClaims, [...existing, ...entries])
  }
  const embedded = new CborTag(COSE_SIGN1_TAG, [token.sign1.protectedBytes, unprotected, token.sign1.payload, token.sign1.signature])

  if (typeof input.aud !== 'string' || input.aud.length === 0) throw new E2eidError('ERR_SDCWT_INVALID_CLAIMS', 'aud must be a non-empty string')
  const iat = input.iat === null ? undefined : (input.iat ?? Math.floor(input.now ?? Date.now() / 1000))
  if (iat === undefined && (input.cti === undefined || input.exp !== undefined || input.nbf !== undefined)) {
    throw new E2eidError('ERR_SDCWT_INVALID_CLAIMS', 'a KBT without iat needs cti and must not carry exp or nbf')
  }
  const payload = new Map<unknown, unknown>([[CWT_CLAIM.aud, input.aud]])
  if (input.exp !== undefined) payload.set(CWT_CLAIM.exp, input.exp)
  if (input.nbf !== undefined) payload.set(CWT_CLAIM.nbf, input.nbf)
  if (iat !== undefined) payload.set(CWT_CLAIM.iat, iat)
  if (input.cti !== undefined) payload.set(CWT_CLAIM.cti, input.cti)
  if (input.cnonce !== undefined) payload.set(CWT_CLAIM.cnonce, input.cnonce)
  for (const [k, v] of payload) {
    if (k !== CWT_CLAIM.aud && k !== CWT_CLAIM.cti && k !== CWT_CLAIM.cnonce && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new E2eidError('ERR_SDCWT_INVALID_CLAIMS', `KBT claim ${String(k)} must be a finite number`)
    }
  }
  assertSafe(payload, 'ERR_SDCWT_INVALID_CLAIMS', 'the KBT payload')
  return signCoseSign1({
    protectedHeaders: new Map<unknown, unknown>([[SD_CWT_HEADER.kcwt, embedded], [SD_CWT_HEADER.typ, TYP_KBT]]),
    payload: encodeCbor(payload),
    key: input.holderKey,
    ...(input.alg === undefined ? {} : { alg: input.alg }),
    provider,
  })
}
