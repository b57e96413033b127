/**
 * Plain RFC 9901 SD-JWT versus SD-JWT VC (issue 13): the SD-JWT VC rules (vct required) apply only to the SD-JWT VC
 * typs; a plain SD-JWT is accepted only under an explicitly expected typ, and a policy that names credential types
 * still refuses one without vct. Uses the RFC 9901 §5 example (typ example+sd-jwt, no vct).
 */
import { describe, expect, it } from 'vitest'
import { isE2eidError } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { readVectorText, vectorDir } from '@e2eid/shared/testing'
import { pinnedKeyTrustStore } from '../trust/trust-store.js'
import { verifyPresentation } from '../verify-presentation.js'

const have = vectorDir('sd-jwt/rfc9901') !== undefined
const suite = have ? describe : describe.skip

suite('RFC 9901 §5 example through verifyPresentation', () => {
  const ex = have ? (JSON.parse(readVectorText('sd-jwt/rfc9901/sec5-main-example.json')) as { sd_jwt_presentation: string; verified_contents: Record<string, unknown> }) : undefined
  const key = have ? (JSON.parse(readVectorText('sd-jwt/keys.json')) as { issuer_public_jwk: PublicJwk }).issuer_public_jwk : undefined
  const policy = { aud: 'https://verifier.example.org', nonce: '1234567890', now: () => 1748537300 }
  const ctx = () => ({ trust: pinnedKeyTrustStore(key!) })

  it('typ example+sd-jwt expected: verified, no credential type; the default (SD-JWT VC) refuses it on typ', async () => {
    const v = await verifyPresentation(ex!.sd_jwt_presentation, { ...policy, typ: 'example+sd-jwt' }, ctx())
    expect(v.credentialType).toBeUndefined()
    expect(v.issuer).toBe('https://issuer.example.com')
    expect(v.claims).toEqual(ex!.verified_contents)
    await expect(verifyPresentation(ex!.sd_jwt_presentation, policy, ctx())).rejects.toSatisfy((e: unknown) => isE2eidError(e, 'ERR_SDJWT_TYP_INVALID'))
  })

  it('a policy with credential types refuses a plain SD-JWT that has no vct', async () => {
    await expect(verifyPresentation(ex!.sd_jwt_presentation, { ...policy, typ: 'example+sd-jwt', credentialTypes: ['urn:x'] }, ctx())).rejects.toSatisfy((e: unknown) =>
      isE2eidError(e, 'ERR_POLICY_TYPE_NOT_ACCEPTED'),
    )
  })
})
