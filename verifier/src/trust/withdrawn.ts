/**
 * @module trust/withdrawn
 * Withdrawn (compromised) issuer keys. An authority that lost a signing key withdraws it: it stops
 * publishing it, and tells verifiers that pin keys the kid and the time from which nothing it signed is to be
 * trusted. A credential whose `iat` is at or after that time (or has no `iat`) is refused; a status list signed
 * by a withdrawn key is refused whatever its time (a thief can sign a list that reinstates anything).
 */
import { E2eidError } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'

/** The key material, kid and metadata aside: a withdrawn key relabelled with another kid is still the same key. */
export function keyMaterial(k: PublicJwk): string {
  return k.kty === 'EC' ? `EC:${k.crv}:${k.x}:${k.y}` : `${k.kty}:${k.crv}:${k.x}`
}

/**
 * Throws ERR_VERIFY_ISSUER_KEY_WITHDRAWN when the key that verified a credential was withdrawn at or before the
 * credential's `iat` (deny by default: a credential without iat signed by a withdrawn key is refused too).
 */
export function assertCredentialKeyNotWithdrawn(since: number | undefined, issuedAt: number | undefined): void {
  if (since === undefined) return
  if (issuedAt === undefined || issuedAt >= since) {
    throw new E2eidError('ERR_VERIFY_ISSUER_KEY_WITHDRAWN', `the issuer withdrew the key that signed this credential (compromised since ${since})`)
  }
}
