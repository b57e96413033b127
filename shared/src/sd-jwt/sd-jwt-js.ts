/**
 * @module sd-jwt/sd-jwt-js
 * An `SDJwtVcInstance` (@sd-jwt/sd-jwt-vc 0.19.0) wired to our CryptoProvider as signer,
 * verifier, KB signer/verifier, hasher and salt generator. For interoperability checks and for
 * code that wants the library's API; it does NOT add the RFC 9901 checks 0.19.0 lacks
 * (reference/sd-jwt-js.md §7): verify untrusted input with verifySdJwtVcPresentation instead.
 */
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import type { SDJWTVCConfig } from '@sd-jwt/sd-jwt-vc'
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import { algorithmForCurve } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { hashForSdAlg } from './hash.js'
import { isJsonObject } from './json.js'

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
