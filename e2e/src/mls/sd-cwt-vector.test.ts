/**
 * The SD-CWT draft-08 KBT vector (../shared/specs/sd-cwt) as an MLS `sd_cwt` credential in a cipher
 * suite 2 (P-256) group, checked by the real SD-CWT verifier of shared/sd-cwt (§9) through the
 * AuthenticationService. The vector's holder key is P-256 and its KBT aud is fixed, so the service is
 * configured with that aud as its KeyPackage audience, and the clock is injected (the vectors are expired).
 */
import { describe, expect, it } from 'vitest'
import * as mls from 'ts-mls'
import { p256 } from '@noble/curves/nist.js'
import {
  createWebCryptoProvider,
  hexDecode,
  mlsSignatureKeyFromJwk,
  parsePrivateJwk,
  parsePublicJwk,
  verifySdCwtPresentation,
} from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { createMlsKeyPackage, mlsCipherSuite, mlsCredentialFromPresentation, mlsSignatureKeyPairFromJwk } from '@e2eid/wallet'
import { readVectorBytes, readVectorText, vectorDir } from '@e2eid/shared/testing'
import { MlsCredentialAuthenticationService, addMlsMembers, createMlsGroup, listMlsMembers } from '@e2eid/verifier'
import type { MlsPresentationVerifier } from '@e2eid/verifier'

const dir = vectorDir('sd-cwt/draft-08')
const provider = createWebCryptoProvider()

describe.skipIf(dir === undefined)('draft-mahy-mls-sd-cwt-credential §3.1 with the SD-CWT draft-08 KBT vector and the real SD-CWT verifier', () => {
  it('binds the vector\'s cnf to the leaf key (uncompressed and ts-mls-compressed), and refuses it on the provider\'s key', async () => {
    const params = JSON.parse(readVectorText('sd-cwt/verification-params.json')) as { expected_kbt_aud: string; expected_cnonce_hex: string; suggested_verifier_now: number }
    const holder = parsePrivateJwk((JSON.parse(readVectorText('sd-cwt/keys/holder.json')) as { jwk: unknown }).jwk)
    const issuerKey = parsePublicJwk((JSON.parse(readVectorText('sd-cwt/keys/issuer.json')) as { jwk: unknown }).jwk)
    const kbt = readVectorBytes('sd-cwt/draft-08/kbt.cbor')

    const verify: MlsPresentationVerifier = async (kind, presentation) => {
      expect(kind).toBe('sd-cwt')
      const v = await verifySdCwtPresentation(presentation as Uint8Array, {
        issuerKeys: [issuerKey],
        provider,
        now: params.suggested_verifier_now,
        aud: params.expected_kbt_aud,
        cnonce: hexDecode(params.expected_cnonce_hex),
      })
      const claims: Record<string, unknown> = {}
      for (const [k, val] of v.claims) claims[String(k)] = val
      return { holderKey: v.holderKey, sub: v.claims.get(2) as string, claims, issuer: v.issuer, audience: v.kbtClaims.get(3) as string }
    }
    const as = new MlsCredentialAuthenticationService({ verify, service: 'https://chat.example', provider, keyPackageAudiences: [params.expected_kbt_aud] })
    const cs = await mlsCipherSuite(2)
    const credential = mlsCredentialFromPresentation(kbt)

    // 1. the wallet's KeyPackage: RFC 9420 uncompressed key
    const kp = await createMlsKeyPackage({ credential, privateJwk: holder, cipherSuite: cs })
    expect(kp.keyPackage.leafNode.signaturePublicKey.length).toBe(65)
    const state = await createMlsGroup({ authService: as, cipherSuite: cs, keyPackage: kp.keyPackage, privateKeyPackage: kp.privateKeyPackage })
    const [member] = await listMlsMembers({ authService: as, state })
    expect(member).toMatchObject({ kind: 'sd-cwt', sub: 'https://holder.example', issuer: 'https://issuer.example', verified: true })
    expect(member!.claims).toHaveProperty('501', 'ABCD-123456') // inspector_license_number, disclosed in the vector

    // 2. the same key as ts-mls would emit it (33-byte compressed): still the cnf key (points compared)
    const pair = mlsSignatureKeyPairFromJwk(holder, cs)
    const compressed = p256.Point.fromBytes(pair.publicKey).toBytes(true)
    const kp2 = await mls.generateKeyPackageWithKey({ credential, signatureKeyPair: { ...pair, publicKey: compressed }, cipherSuite: cs, capabilities: kp.keyPackage.leafNode.capabilities })
    expect(await as.validateCredential(kp2.publicPackage.leafNode.credential, kp2.publicPackage.leafNode.signaturePublicKey)).toBe(true)

    // 3. the provider puts the vector credential on its own P-256 key
    const rogue = await provider.generateKeyPair('ES256')
    const forged = await createMlsKeyPackage({ credential, privateJwk: rogue.privateJwk, cipherSuite: cs })
    expect(mlsSignatureKeyFromJwk(rogue.publicJwk as PublicJwk)).toEqual(forged.keyPackage.leafNode.signaturePublicKey)
    await expect(addMlsMembers({ authService: as, cipherSuite: cs, state, keyPackages: [forged.keyPackage] })).rejects.toMatchObject({ code: 'ERR_MLS_KEY_MISMATCH' })
  })
})
