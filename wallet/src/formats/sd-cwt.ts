/**
 * @module formats/sd-cwt
 * SD-CWT (draft-ietf-spice-sd-cwt-08) in the wallet, under the project's OpenID4VCI format id
 * `application/sd-cwt` (specs/openid4vci-sd-cwt-format.md; the Credential Response carries
 * base64url of the CBOR, OpenID4VCI §8.3).
 *
 * Receipt = the holder checks of §6.2 through `verifyIssuedSdCwt` in holder mode: issuer
 * signature under a key of the issuer we asked (JWT VC Issuer Metadata), `iss` is that issuer,
 * times hold, `sd_alg` supported, every digest (decoys and nested ones included) has exactly one
 * disclosure and every disclosure is used; then `cnf` must be one of our fresh keys, and `vct`
 * the offered type. A presentation is a KBT (§8.1) whose `kcwt` is the SD-CWT with only the
 * disclosures the requested paths need (parents included, decoys never sent), `aud`, `iat`
 * and the verifier's `cnonce`; it is printed as hex.
 */
import {
  CborSimple,
  CborTag,
  E2eidError,
  base64urlDecode,
  createWebCryptoProvider,
  encodeCbor,
  hexDecode,
  hexEncode,
  parseSdCwt,
  revealClaims,
  samePublicKey,
  signCoseSign1,
  verifyIssuedSdCwt,
} from '@e2eid/shared'
import type { CryptoProvider, RevealedDisclosure, SdCwtToken } from '@e2eid/shared'
import { statusReferenceOf } from '../storage/schema.js'
import { fetchIssuerKeys } from './issuer-keys.js'
import type { CheckedCredential, CheckReceivedInput, ClaimPath, CredentialFormatHandler, PresentationPreview } from './types.js'

/** The project's OpenID4VCI Credential Format Identifier for SD-CWT. */
export const SD_CWT_FORMAT = 'application/sd-cwt'

const MAX_CREDENTIAL_BYTES = 64 * 1024
const CWT = { aud: 3, exp: 4, iat: 6, cnf: 8, vct: 11, cnonce: 39, status: 65535 } as const
const HEADER = { kcwt: 13, typ: 16, sdClaims: 17 } as const
const TYP_KBT = 294

function credentialBytes(credential: unknown): Uint8Array {
  if (typeof credential !== 'string') throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'an SD-CWT credential must be a base64url string')
  if (credential.length > (MAX_CREDENTIAL_BYTES * 4) / 3 + 4) throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'SD-CWT credential is too large')
  try {
    return base64urlDecode(credential)
  } catch (e) {
    throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'SD-CWT credential is not base64url', { cause: e })
  }
}

/**
 * A JSON-friendly rendering of CBOR claims for storage and display: maps become objects (labels as
 * strings), byte strings hex, tags `{tag, value}`, simple values `simple(n)`.
 */
export function cborToJson(v: unknown, depth = 0): unknown {
  if (depth > 64) return null
  if (v instanceof Map) {
    const o: Record<string, unknown> = {}
    for (const [k, x] of v) o[k instanceof CborSimple ? `simple(${k.value})` : String(k)] = cborToJson(x, depth + 1)
    return o
  }
  if (Array.isArray(v)) return v.map((x) => cborToJson(x, depth + 1))
  if (v instanceof Uint8Array) return hexEncode(v)
  if (v instanceof CborTag) return { tag: v.tag, value: cborToJson(v.value, depth + 1) }
  if (v instanceof CborSimple) return `simple(${v.value})`
  if (typeof v === 'bigint') return v.toString()
  return v
}

function sameSegment(a: string | number, b: string | number): boolean {
  return a === b || String(a) === String(b)
}

function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => sameSegment(s, path[i]!))
}

function hasPath(claims: unknown, path: ClaimPath): boolean {
  let cur = claims
  for (const seg of path) {
    if (cur instanceof Map) {
      const key = [...cur.keys()].find((k) => (typeof k === 'string' || typeof k === 'number') && sameSegment(k, seg))
      if (key === undefined) return false
      cur = cur.get(key)
    } else if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg >= cur.length) return false
      cur = cur[seg]
    } else return false
  }
  return true
}

interface Opened {
  token: SdCwtToken
  all: Map<unknown, unknown>
  revealed: readonly RevealedDisclosure[]
}

function open(raw: string, provider: Pick<CryptoProvider, 'digest'>): Opened {
  const token = parseSdCwt(credentialBytes(raw))
  const r = revealClaims(token.claims, token.disclosures, { hash: token.hash, provider, mode: 'verifier' })
  return { token, all: r.claims, revealed: r.disclosures }
}

/** The disclosures a presentation of `paths` needs: each claim's own, its parents', and everything inside it. */
function select(o: Opened, paths: readonly ClaimPath[]): RevealedDisclosure[] {
  for (const p of paths) {
    if (p.length === 0 || !hasPath(o.all, p)) throw new E2eidError('ERR_WALLET_PATH_NOT_FOUND', `claim ${p.join('.')} is not in the credential`)
  }
  return o.revealed.filter((d) => d.disclosure.kind !== 'decoy' && paths.some((p) => isPrefix(d.path, p) || isPrefix(p, d.path)))
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
      const issuerKeys = await fetchIssuerKeys(input.issuer, input.fetch)
      const v = await verifyIssuedSdCwt(bytes, {
        issuerKeys,
        provider: input.provider,
        now: Math.floor(input.now / 1000),
        expectedIssuer: input.issuer,
        holderKeys: input.holderKeys,
        mode: 'holder',
      })
      // §6.2: cnf is the holder's own key (one of the fresh keys whose proofs we sent).
      const holderKeyIndex = input.holderKeys.findIndex((k) => samePublicKey(k, v.holderKey))
      if (holderKeyIndex < 0) throw new E2eidError('ERR_SDCWT_CNF_MISMATCH', 'cnf is not the holder key')
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
          ...(typeof iat === 'number' ? { issuedAt: iat } : {}),
          ...(typeof exp === 'number' ? { expiresAt: exp } : {}),
        },
      }
    },

    preview(raw: string, paths: readonly ClaimPath[]): PresentationPreview {
      const o = open(raw, provider)
      const chosen = select(o, paths)
      const shown = revealClaims(o.token.claims, chosen.map((d) => d.disclosure.bytes), { hash: o.token.hash, provider, mode: 'verifier' })
      return { disclosed: chosen.map((d) => [...d.path]), claims: cborToJson(shown.claims) as Record<string, unknown> }
    },

    async present(raw, request, signer, now, p): Promise<string> {
      const o = open(raw, p)
      const chosen = select(o, request.paths)
      const sd = o.token.sign1
      if (sd.payload === null) throw new E2eidError('ERR_WALLET_CREDENTIAL_MALFORMED', 'SD-CWT payload is detached')
      // The SD-CWT travels inside the KBT protected header (kcwt, 13) as an embedded COSE_Sign1 with the
      // issuer's protected header, payload and signature byte for byte; only sd_claims (17) changes.
      const unprotected = new Map(sd.unprotectedHeaders)
      unprotected.delete(HEADER.sdClaims)
      if (chosen.length > 0) unprotected.set(HEADER.sdClaims, chosen.map((d) => d.disclosure.bytes))
      const kcwt = new CborTag(18, [sd.protectedBytes, unprotected, sd.payload, sd.signature])
      const claims = new Map<number, unknown>([
        [CWT.aud, request.aud],
        [CWT.iat, Math.floor(now / 1000)],
      ])
      if (request.nonce !== undefined) {
        let cnonce: Uint8Array
        try {
          cnonce = hexDecode(request.nonce)
        } catch (e) {
          throw new E2eidError('ERR_WALLET_NONCE_INVALID', 'an SD-CWT nonce must be hex', { cause: e })
        }
        claims.set(CWT.cnonce, cnonce)
      }
      const kbt = await signer.withPrivateKey((key) =>
        signCoseSign1({
          protectedHeaders: new Map<unknown, unknown>([
            [HEADER.typ, TYP_KBT],
            [HEADER.kcwt, kcwt],
          ]),
          payload: encodeCbor(claims),
          key,
          alg: signer.alg,
          provider: p,
        }),
      )
      return hexEncode(kbt)
    },
  }
}
