/** Test-only helpers to read the SD-CWT vectors of ../shared/specs/sd-cwt/ at run time. */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import type { PrivateJwk, PublicJwk } from '../../crypto/jwk.js'
import { hexDecode } from '../../encoding/hex.js'
import { readVectorText } from '../../test-helpers/vectors.js'

/** The `{"@map":[[k,v]…]}` / `{"@bytes":hex}` JSON form used by the vector files, as CBOR values. */
export function fromTaggedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromTaggedJson)
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if ('@bytes' in o) return hexDecode(o['@bytes'] as string)
    if ('@map' in o) return new Map((o['@map'] as [unknown, unknown][]).map(([k, x]) => [fromTaggedJson(k), fromTaggedJson(x)]))
  }
  return v
}

export const draftIssuerPublic = (): PublicJwk => createPublicKey(readVectorText('sd-cwt/keys/issuer_pubkey.pem')).export({ format: 'jwk' }) as unknown as PublicJwk
export const draftHolderPublic = (): PublicJwk => createPublicKey(readVectorText('sd-cwt/keys/holder_pubkey.pem')).export({ format: 'jwk' }) as unknown as PublicJwk
export const draftIssuerPrivate = (): PrivateJwk => createPrivateKey(readVectorText('sd-cwt/keys/issuer_privkey.pem')).export({ format: 'jwk' }) as unknown as PrivateJwk
export const draftHolderPrivate = (): PrivateJwk => createPrivateKey(readVectorText('sd-cwt/keys/holder_privkey.pem')).export({ format: 'jwk' }) as unknown as PrivateJwk

export interface VerificationParams {
  expected_kbt_aud: string
  expected_cnonce_hex: string
  kbt_iat: number
  sd_cwt_iat: number
  sd_cwt_nbf: number
  sd_cwt_exp: number
  suggested_verifier_now: number
}
export const verificationParams = (): VerificationParams => JSON.parse(readVectorText('sd-cwt/verification-params.json')) as VerificationParams

export interface ExpectedClaims {
  results: Record<string, { json: unknown; kbt_payload_edn: string | null; disclosures_presented: number }>
}
export const expectedClaims = (): ExpectedClaims => JSON.parse(readVectorText('sd-cwt/expected-claims.json')) as ExpectedClaims
