/**
 * Test helper: an `SDJwtVcInstance` (@sd-jwt/sd-jwt-vc 0.19.0, a devDependency) wired to our
 * CryptoProvider as signer, verifier, KB signer/verifier, hasher and salt generator, for the
 * interoperability tests. It does NOT add the RFC 9901 checks 0.19.0 lacks (the ones
 * rfc9901-validation.test.ts checks in our layer).
 */
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import type { SDJWTVCConfig, SdJwtVcPayload } from '@sd-jwt/sd-jwt-vc'
import type { SignatureAlgorithm } from '../../crypto/algorithms.js'
import { algorithmForCurve } from '../../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../../crypto/jwk.js'
import { parsePublicJwk } from '../../crypto/jwk.js'
import type { CryptoProvider } from '../../crypto/provider.js'
import { base64urlDecode, base64urlEncode } from '../../encoding/base64url.js'
import { utf8Encode } from '../../encoding/bytes.js'
import { hashForSdAlg } from '../hash.js'
import { decodeJwt } from '../compact.js'
import { frameFromDisclosable } from '../frame.js'
import type { IssuedSdJwt } from '../issue.js'
import { isJsonObject } from '../json.js'
import { openSdJwt } from '../present.js'
import type { IssueSdJwtVcOptions } from '../vc-issue.js'
import { issueSdJwtVcDetailed } from '../vc-issue.js'

/** Keys and settings for {@link createSdJwtVcInstance}. */
export interface SdJwtVcInstanceOptions {
  readonly provider: CryptoProvider
  /** Issuer signing key (for `issue`). */
  readonly issuerKey?: PrivateJwk
  readonly issuerAlg?: SignatureAlgorithm
  /** Trusted issuer keys (for `verify`). */
  readonly issuerPublicKeys?: readonly PublicJwk[]
  /** Holder key (for `present` with a KB-JWT). */
  readonly holderKey?: PrivateJwk
  readonly holderAlg?: SignatureAlgorithm
  /** Further @sd-jwt/sd-jwt-vc settings (status list fetcher, vct fetcher, ...). */
  readonly config?: Partial<SDJWTVCConfig>
}

async function verifyWithAny(provider: CryptoProvider, keys: readonly PublicJwk[], data: string, sig: string): Promise<boolean> {
  let raw: Uint8Array
  try {
    raw = base64urlDecode(sig)
  } catch {
    return false
  }
  for (const k of keys) {
    try {
      if (await provider.verify(algorithmForCurve(k.crv).alg, k, utf8Encode(data), raw)) return true
    } catch {
      // a key that does not fit cannot have made the signature
    }
  }
  return false
}

/** Creates an @sd-jwt/sd-jwt-vc 0.19.0 instance that uses `provider` for all crypto. */
export function createSdJwtVcInstance(o: SdJwtVcInstanceOptions): SDJwtVcInstance {
  const { provider } = o
  const config: SDJWTVCConfig = {
    hasher: (data, alg) => provider.digest(hashForSdAlg(alg), typeof data === 'string' ? utf8Encode(data) : new Uint8Array(data)),
    hashAlg: 'sha-256',
    saltGenerator: (length) => base64urlEncode(provider.randomBytes(length)),
    verifier: (data, sig) => verifyWithAny(provider, o.issuerPublicKeys ?? [], data, sig),
    kbVerifier: (data, sig, payload) => {
      const cnf = (payload as Record<string, unknown>).cnf
      if (!isJsonObject(cnf)) return false
      let key: PublicJwk
      try {
        key = parsePublicJwk(cnf.jwk)
      } catch {
        return false
      }
      return verifyWithAny(provider, [key], data, sig)
    },
    ...o.config,
  }
  if (o.issuerKey !== undefined) {
    const key = o.issuerKey
    const alg = o.issuerAlg ?? algorithmForCurve(key.crv).alg
    config.signAlg = alg
    config.signer = async (data) => base64urlEncode(await provider.sign(alg, key, utf8Encode(data)))
  }
  if (o.holderKey !== undefined) {
    const key = o.holderKey
    const alg = o.holderAlg ?? algorithmForCurve(key.crv).alg
    config.kbSignAlg = alg
    config.kbSigner = async (data) => base64urlEncode(await provider.sign(alg, key, utf8Encode(data)))
  }
  return new SDJwtVcInstance(config)
}

/**
 * The credential {@link issueSdJwtVcDetailed} issues for `o`, issued through SDJwtVcInstance instead:
 * the same payload (ours, issued without disclosures) and the same disclosable paths and decoys as
 * a library frame. `jsonStyle` does not apply; `disclosures`/`payload` are decoded from the result.
 */
export async function issueSdJwtVcWithSdJwtJs(o: IssueSdJwtVcOptions): Promise<IssuedSdJwt> {
  const { disclosable, decoys, saltGenerator, ...plain } = o
  const full = await issueSdJwtVcDetailed(plain)
  const payload: Record<string, unknown> = { ...full.payload }
  delete payload._sd_alg
  const frame = frameFromDisclosable(disclosable ?? [], typeof decoys === 'number' ? { '': decoys } : (decoys ?? {}))
  const lib = createSdJwtVcInstance({
    provider: o.provider,
    issuerKey: o.issuerKey,
    ...(o.alg ? { issuerAlg: o.alg } : {}),
    config: { ...(saltGenerator ? { saltGenerator: () => saltGenerator() } : {}), ...(o.sdAlg ? { hashAlg: o.sdAlg } : {}) },
  })
  const compact = await lib.issue(payload as SdJwtVcPayload, frame as never, o.kid === undefined ? undefined : { header: { kid: o.kid } })
  const opened = openSdJwt(o.provider, compact)
  const { header } = decodeJwt(opened.jwt, 'ERR_SDJWT_MALFORMED', 'issuer-signed JWT')
  return { compact, header, payload: opened.payload, disclosures: opened.disclosures }
}
