/**
 * @module trust/kid
 * One textual form for key ids: JOSE `kid` is a string, COSE `kid` (label 4 / 2) a byte string.
 * A byte string that is valid UTF-8 reads as that text (issuers commonly put text there), otherwise as its
 * base64url, the same rule as shared/cose `coseKeyToJwk` applies to a COSE_Key's kid.
 */
import { base64urlEncode } from '@e2eid/shared'

/** The textual form of a kid; undefined stays undefined. */
export function kidToString(kid: string | Uint8Array | undefined): string | undefined {
  if (kid === undefined || typeof kid === 'string') return kid
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(kid)
  } catch {
    return base64urlEncode(kid)
  }
}
