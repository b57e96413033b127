import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { toDiagnostic } from '../cbor/diagnostic.js'
import { decodeCoseSign1 } from '../cose/sign1.js'
import { readVectorBytes, vectorDir } from '../test-helpers/vectors.js'
import { issueSdCwt } from './issue.js'
import { createKbt } from './kbt.js'
import { formatClaimPath, parseClaimPath } from './path.js'
import { checkSdCwtReceipt } from './receipt.js'
import { draftHolderPrivate, draftHolderPublic, draftIssuerPublic, verificationParams } from './test-helpers/sd-cwt-vectors.js'
import { verifySdCwtPresentation } from './verify.js'
import { errorCode as code } from '../test-helpers/error-code.js'

const node = createNodeCryptoProvider()
const web = createWebCryptoProvider()
const dir = vectorDir('sd-cwt')
const T58 = (v: unknown) => new CborTag(58, v)

describe('claim paths (parseClaimPath / formatClaimPath)', () => {
  it('labels joined with dots, integer labels in decimal, array positions as numbers', () => {
    expect(parseClaimPath('email')).toEqual(['email'])
    expect(parseClaimPath('address.country')).toEqual(['address', 'country'])
    expect(parseClaimPath('503.country')).toEqual([503, 'country'])
    expect(parseClaimPath('roles.1')).toEqual(['roles', 1])
    expect(parseClaimPath('-7.x')).toEqual([-7, 'x'])
    expect(parseClaimPath('"503"."a.b"')).toEqual(['503', 'a.b'])
    expect(parseClaimPath('given name')).toEqual(['given name'])
  })
  it('format is the inverse of parse', () => {
    for (const p of [['email'], [503, 'country'], ['roles', 1], ['503', 'a.b', 'x"y', ''], [-1]]) expect(parseClaimPath(formatClaimPath(p))).toEqual(p)
  })
  it('rejects empty and malformed paths with ERR_SDCWT_PATH_INVALID', async () => {
    for (const bad of ['', '.', 'a.', '.a', 'a..b', '"a', '"a"b', 'a"b', '99999999999999999999']) {
      expect(await code(() => parseClaimPath(bad))).toBe('ERR_SDCWT_PATH_INVALID')
    }
  })
})

describe.skipIf(dir === undefined)('§8.1 KBT with the draft keys', () => {
  it('draft-08 kbt.cbor: disclosing 501, 502.0 and 503.region from issuer_cwt gives the draft KBT protected header and payload byte for byte', async () => {
    const p = verificationParams()
    const draftKbt = readVectorBytes('sd-cwt/draft-08/kbt.cbor')
    const ours = await createKbt({
      sdCwt: readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'),
      disclose: ['501', '502.0', '503.region'],
      holderKey: draftHolderPrivate(),
      aud: p.expected_kbt_aud,
      cnonce: hexDecode(p.expected_cnonce_hex),
      iat: p.kbt_iat,
      provider: node,
    })
    const a = decodeCoseSign1(ours)
    const b = decodeCoseSign1(draftKbt)
    expect(hexEncode(a.protectedBytes)).toBe(hexEncode(b.protectedBytes))
    expect(hexEncode(a.payload!)).toBe(hexEncode(b.payload!))
    // ECDSA signatures are randomized; with the draft's signature our KBT is the draft's KBT.
    const arr = (decodeCbor(ours) as CborTag).value as unknown[]
    expect(hexEncode(encodeCbor(new CborTag(18, [arr[0], arr[1], arr[2], b.signature])))).toBe(hexEncode(draftKbt))
    const v = await verifySdCwtPresentation(ours, { issuerKeys: [draftIssuerPublic()], provider: web, aud: p.expected_kbt_aud, cnonce: hexDecode(p.expected_cnonce_hex), now: p.suggested_verifier_now })
    expect(toDiagnostic(v.claims.get(503))).toBe('{"country": "us", "region": "ca"}')
  })

  it('draft-08 nested_issuer_cwt: disclosing 504.0.501, 504.0.503.1, 504.2.501, 504.2.503.2 yields the draft nested_kbt claims (the 7 chosen disclosures)', async () => {
    const p = verificationParams()
    const kbt = await createKbt({
      sdCwt: readVectorBytes('sd-cwt/draft-08/nested_issuer_cwt.cbor'),
      disclose: ['504.0.501', '504.0.503.1', '504.2.501', '504.2.503.2'],
      holderKey: draftHolderPrivate(),
      aud: p.expected_kbt_aud,
      iat: p.kbt_iat,
      provider: node,
    })
    const v = await verifySdCwtPresentation(kbt, { issuerKeys: [draftIssuerPublic()], provider: node, aud: p.expected_kbt_aud, now: p.suggested_verifier_now })
    expect(v.disclosures.length).toBe(7)
    expect(toDiagnostic(v.claims.get(504))).toBe('[{500: true, 502: 1549560720, 501: "DCBA-101777", 503: {1: "us"}}, {500: true, 502: 1674004740, 501: "ABCD-123456", 503: {1: "us", 2: "ca"}}]')
  })

  it('§6.2 receipt: the draft tokens pass for the draft holder; a stranger, a cut token, a missing cnonce fail', async () => {
    const now = verificationParams().suggested_verifier_now
    const opts = { issuerKeys: [draftIssuerPublic()], provider: node, now, holderKey: draftHolderPublic() }
    for (const name of ['issuer_cwt', 'decoy', 'nested_issuer_cwt']) {
      const v = await checkSdCwtReceipt(readVectorBytes(`sd-cwt/draft-08/${name}.cbor`), { ...opts, expectedSub: 'https://holder.example' })
      expect(v.undisclosed.length).toBe(0)
    }
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/decoy.cbor'), { ...opts, minDecoys: 3 }))).toBe('ERR_SDCWT_TOO_FEW_DECOYS')
    const stranger = (await node.generateKeyPair('ES256')).publicJwk
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'), { ...opts, holderKey: stranger }))).toBe('ERR_SDCWT_HOLDER_KEY_MISMATCH')
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/nested_presented_cwt.cbor'), opts))).toBe('ERR_SDCWT_MISSING_DISCLOSURE')
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'), { ...opts, expectedSub: 'https://device.example' }))).toBe('ERR_SDCWT_SUB_MISMATCH')
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'), { ...opts, cnonce: new Uint8Array(16) }))).toBe('ERR_SDCWT_CNONCE_MISMATCH')
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'), { ...opts, now: 1725330600 }))).toBe('ERR_SDCWT_EXPIRED')
    expect(await code(checkSdCwtReceipt(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'), { ...opts, issuerKeys: [stranger] }))).toBe('ERR_ALG_KEY_MISMATCH')
  })
})

describe('holder: choose disclosures by path', () => {
  it('disclosing a nested claim discloses its containers; disclosing a container discloses its inside; nothing else leaks', async () => {
    const issuer = await node.generateKeyPair('ES384')
    const holder = await node.generateKeyPair('EdDSA')
    const claims = new Map<unknown, unknown>([
      [1, 'https://issuer.example'],
      [T58(2), 'alice'],
      [T58('email'), 'a@example.com'],
      [T58('address'), new Map<unknown, unknown>([[T58('country'), 'fr'], [T58('city'), 'Paris'], ['zone', 'EU']])],
      ['roles', [T58('admin'), T58('user'), 'guest']],
      [503, new Map<unknown, unknown>([[T58('country'), 'us']])],
    ])
    const sdCwt = await issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node, decoys: 2, now: 1000 })
    const received = await checkSdCwtReceipt(sdCwt, { issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, provider: node, now: 1001 })
    expect(toDiagnostic(received.claims.get('roles'))).toBe('["admin", "user", "guest"]')
    const present = async (disclose: string[]) => {
      const kbt = await createKbt({ sdCwt, disclose, holderKey: holder.privateJwk, aud: 'v', now: 1002, provider: node })
      return (await verifySdCwtPresentation(kbt, { issuerKeys: [issuer.publicJwk], aud: 'v', provider: node, now: 1003 })).claims
    }
    expect(toDiagnostic(await present(['address.country']))).toMatch(/"address": \{"zone": "EU", "country": "fr"\}/)
    expect(toDiagnostic((await present(['address'])).get('address'))).toBe('{"zone": "EU", "country": "fr", "city": "Paris"}')
    expect(toDiagnostic((await present(['roles.1'])).get('roles'))).toBe('["user", "guest"]')
    expect(toDiagnostic((await present(['503.country'])).get(503))).toBe('{"country": "us"}')
    const none = await present([])
    expect([...none.keys()]).toEqual([1, 6, 8, 503, 'roles'])
    expect(await code(present(['nope']))).toBe('ERR_SDCWT_PATH_NOT_FOUND')
    expect(await code(present(['roles.3']))).toBe('ERR_SDCWT_PATH_NOT_FOUND')
    const ctiOnly = await createKbt({ sdCwt, disclose: ['email'], holderKey: holder.privateJwk, aud: 'v', iat: null, cti: new Uint8Array([7]), exp: undefined, provider: node })
    const vc = await verifySdCwtPresentation(ctiOnly, { issuerKeys: [issuer.publicJwk], aud: 'v', provider: node, now: 1003 })
    expect(vc.kbtClaims.has(6)).toBe(false)
    expect(vc.claims.get('email')).toBe('a@example.com')
    expect(await code(createKbt({ sdCwt, disclose: [], holderKey: holder.privateJwk, aud: 'v', iat: null, provider: node }))).toBe('ERR_SDCWT_INVALID_CLAIMS')
    expect(await code(createKbt({ sdCwt, disclose: [], holderKey: holder.privateJwk, aud: 'v', iat: null, cti: new Uint8Array(1), exp: 2000, provider: node }))).toBe('ERR_SDCWT_INVALID_CLAIMS')
    const withExp = await createKbt({ sdCwt, disclose: [], holderKey: holder.privateJwk, aud: 'v', now: 1002, exp: 1100, cnonce: new Uint8Array([1]), provider: node })
    expect((await verifySdCwtPresentation(withExp, { issuerKeys: [issuer.publicJwk], aud: 'v', cnonce: new Uint8Array([1]), provider: node, now: 1003 })).kbtClaims.get(4)).toBe(1100)
    const noSub = await issueSdCwt({ claims: new Map([[1, 'i']]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node })
    expect(await code(checkSdCwtReceipt(noSub, { issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_SUB_MISSING')
    const other = await node.generateKeyPair('EdDSA')
    expect(await code(createKbt({ sdCwt, disclose: [], holderKey: other.privateJwk, aud: 'v', provider: node }))).toBe('ERR_SDCWT_HOLDER_KEY_MISMATCH')
  })
})
