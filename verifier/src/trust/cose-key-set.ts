/**
 * @module trust/cose-key-set
 * COSE_KeySet (RFC 9052 §7: a CBOR array of COSE_Key) to JWKs with their kids. Keys of unsupported types are
 * skipped (they cannot have signed anything we accept); a malformed set is refused.
 */
import { E2eidError, coseKeyToJwk, decodeCbor } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'

/** A key from a COSE_KeySet. */
export interface CoseSetKey {
  kid: string | undefined
  jwk: PublicJwk
}

/** Decodes a COSE_KeySet; throws ERR_VERIFY_KEY_SET_INVALID. */
export function decodeCoseKeySet(bytes: Uint8Array): CoseSetKey[] {
  let set: unknown
  try {
    set = decodeCbor(bytes, { maxBytes: 256 * 1024, maxDepth: 4 })
  } catch (e) {
    throw new E2eidError('ERR_VERIFY_KEY_SET_INVALID', 'COSE key set is not valid CBOR', { cause: e })
  }
  if (!Array.isArray(set) || set.length > 100) throw new E2eidError('ERR_VERIFY_KEY_SET_INVALID', 'COSE key set must be an array of at most 100 keys')
  const out: CoseSetKey[] = []
  for (const k of set) {
    if (!(k instanceof Map)) throw new E2eidError('ERR_VERIFY_KEY_SET_INVALID', 'COSE key set entries must be COSE_Key maps')
    if (k.has(-4)) throw new E2eidError('ERR_VERIFY_KEY_SET_INVALID', 'COSE key set contains a private key')
    try {
      const jwk = coseKeyToJwk(k)
      out.push({ kid: jwk.kid, jwk })
    } catch {
      // Unsupported key types are not candidates.
    }
  }
  return out
}
