/**
 * Test-only helpers for reading ../shared/specs/sd-jwt vectors (never copied into the repo).
 * Not exported from the package.
 */
import { base64urlDecode } from '../../encoding/base64url.js'
import { utf8Decode } from '../../encoding/bytes.js'
import type { PrivateJwk, PublicJwk } from '../../crypto/jwk.js'
import { readVectorText, vectorDir } from '../../test-helpers/vectors.js'

/** True when ../shared/specs/sd-jwt exists (throws under E2EID_REQUIRE_VECTORS=1 when it does not). */
export const haveSdJwtVectors = vectorDir('sd-jwt') !== undefined

/** Parses a JSON vector file under sd-jwt/. */
export function sdJwtVector<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readVectorText(`sd-jwt/${name}`)) as T
}

export interface VectorKeys {
  issuer_public_jwk: PublicJwk
  issuer_private_jwk: PrivateJwk
  holder_public_jwk: PublicJwk
  holder_private_jwk: PrivateJwk
}

/** The RFC 9901 A.5 issuer key and the example holder key. */
export function vectorKeys(): VectorKeys {
  return sdJwtVector<VectorKeys>('keys.json')
}

/** The salt of each disclosure, in order: feeding them back reproduces the issuance. */
export function saltsOf(disclosures: readonly { disclosure: string }[]): string[] {
  return disclosures.map((d) => (JSON.parse(utf8Decode(base64urlDecode(d.disclosure))) as string[])[0]!)
}

/** A salt generator that replays `salts` and fails when they run out. */
export function replaySalts(salts: readonly string[]): () => string {
  let i = 0
  return () => {
    const s = salts[i++]
    if (s === undefined) throw new Error('salt sequence exhausted')
    return s
  }
}

/** Decodes the JSON of a base64url segment. */
export function decodeSegment(s: string): unknown {
  return JSON.parse(utf8Decode(base64urlDecode(s)))
}
