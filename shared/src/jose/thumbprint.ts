/**
 * @module jose/thumbprint
 * RFC 7638 JWK SHA-256 thumbprints (DPoP `jkt`, RFC 9449 §6.1; holder-key identifiers).
 */
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'

// Recent thumbprints by key (DPoP keys recur on every request of a wallet). A thumbprint is a pure
// function of the members below, so a hit returns exactly what hashing would.
const recent = new Map<string, string>()
const RECENT_MAX = 1024

/** RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace; base64url. */
export function jwkThumbprint(crypto: Pick<CryptoProvider, 'digest'>, jwk: PublicJwk): string {
  const canonical =
    jwk.kty === 'EC'
      ? JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
      : JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })
  let t = recent.get(canonical)
  if (t === undefined) {
    t = base64urlEncode(crypto.digest('SHA-256', utf8Encode(canonical)))
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string)
    recent.set(canonical, t)
  }
  return t
}
