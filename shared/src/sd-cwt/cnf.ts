/**
 * @module sd-cwt/cnf
 * The holder's confirmation key from the SD-CWT `cnf` (8) claim (§6, RFC 8747): a COSE_Key (1), or a COSE Key
 * Thumbprint `ckt` (5, RFC 9679) resolved against keys the verifier already has.
 */
import { E2eidError } from '../errors.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { bytesEqual } from '../encoding/bytes.js'
import { coseKeyToJwk } from '../cose/key.js'
import { coseKeyThumbprint } from '../cose/thumbprint.js'
import { CNF_METHOD, CWT_CLAIM } from './constants.js'
import { rethrowWeakEd25519Key } from '../crypto/ed25519.js'

/**
 * Resolves the confirmation key. Errors: ERR_SDCWT_CNF_MISSING, ERR_SDCWT_CNF_INVALID (not a map, a broken
 * COSE_Key or ckt), ERR_SDCWT_CNF_UNSUPPORTED (Encrypted_COSE_Key, kid), ERR_SDCWT_CNF_UNRESOLVED (a ckt that
 * none of `knownHolderKeys` has).
 */
export function resolveCnf(claims: Map<unknown, unknown>, provider: Pick<CryptoProvider, 'digest'>, knownHolderKeys: readonly PublicJwk[] = []): PublicJwk {
  const cnf = claims.get(CWT_CLAIM.cnf)
  if (cnf === undefined) throw new E2eidError('ERR_SDCWT_CNF_MISSING', 'the SD-CWT has no cnf claim (key binding is mandatory)')
  if (!(cnf instanceof Map) || cnf.size !== 1) throw new E2eidError('ERR_SDCWT_CNF_INVALID', 'cnf must be a map with exactly one confirmation method')
  if (cnf.has(CNF_METHOD.coseKey)) {
    try {
      return coseKeyToJwk(cnf.get(CNF_METHOD.coseKey))
    } catch (e) {
      rethrowWeakEd25519Key(e)
      throw new E2eidError('ERR_SDCWT_CNF_INVALID', 'cnf COSE_Key is not a usable key', { cause: e })
    }
  }
  if (cnf.has(CNF_METHOD.ckt)) {
    const ckt = cnf.get(CNF_METHOD.ckt)
    if (!(ckt instanceof Uint8Array) || ckt.length !== 32) throw new E2eidError('ERR_SDCWT_CNF_INVALID', 'cnf ckt must be a 32-byte SHA-256 COSE Key Thumbprint')
    const key = knownHolderKeys.find((k) => bytesEqual(coseKeyThumbprint(k, provider), ckt))
    if (key === undefined) throw new E2eidError('ERR_SDCWT_CNF_UNRESOLVED', 'no known holder key has the cnf ckt thumbprint')
    return key
  }
  throw new E2eidError('ERR_SDCWT_CNF_UNSUPPORTED', 'cnf must hold a COSE_Key (1) or a ckt (5)')
}
