import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { decodeCoseSign1 } from '../cose/sign1.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { aeadEntryToCbor, decryptAeadEntry, encryptDisclosure, parseAeadEntry } from './aead.js'
import { redactedClaimHash } from './digest.js'
import { createKbt } from './kbt.js'
import { draftHolderPrivate, draftIssuerPublic, verificationParams } from './test-helpers/sd-cwt-vectors.js'
import { verifySdCwtPresentation } from './verify.js'
import { errorCode as code } from '../test-helpers/error-code.js'

const node = createNodeCryptoProvider()
const dir = vectorDir('sd-cwt')
interface AeadVector {
  version: string
  key_hex: string
  nonce_hex: string
  plaintext_hex: string
  ciphertext_hex: string
  tag_hex: string
  sd_aead_encrypted_claims_entry_cbor_hex: string
  redacted_claim_hash_of_plaintext: string
}

describe.skipIf(dir === undefined)('§12 AEAD encrypted disclosures (aead.json)', () => {
  const vectors = () => (JSON.parse(readVectorText('sd-cwt/aead.json')) as { vectors: AeadVector[] }).vectors
  it('-08 vector: the entry decrypts to the bstr-wrapped disclosure (hash af375dc3…) and re-encrypts to the same entry bytes', async () => {
    const v = vectors()[0]!
    const entry = parseAeadEntry(decodeCbor(hexDecode(v.sd_aead_encrypted_claims_entry_cbor_hex)))
    const disclosure = await decryptAeadEntry(entry, hexDecode(v.key_hex))
    expect(hexEncode(encodeCbor(disclosure))).toBe(v.plaintext_hex)
    expect(hexEncode(redactedClaimHash(disclosure, 'SHA-256', node))).toBe(v.redacted_claim_hash_of_plaintext)
    const again = await encryptDisclosure(disclosure, { key: hexDecode(v.key_hex), randomBytes: () => hexDecode(v.nonce_hex) })
    expect(hexEncode(again.ciphertext)).toBe(v.ciphertext_hex)
    expect(hexEncode(again.tag)).toBe(v.tag_hex)
    expect(hexEncode(encodeCbor(aeadEntryToCbor(again)))).toBe(v.sd_aead_encrypted_claims_entry_cbor_hex)
  })

  it('-07 vector (16-byte nonce, superseded) decrypts only when explicitly allowed', async () => {
    const v = vectors()[1]!
    const entry = parseAeadEntry(decodeCbor(hexDecode(v.sd_aead_encrypted_claims_entry_cbor_hex)))
    expect(await code(decryptAeadEntry(entry, hexDecode(v.key_hex)))).toBe('ERR_SDCWT_AEAD_MALFORMED')
    expect(hexEncode(encodeCbor(await decryptAeadEntry(entry, hexDecode(v.key_hex), undefined, true)))).toBe(v.plaintext_hex)
  })

  it('wrong key, tampered ciphertext, bad entries and unsupported sd_aead have their own codes', async () => {
    const v = vectors()[0]!
    const entry = parseAeadEntry(decodeCbor(hexDecode(v.sd_aead_encrypted_claims_entry_cbor_hex)))
    expect(await code(decryptAeadEntry(entry, new Uint8Array(16)))).toBe('ERR_SDCWT_AEAD_DECRYPT_FAILED')
    const ct = entry.ciphertext.slice()
    ct[0]! ^= 1
    expect(await code(decryptAeadEntry({ ...entry, ciphertext: ct }, hexDecode(v.key_hex)))).toBe('ERR_SDCWT_AEAD_DECRYPT_FAILED')
    expect(await code(decryptAeadEntry(entry, new Uint8Array(15)))).toBe('ERR_SDCWT_AEAD_KEY_INVALID')
    expect(await code(decryptAeadEntry(entry, hexDecode(v.key_hex), 3))).toBe('ERR_SDCWT_AEAD_UNSUPPORTED')
    expect(await code((async () => parseAeadEntry([entry.nonce, entry.ciphertext]))())).toBe('ERR_SDCWT_AEAD_MALFORMED')
    expect(await code((async () => parseAeadEntry([entry.nonce, entry.ciphertext, entry.tag.subarray(1)]))())).toBe('ERR_SDCWT_AEAD_MALFORMED')
    expect(await code((async () => parseAeadEntry([entry.nonce, entry.ciphertext, entry.tag, -1]))())).toBe('ERR_SDCWT_AEAD_MALFORMED')
    expect(parseAeadEntry([entry.nonce, entry.ciphertext, entry.tag, 'kid-1']).keyContext).toBe('kid-1')
  })

  it('holder encrypts 501 in its KBT (171); a verifier with the key sees it, one without does not, a wrong key fails', async () => {
    const p = verificationParams()
    const key = hexDecode(vectors()[0]!.key_hex)
    const kbt = await createKbt({
      sdCwt: readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'),
      disclose: ['502.0'],
      encrypt: { disclose: ['501'], key, keyContext: 'k1' },
      holderKey: draftHolderPrivate(),
      aud: p.expected_kbt_aud,
      iat: p.kbt_iat,
      provider: node,
    })
    const inner = decodeCoseSign1(kbt).protectedHeaders.get(13)
    expect(((inner as { value: unknown[] }).value[1] as Map<number, unknown[]>).get(171)!.length).toBe(1)
    const base = { issuerKeys: [draftIssuerPublic()], provider: node, aud: p.expected_kbt_aud, now: p.suggested_verifier_now }
    const withKey = await verifySdCwtPresentation(kbt, { ...base, aeadKeys: (e) => (e.keyContext === 'k1' ? key : undefined) })
    expect(withKey.claims.get(501)).toBe('ABCD-123456')
    expect(withKey.claims.get(502)).toEqual([1549560720, 1674004740])
    const without = await verifySdCwtPresentation(kbt, base)
    expect(without.claims.has(501)).toBe(false)
    expect(await code(verifySdCwtPresentation(kbt, { ...base, aeadKeys: () => new Uint8Array(16) }))).toBe('ERR_SDCWT_AEAD_DECRYPT_FAILED')
  })
})
