/**
 * @module formats/sd-jwt-vc
 * SD-JWT VC (`dc+sd-jwt`) in the wallet: the RFC 9901 §7.2 holder checks on receipt
 * (`checkSdJwtVcReceipt` of `@e2eid/shared`: issuer signature with a key from the issuer's JWT VC
 * Issuer Metadata, `typ`, every disclosure referenced, no KB-JWT, `cnf.jwk` is our key, not
 * expired), plus: `iss` is the issuer we talked to and `vct` is the offered type.
 * An `iss` that is a DID (did:jwk, did:key, did:web; SD-JWT VC §3.5) is accepted with a key from its DID
 * document instead (see formats/did-issuer-keys); the stored credential keeps both the Credential Issuer it
 * came from (`issuer`) and this `iss` (`metadata.iss`), and the CLI shows both. Presentations
 * are SD-JWT+KB with only the disclosures the requested paths need (`presentSdJwtVc`).
 */
import {
  E2eidError,
  base64urlEncode,
  checkSdJwtVcReceipt,
  createWebCryptoProvider,
  isE2eidError,
  openSdJwt,
  presentSdJwtVc,
  previewSdJwtPresentation,
  selectSdJwtDisclosures,
  SD_JWT_VC_FORMAT,
} from '@e2eid/shared'
import type { CryptoProvider, OpenedSdJwt, VerifiedSdJwtVc } from '@e2eid/shared'
import type { CheckedCredential, CheckReceivedInput, ClaimPath, ClaimPathInput, CredentialFormatHandler, PresentationPreview } from './types.js'
import { fetchIssuerKeys } from './issuer-keys.js'
import { fetchDidIssuerKeys, isDid } from './did-issuer-keys.js'

/** OpenID4VCI 1.0 App. A.3 format identifier (from @e2eid/shared). */
export { SD_JWT_VC_FORMAT }

function isDigestElement(el: unknown): el is { '...': string } {
  return typeof el === 'object' && el !== null && !Array.isArray(el) && typeof (el as Record<string, unknown>)['...'] === 'string'
}

/**
 * Maps each disclosure's digest to the claim path it reveals. Array positions count the
 * elements as the verifier will see them (decoys and unknown digests excluded), as
 * `selectSdJwtDisclosures` does.
 */
export function sdJwtDisclosurePaths(opened: OpenedSdJwt): Map<string, ClaimPath> {
  const byDigest = new Map(opened.disclosures.map((d) => [d.digest, d]))
  const out = new Map<string, ClaimPath>()
  const walk = (node: unknown, path: Array<string | number>, depth: number): void => {
    if (typeof node !== 'object' || node === null || depth > 64) return
    if (Array.isArray(node)) {
      let idx = -1
      for (const el of node) {
        if (isDigestElement(el)) {
          const d = byDigest.get(el['...'])
          if (d === undefined) continue
          idx++
          out.set(d.digest, [...path, idx])
          walk(d.value, [...path, idx], depth + 1)
        } else {
          idx++
          walk(el, [...path, idx], depth + 1)
        }
      }
      return
    }
    const obj = node as Record<string, unknown>
    if (Array.isArray(obj._sd)) {
      for (const digest of obj._sd) {
        const d = typeof digest === 'string' ? byDigest.get(digest) : undefined
        if (d === undefined || d.name === undefined) continue
        out.set(d.digest, [...path, d.name])
        walk(d.value, [...path, d.name], depth + 1)
      }
    }
    for (const [k, v] of Object.entries(obj)) if (k !== '_sd' && k !== '_sd_alg') walk(v, [...path, k], depth + 1)
  }
  walk(opened.payload, [], 0)
  return out
}

/** Options of {@link createSdJwtVcHandler}. */
export interface SdJwtVcHandlerOptions {
  /** For previews (digests only); default WebCrypto + noble. */
  provider?: CryptoProvider
}

/** The wallet's SD-JWT VC handler. */
export function createSdJwtVcHandler(options: SdJwtVcHandlerOptions = {}): CredentialFormatHandler {
  const provider = options.provider ?? createWebCryptoProvider()
  return {
    formats: [SD_JWT_VC_FORMAT],

    async checkReceived(input: CheckReceivedInput): Promise<CheckedCredential> {
      if (typeof input.credential !== 'string') throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'an SD-JWT VC must be a string')
      const compact = input.credential
      const nowSec = Math.floor(input.now / 1000)
      let issuerKeys: Awaited<ReturnType<typeof fetchIssuerKeys>> | undefined
      const keys = async (ctx: { iss: string | undefined; kid: string | undefined }) => {
        // A DID issuer: keys from its DID document, the method named by kid (the same resolver as the verifier).
        if (isDid(ctx.iss)) {
          issuerKeys ??= await fetchDidIssuerKeys(ctx.iss, ctx.kid, { fetch: input.fetch, insecureLoopback: input.allowInsecureLoopback === true })
          return issuerKeys
        }
        // Otherwise only keys published for the issuer we requested from; a token naming another issuer is refused.
        if (ctx.iss !== input.issuer) throw new E2eidError('ERR_WALLET_ISSUER_MISMATCH', `credential iss ${String(ctx.iss)} is not ${input.issuer}`)
        issuerKeys ??= await fetchIssuerKeys(input.issuer, input.fetch)
        return issuerKeys
      }
      let verified: VerifiedSdJwtVc | undefined
      let holderKeyIndex = -1
      let lastError: unknown
      for (let i = 0; i < input.holderKeys.length && verified === undefined; i++) {
        try {
          verified = await checkSdJwtVcReceipt(compact, { provider: input.provider, issuerKeys: keys, holderKey: input.holderKeys[i]!, now: nowSec })
          holderKeyIndex = i
        } catch (e) {
          if (!isE2eidError(e, 'ERR_SDJWT_CNF_MISMATCH')) throw e
          lastError = e
        }
      }
      if (verified === undefined) throw lastError ?? new E2eidError('ERR_SDJWT_CNF_MISMATCH', 'cnf.jwk is not the holder key')
      if (verified.issuer !== input.issuer && !isDid(verified.issuer)) throw new E2eidError('ERR_WALLET_ISSUER_MISMATCH', `credential iss ${verified.issuer} is not ${input.issuer}`)
      const offeredVct = input.credentialConfiguration.vct
      if (typeof offeredVct === 'string' && verified.vct !== offeredVct) {
        throw new E2eidError('ERR_WALLET_VCT_MISMATCH', `credential vct ${verified.vct} is not the offered ${offeredVct}`)
      }
      const opened = openSdJwt(provider, compact)
      const claims = verified.claims
      return {
        raw: compact,
        holderKeyIndex,
        claims,
        disclosablePaths: [...sdJwtDisclosurePaths(opened).values()],
        ...(verified.status === undefined ? {} : { status: { uri: verified.status.uri, idx: verified.status.idx } }),
        metadata: {
          vct: verified.vct,
          iss: verified.issuer,
          ...(typeof claims.iat === 'number' ? { issuedAt: claims.iat } : {}),
          ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
        },
      }
    },

    preview(raw: string, paths: readonly ClaimPathInput[]): PresentationPreview {
      const opened = openSdJwt(provider, raw)
      const byDigest = sdJwtDisclosurePaths(opened)
      const chosen = selectSdJwtDisclosures(opened, paths)
      return {
        disclosed: chosen.map((d) => byDigest.get(d.digest)!).filter((p) => p !== undefined),
        claims: previewSdJwtPresentation(provider, raw, paths),
      }
    },

    async present(raw, request, signer, now, p): Promise<string> {
      // RFC 9901 §4.3: the KB-JWT needs a nonce; without a verifier nonce use a fresh random one.
      const nonce = request.nonce ?? base64urlEncode(p.randomBytes(16))
      return signer.withPrivateKey((holderKey) =>
        presentSdJwtVc({ provider: p, sdJwtVc: raw, disclose: request.paths, holderKey, alg: signer.alg, aud: request.aud, nonce, now: Math.floor(now / 1000) }),
      )
    },
  }
}
