/**
 * @module did/did-key
 * A did-resolver driver for did:key (W3C CCG did:key v0.7): multibase base58btc (`z`) of a multicodec-prefixed
 * public key. Supported: ed25519-pub (0xed), p256-pub (0x1200), p384-pub (0x1201); anything else is refused.
 */
import type { DIDResolutionResult, DIDResolver } from 'did-resolver'
import { E2eidError } from '../errors.js'
import { base64urlEncode } from '../encoding/index.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { base58btcDecode } from './base58.js'
import { compressedPointToJwk } from './ec-point.js'
import { singleKeyDocument, resolutionError } from './document.js'

/** Decodes the method-specific id of a did:key (`z6Mk…`) into a public JWK. Throws ERR_DID_INVALID. */
export function didKeyToJwk(methodSpecificId: string): PublicJwk {
  if (!methodSpecificId.startsWith('z')) throw new E2eidError('ERR_DID_INVALID', 'did:key must use multibase base58btc (z)')
  const bytes = base58btcDecode(methodSpecificId.slice(1))
  const [b0, b1] = [bytes[0], bytes[1]]
  const key = bytes.subarray(2)
  if (b0 === 0xed && b1 === 0x01) {
    if (key.length !== 32) throw new E2eidError('ERR_DID_INVALID', 'ed25519 did:key must carry 32 bytes')
    return parsePublicJwk({ kty: 'OKP', crv: 'Ed25519', x: base64urlEncode(key) })
  }
  if (b0 === 0x80 && b1 === 0x24) return compressedPointToJwk('P-256', key)
  if (b0 === 0x81 && b1 === 0x24) return compressedPointToJwk('P-384', key)
  throw new E2eidError('ERR_DID_UNSUPPORTED_KEY', 'did:key multicodec is not one of ed25519-pub, p256-pub, p384-pub')
}

/** The did:key driver for did-resolver's `Resolver`. */
export const didKeyResolver: DIDResolver = async (did, parsed): Promise<DIDResolutionResult> => {
  try {
    const jwk = didKeyToJwk(parsed.id)
    return singleKeyDocument(did, `${did}#${parsed.id}`, jwk)
  } catch (e) {
    return resolutionError('invalidDid', e)
  }
}
