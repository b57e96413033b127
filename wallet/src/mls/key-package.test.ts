import { describe, expect, it } from 'vitest'
import * as mls from 'ts-mls'
import { base64urlDecode, createWebCryptoProvider, E2eidError, fromMlsCredentialCarrier, mlsSignatureKeyMatchesJwk } from '@e2eid/shared'
import type { PrivateJwk } from '@e2eid/shared'
import { mlsCredentialFromPresentation } from './credential.js'
import { createMlsKeyPackage, encodeMlsKeyPackage, mlsCipherSuite, mlsSignatureKeyPairFromJwk } from './key-package.js'

const provider = createWebCryptoProvider()
// A KBT-shaped byte string (tag 18 COSE_Sign1); the MLS layer checks only the outer shape.
const KBT = Uint8Array.of(0xd2, 0x84, 0x43, 0xa1, 0x01, 0x27, 0xa0, 0x41, 0x00, 0x41, 0x00)
const J = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln'

describe('issue 5 MLS: KeyPackage signed by the credential key', () => {
  it('suite 1: LeafNode signature_key is the JWK x; our credential types are listed in capabilities', async () => {
    const { privateJwk, publicJwk } = await provider.generateKeyPair('EdDSA')
    const credential = mlsCredentialFromPresentation(KBT)
    const { keyPackage, privateKeyPackage } = await createMlsKeyPackage({ credential, privateJwk })
    expect(keyPackage.cipherSuite).toBe(1)
    expect(keyPackage.leafNode.signaturePublicKey).toEqual(base64urlDecode((publicJwk as { x: string }).x))
    expect(privateKeyPackage.signaturePrivateKey).toEqual(base64urlDecode(privateJwk.d))
    expect(keyPackage.leafNode.capabilities.credentials).toEqual(expect.arrayContaining([5, 6]))
    expect(keyPackage.leafNode.credential).toEqual({ credentialType: 5, data: KBT })
    // ts-mls verifies the KeyPackage (signature by the JWK's key) when a group is created from it
    const cs = await mlsCipherSuite()
    const state = await mls.createGroup({
      context: { cipherSuite: cs, authService: mls.unsafeTestingAuthenticationService },
      groupId: new Uint8Array(16),
      keyPackage,
      privateKeyPackage,
    })
    expect(mls.getGroupMembers(state)).toHaveLength(1)
  })

  it('MLSMessage framing (RFC 9420 §6) decodes with ts-mls to the same KeyPackage', async () => {
    const { privateJwk } = await provider.generateKeyPair('EdDSA')
    const { keyPackage } = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(`${J}~${J}`), privateJwk })
    const bytes = encodeMlsKeyPackage(keyPackage)
    expect([...bytes.subarray(0, 4)]).toEqual([0, 1, 0, 5])
    const msg = mls.decode(mls.mlsMessageDecoder, bytes)
    if (msg === undefined || msg.wireformat !== mls.wireformats.mls_key_package) throw new Error('not a KeyPackage')
    expect(fromMlsCredentialCarrier(msg.keyPackage.leafNode.credential as mls.CredentialCustom)).toEqual({ kind: 'sd-jwt', compacted: false, sdJwtKb: `${J}~${J}` })
  })

  it('suite 2 (P-256): the leaf key is the 65-byte uncompressed point (RFC 9420 §5.1.1), and ts-mls signs/verifies with it', async () => {
    const { privateJwk, publicJwk } = await provider.generateKeyPair('ES256')
    const cs = await mlsCipherSuite(2)
    const { keyPackage, privateKeyPackage } = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(KBT), privateJwk, cipherSuite: cs })
    expect(keyPackage.leafNode.signaturePublicKey.length).toBe(65)
    expect(mlsSignatureKeyMatchesJwk(keyPackage.leafNode.signaturePublicKey, publicJwk)).toBe(true)
    const state = await mls.createGroup({
      context: { cipherSuite: cs, authService: mls.unsafeTestingAuthenticationService },
      groupId: new Uint8Array(16),
      keyPackage,
      privateKeyPackage,
    })
    expect(mls.getGroupMembers(state)).toHaveLength(1)
  })

  it('without a cipher suite, picks the one of the key\'s curve (P-256 → suite 2)', async () => {
    const { privateJwk } = await provider.generateKeyPair('ES256')
    const { keyPackage } = await createMlsKeyPackage({ credential: mlsCredentialFromPresentation(KBT), privateJwk })
    expect(keyPackage.cipherSuite).toBe(2)
  })

  it('refuses a key whose curve is not the cipher suite\'s (ERR_MLS_CIPHERSUITE_KEY_MISMATCH) and unsupported suites', async () => {
    const { privateJwk } = await provider.generateKeyPair('ES256')
    const cs = await mlsCipherSuite(1)
    expect(() => mlsSignatureKeyPairFromJwk(privateJwk as PrivateJwk, cs)).toThrow(expect.objectContaining({ code: 'ERR_MLS_CIPHERSUITE_KEY_MISMATCH' }))
    await expect(mlsCipherSuite(4)).rejects.toBeInstanceOf(E2eidError)
  })

  it('a private-use type number is used for the credential and listed in capabilities', async () => {
    const { privateJwk } = await provider.generateKeyPair('EdDSA')
    const types = { sdCwt: 0xf0a1, sdJwt: 0xf0a2 }
    const credential = mlsCredentialFromPresentation(KBT, { types })
    expect(credential.credentialType).toBe(0xf0a1)
    const { keyPackage } = await createMlsKeyPackage({ credential, privateJwk, types })
    expect(keyPackage.leafNode.capabilities.credentials).toEqual(expect.arrayContaining([0xf0a1, 0xf0a2]))
    expect(keyPackage.leafNode.capabilities.credentials).not.toContain(5)
  })
})
