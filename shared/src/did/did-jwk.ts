/**
 * @module did/did-jwk
 * A did-resolver driver for did:jwk (did:jwk method spec §2): the method-specific id is base64url(UTF-8(JWK));
 * the document has one verification method `#0`.
 */
import type { DIDResolutionResult, DIDResolver } from 'did-resolver'
import { E2eidError } from '../errors.js'
import { base64urlDecode, utf8Decode } from '../encoding/index.js'
import { rethrowWeakEd25519Key } from '../crypto/ed25519.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { resolutionError, singleKeyDocument } from './document.js'

/**
 * Decodes a did:jwk method-specific id into a public JWK; a private key (`d`) is refused. Throws ERR_DID_INVALID,
 * ERR_DID_UNSUPPORTED_KEY, or ERR_KEY_ED25519_WEAK as is (the one code for a weak Ed25519 key wherever it is parsed).
 */
export function didJwkToJwk(methodSpecificId: string): PublicJwk {
  let value: unknown
  try {
    value = JSON.parse(utf8Decode(base64urlDecode(methodSpecificId)))
  } catch (e) {
    throw new E2eidError('ERR_DID_INVALID', 'did:jwk is not base64url-encoded JSON', { cause: e })
  }
  if (typeof value === 'object' && value !== null && 'd' in value) {
    throw new E2eidError('ERR_DID_INVALID', 'did:jwk must not carry a private key')
  }
  try {
    return parsePublicJwk(value)
  } catch (e) {
    rethrowWeakEd25519Key(e)
    throw new E2eidError('ERR_DID_UNSUPPORTED_KEY', 'did:jwk key is not a supported public key', { cause: e })
  }
}

/** The did:jwk driver for did-resolver's `Resolver`. */
export const didJwkResolver: DIDResolver = async (did, parsed): Promise<DIDResolutionResult> => {
  try {
    return singleKeyDocument(did, `${did}#0`, didJwkToJwk(parsed.id))
  } catch (e) {
    return resolutionError('invalidDid', e)
  }
}
