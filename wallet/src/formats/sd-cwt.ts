/**
 * @module formats/sd-cwt
 * SD-CWT (draft-ietf-spice-sd-cwt-08) in the wallet, under the project's OpenID4VCI format id
 * `application/sd-cwt` (specs/openid4vci-sd-cwt-format.md; the Credential Response carries
 * base64url of the CBOR, OpenID4VCI §8.3).
 *
 * Receipt = the holder checks of §6.2 through shared `checkSdCwtReceipt`: issuer signature under a
 * key of the issuer we asked (JWT VC Issuer Metadata), `iss` is that issuer, `sub` present, times
 * hold, `sd_alg` supported, every digest (decoys and nested ones included) has exactly one
 * disclosure and every disclosure is used, `cnf` is one of our fresh keys; plus `vct` is the
 * offered type. A presentation is a KBT (§8.1, shared `createKbt`) whose `kcwt` is the SD-CWT with
 * only the disclosures the requested paths need (parents included, decoys never sent), `aud`,
 * `iat` and the verifier's `cnonce` (the nonce's bytes when it is hex, else its UTF-8: shared
 * `cnonceFromNonce`, specs/openid4vp-sd-cwt.md); it is printed as hex.
 */
import {
  E2eidError,
  base64urlDecode,
  cborToJson,
  checkSdCwtReceipt,
  cnonceFromNonce,
  createKbt,
  createWebCryptoProvider,
  hexEncode,
  isE2eidError,
  parseSdCwt,
  revealClaims,
  selectDisclosures,
  SD_CWT_FORMAT,
} from '@e2eid/shared'
import type { CryptoProvider, VerifiedSdCwt } from '@e2eid/shared'
import { statusReferenceOf } from '../storage/schema.js'
import { fetchIssuerKeys } from './issuer-keys.js'
import type { CheckedCredential, CheckReceivedInput, ClaimPathInput, CredentialFormatHandler, PresentationPreview } from './types.js'

/** The project's OpenID4VCI Credential Format Identifier for SD-CWT (from @e2eid/shared). */
export { SD_CWT_FORMAT }

const MAX_CREDENTIAL_BYTES = 64 * 1024
const CWT = { exp: 4, iat: 6, vct: 11, status: 65535 } as const

function credentialBytes(credential: unknown): Uint8Array {
  if (typeof credential !== 'string') throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'an SD-CWT credential must be a base64url string')
  if (credential.length > (MAX_CREDENTIAL_BYTES * 4) / 3 + 4) throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'SD-CWT credential is too large')
  try {
    return base64urlDecode(credential)
  } catch (e) {
    throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'SD-CWT credential is not base64url', { cause: e })
  }
}

/** The issued SD-CWT opened by its holder: every disclosure applied (holder mode). */
function open(raw: string, provider: Pick<CryptoProvider, 'digest'>) {
  const token = parseSdCwt(credentialBytes(raw))
  return { token, revealed: revealClaims(token.claims, token.disclosures, { hash: token.hash, provider, mode: 'holder' }) }
}

/** Options of {@link createSdCwtHandler}. */
export interface SdCwtHandlerOptions {
  /** For previews (digests only); default WebCrypto + noble. */
  provider?: CryptoProvider
}

/** The wallet's SD-CWT handler. */
export function createSdCwtHandler(options: SdCwtHandlerOptions = {}): CredentialFormatHandler {
  const provider = options.provider ?? createWebCryptoProvider()
  return {
    formats: [SD_CWT_FORMAT],

    async checkReceived(input: CheckReceivedInput): Promise<CheckedCredential> {
      const bytes = credentialBytes(input.credential)
      // Structure first: garbage is refused before any network request for keys.
      parseSdCwt(bytes)
      const issuerKeys = await fetchIssuerKeys(input.issuer, input.fetch)
      // §6.2 via shared checkSdCwtReceipt: signature, iss/sub, times, sd_alg, a disclosure for every digest
      // (decoys and nested included), every disclosure used, and cnf = the holder key (tried for each fresh key).
      let v: VerifiedSdCwt | undefined
      let holderKeyIndex = -1
      let lastError: unknown
      for (let i = 0; i < input.holderKeys.length && v === undefined; i++) {
        try {
          v = await checkSdCwtReceipt(bytes, {
            issuerKeys,
            provider: input.provider,
            now: Math.floor(input.now / 1000),
            expectedIssuer: input.issuer,
            holderKey: input.holderKeys[i]!,
            holderKeys: input.holderKeys,
          })
          holderKeyIndex = i
        } catch (e) {
          if (!isE2eidError(e, 'ERR_SDCWT_HOLDER_KEY_MISMATCH')) throw e
          lastError = e
        }
      }
      if (v === undefined) throw lastError ?? new E2eidError('ERR_SDCWT_HOLDER_KEY_MISMATCH', 'the SD-CWT cnf is not the holder key')
      const vct = v.claims.get(CWT.vct)
      const offeredVct = input.credentialConfiguration.vct
      if (typeof offeredVct === 'string' && vct !== offeredVct) {
        throw new E2eidError('ERR_WALLET_VCT_MISMATCH', `credential vct ${String(vct)} is not the offered ${offeredVct}`)
      }
      const claims = cborToJson(v.claims) as Record<string, unknown>
      const status = statusReferenceOf(claims[String(CWT.status)])
      const iat = v.claims.get(CWT.iat)
      const exp = v.claims.get(CWT.exp)
      return {
        raw: input.credential as string,
        holderKeyIndex,
        claims,
        disclosablePaths: v.disclosures.filter((d) => d.disclosure.kind !== 'decoy').map((d) => [...d.path]),
        ...(status === undefined ? {} : { status }),
        metadata: {
          ...(typeof vct === 'string' ? { vct } : {}),
          // checkSdCwtReceipt required iss to be the Credential Issuer we asked.
          iss: input.issuer,
          ...(typeof iat === 'number' ? { issuedAt: iat } : {}),
          ...(typeof exp === 'number' ? { expiresAt: exp } : {}),
        },
      }
    },

    preview(raw: string, paths: readonly ClaimPathInput[]): PresentationPreview {
      const { token, revealed } = open(raw, provider)
      // The same selection createKbt makes: each claim's disclosure, its parents', everything inside; no decoys.
      const chosen = selectDisclosures(revealed, paths).map((i) => revealed.disclosures.find((d) => d.index === i)!)
      const shown = revealClaims(token.claims, chosen.map((d) => d.disclosure.bytes), { hash: token.hash, provider, mode: 'verifier' })
      return { disclosed: chosen.map((d) => [...d.path]), claims: cborToJson(shown.claims) as Record<string, unknown> }
    },

    async present(raw, request, signer, now, p): Promise<string> {
      // The verifier's nonce as KBT cnonce bytes: hex → its bytes, other text → UTF-8 (specs/openid4vp-sd-cwt.md).
      const cnonce = request.nonce === undefined ? undefined : cnonceFromNonce(request.nonce)
      // §8.1 via shared createKbt: the SD-CWT embedded as issued (kcwt) with only the chosen sd_claims.
      const kbt = await signer.withPrivateKey((holderKey) =>
        createKbt({
          sdCwt: credentialBytes(raw),
          disclose: request.paths,
          holderKey,
          alg: signer.alg,
          aud: request.aud,
          ...(cnonce === undefined ? {} : { cnonce }),
          now: Math.floor(now / 1000),
          provider: p,
        }),
      )
      return hexEncode(kbt)
    },
  }
}
