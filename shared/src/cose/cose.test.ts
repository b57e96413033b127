import { createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import type { PublicJwk, SignatureAlgorithm } from '../crypto/index.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { parsePublicJwk } from '../crypto/jwk.js'
import { coseKeyToJwk, coseKeyToPrivateJwk, jwkToCoseKey, samePublicKey } from './key.js'
import { decodeCoseSign1, parseCoseSign1, sigStructure1, signCoseSign1, verifyCoseSign1 } from './sign1.js'
import { coseKeyThumbprint, coseKeyThumbprintInput, coseKeyThumbprintUri } from './thumbprint.js'
import { errorCode as codeOf } from '../test-helpers/error-code.js'

const node = createNodeCryptoProvider()
const web = createWebCryptoProvider()
const h = (s: string) => hexDecode(s.replace(/\s+/g, ''))
const pemJwk = (file: string) => createPublicKey(readVectorText(file)).export({ format: 'jwk' }) as unknown as PublicJwk


// RFC 9052 Appendix C.7.1 public key "11" (P-256) and Appendix C.2.1 single-signer COSE_Sign1 example.
const rfcKey11 = new Map<number, unknown>([
  [1, 2],
  [2, new TextEncoder().encode('11')],
  [-1, 1],
  [-2, h('bac5b11cad8f99f9c72b05cf4b9e26d244dc189f745228255a219a86d6a09eff')],
  [-3, h('20138bf82dc1b6d562be0fa54ab7804a3a64b6d72ccfed6b6fb6ed28bbfc117e')],
])
const rfcSign1 = h(`d28443a10126a10442313154546869732069732074686520636f6e74656e742e58408eb33e4ca31d1c465ab05aac34cc6b23d58fef5c083106c4
d25a91aef0b0117e2af9a291aa32e14ab834dc56ed2a223444547e01f11d3b0916e5a4c345cacb36`)

describe('RFC 9052 COSE_Sign1', () => {
  it('Appendix C.2.1: the ES256 example verifies with key "11" (node:crypto and WebCrypto)', async () => {
    const msg = decodeCoseSign1(rfcSign1)
    expect(hexEncode(msg.protectedBytes)).toBe('a10126')
    const key = coseKeyToJwk(rfcKey11)
    expect(key.kid).toBe('11')
    for (const provider of [node, web]) {
      const r = await verifyCoseSign1(msg, { keys: key, provider })
      expect(r.alg.alg).toBe('ES256')
    }
    const tampered = rfcSign1.slice()
    tampered[20]! ^= 1 // inside the payload
    expect(await codeOf(verifyCoseSign1(decodeCoseSign1(tampered), { keys: key, provider: node }))).toBe('ERR_COSE_SIGNATURE_INVALID')
  })

  for (const alg of ['ES256', 'ES384', 'EdDSA'] as SignatureAlgorithm[]) {
    it(`${alg}: sign then verify; tag 18; Sig_structure over the exact protected bytes`, async () => {
      const kp = await node.generateKeyPair(alg)
      const bytes = await signCoseSign1({ protectedHeaders: new Map([[16, 293]]), payload: h('a10102'), key: kp.privateJwk, provider: node })
      const msg = decodeCoseSign1(bytes)
      expect(bytes[0]).toBe(0xd2)
      expect(msg.protectedHeaders.get(1)).toBe({ ES256: -7, ES384: -35, EdDSA: -8 }[alg])
      expect([...msg.protectedHeaders.keys()]).toEqual([1, 16])
      await expect(verifyCoseSign1(msg, { keys: [kp.publicJwk], provider: web })).resolves.toMatchObject({ key: kp.publicJwk })
    })
  }

  it('RFC 9864 fully specified ids -9 / -51 / -19 are accepted like -7 / -35 / -8', async () => {
    for (const [alg, id] of [['ES256', -9], ['ES384', -51], ['EdDSA', -19]] as [SignatureAlgorithm, number][]) {
      const kp = await node.generateKeyPair(alg)
      const bytes = await signCoseSign1({ protectedHeaders: new Map([[1, id]]), payload: h('00'), key: kp.privateJwk, provider: node })
      const msg = decodeCoseSign1(bytes)
      expect(msg.protectedHeaders.get(1)).toBe(id)
      expect((await verifyCoseSign1(msg, { keys: kp.publicJwk, provider: node })).alg.alg).toBe(alg)
    }
  })

  it('deny by default: alg not allowed, alg missing, alg that does not fit the key, wrong key', async () => {
    const p256 = await node.generateKeyPair('ES256')
    const ed = await node.generateKeyPair('EdDSA')
    const good = decodeCoseSign1(await signCoseSign1({ protectedHeaders: new Map(), payload: h('00'), key: p256.privateJwk, provider: node }))
    const withAlg = (alg: unknown) => ({ ...good, protectedBytes: encodeCbor(new Map([[1, alg]])), protectedHeaders: new Map([[1, alg]]) })
    expect(await codeOf(verifyCoseSign1(withAlg(-257), { keys: p256.publicJwk, provider: node }))).toBe('ERR_ALG_NOT_ALLOWED')
    expect(await codeOf(verifyCoseSign1(withAlg('ES256'), { keys: p256.publicJwk, provider: node }))).toBe('ERR_ALG_NOT_ALLOWED')
    expect(await codeOf(verifyCoseSign1({ ...good, protectedHeaders: new Map() }, { keys: p256.publicJwk, provider: node }))).toBe('ERR_COSE_ALG_MISSING')
    expect(await codeOf(verifyCoseSign1(good, { keys: ed.publicJwk, provider: node }))).toBe('ERR_ALG_KEY_MISMATCH')
    expect(await codeOf(verifyCoseSign1(good, { keys: [ed.publicJwk], provider: node }))).toBe('ERR_ALG_KEY_MISMATCH')
    expect(await codeOf(verifyCoseSign1(good, { keys: p256.publicJwk, provider: node, allowedAlgorithms: ['EdDSA'] }))).toBe('ERR_ALG_NOT_ALLOWED')
    const other = await node.generateKeyPair('ES256')
    expect(await codeOf(verifyCoseSign1(good, { keys: [other.publicJwk], provider: node }))).toBe('ERR_COSE_SIGNATURE_INVALID')
    expect(await codeOf(verifyCoseSign1(good, { keys: other.publicJwk, provider: node }))).toBe('ERR_COSE_SIGNATURE_INVALID')
    // With several trusted keys the right one is found; none, or none that fits, is ERR_ALG_KEY_MISMATCH.
    expect((await verifyCoseSign1(good, { keys: [ed.publicJwk, other.publicJwk, p256.publicJwk], provider: node })).key).toEqual(p256.publicJwk)
    expect((await verifyCoseSign1(good, { keys: [ed.publicJwk, p256.publicJwk], provider: node })).key).toEqual(p256.publicJwk)
    expect(await codeOf(verifyCoseSign1(good, { keys: [], provider: node }))).toBe('ERR_ALG_KEY_MISMATCH')
    expect(await codeOf(verifyCoseSign1(good, { keys: [ed.publicJwk, ed.publicJwk], provider: node }))).toBe('ERR_ALG_KEY_MISMATCH')
    expect(await codeOf(verifyCoseSign1(good, { keys: [ed.publicJwk, other.publicJwk], provider: node }))).toBe('ERR_COSE_SIGNATURE_INVALID')
    // One key or a list of that one key: the same result.
    expect((await verifyCoseSign1(good, { keys: p256.publicJwk, provider: node })).key).toEqual(p256.publicJwk)
    expect((await verifyCoseSign1(good, { keys: [p256.publicJwk], provider: node })).key).toEqual(p256.publicJwk)
    expect(await codeOf(signCoseSign1({ protectedHeaders: new Map([[1, -8]]), payload: h('00'), key: p256.privateJwk, provider: node }))).toBe('ERR_ALG_KEY_MISMATCH')
  })

  it('detached payload: ERR_COSE_DETACHED_PAYLOAD unless supplied; a key off the curve is ERR_KEY_INVALID', async () => {
    const kp = await node.generateKeyPair('ES256')
    const signed = decodeCoseSign1(await signCoseSign1({ protectedHeaders: new Map(), payload: h('0102'), key: kp.privateJwk, provider: node }))
    const detached = { ...signed, payload: null }
    expect(await codeOf(verifyCoseSign1(detached, { keys: kp.publicJwk, provider: node }))).toBe('ERR_COSE_DETACHED_PAYLOAD')
    expect((await verifyCoseSign1(detached, { keys: kp.publicJwk, provider: node, detachedPayload: h('0102') })).alg.alg).toBe('ES256')
    const offCurve = coseKeyToJwk(new Map<number, unknown>([[1, 2], [-1, 1], [-2, new Uint8Array(32).fill(1)], [-3, new Uint8Array(32).fill(2)]]))
    for (const provider of [node, web]) expect(await codeOf(verifyCoseSign1(signed, { keys: offCurve, provider }))).toMatch(/^ERR_(KEY_INVALID|COSE_SIGNATURE_INVALID)$/)
    expect(await codeOf(verifyCoseSign1(signed, { keys: offCurve, provider: node }))).toBe('ERR_KEY_INVALID')
  })

  it('structure errors each have their own code', async () => {
    const v = decodeCbor(rfcSign1) as CborTag
    const arr = v.value as unknown[]
    expect(await codeOf(() => parseCoseSign1(arr))).toBe('ERR_COSE_TAG_MISSING')
    expect(parseCoseSign1(arr, { requireTag: false }).signature.length).toBe(64)
    expect(await codeOf(() => parseCoseSign1(new CborTag(98, arr)))).toBe('ERR_COSE_WRONG_TAG')
    expect(await codeOf(() => parseCoseSign1(new CborTag(18, arr.slice(0, 3))))).toBe('ERR_COSE_MALFORMED')
    expect(await codeOf(() => parseCoseSign1(new CborTag(18, [arr[0], arr[1], 5, arr[3]])))).toBe('ERR_COSE_MALFORMED')
    expect(await codeOf(() => parseCoseSign1(new CborTag(18, [h('a10126'), new Map([[1, -7]]), arr[2], arr[3]])))).toBe('ERR_COSE_DUPLICATE_HEADER')
    expect(await codeOf(() => parseCoseSign1(new CborTag(18, [h('a201260281182a'), new Map(), arr[2], arr[3]])))).toBe('ERR_COSE_CRIT_UNSUPPORTED')
    expect(await codeOf(() => parseCoseSign1(new CborTag(18, [h('a1f401'), new Map(), arr[2], arr[3]])))).toBe('ERR_COSE_HEADER_INVALID')
    expect(await codeOf(() => parseCoseSign1(new CborTag(18, [h('a10126a10126'), new Map(), arr[2], arr[3]])))).toBe('ERR_CBOR_TRAILING_BYTES')
  })
})

describe('COSE_Key ↔ JWK and RFC 9679 thumbprints (SD-CWT draft Appendix C keys)', () => {
  it('RFC 9679 §6 example: the EC2 P-256 COSE_Key (with kid) → 496bd8af…53ec; kid and alg do not enter the thumbprint', () => {
    const key = new Map<number, unknown>([
      [1, 2],
      [2, new TextEncoder().encode('meriadoc.brandybuck@buckland.example')],
      [3, -7],
      [-1, 1],
      [-2, h('65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d')],
      [-3, h('1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c')],
    ])
    expect(hexEncode(coseKeyThumbprint(key, node))).toBe('496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec')
    expect(hexEncode(coseKeyThumbprint(coseKeyToJwk(key), web))).toBe('496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec')
  })

  const dir = vectorDir('sd-cwt/keys')
  it.skipIf(dir === undefined)('holder (P-256) and issuer (P-384): COSE_Key → JWK equals the PEM key; thumbprint, its input and ckt URI match', () => {
    for (const [name, pem] of [['holder', 'holder_pubkey.pem'], ['issuer', 'issuer_pubkey.pem']]) {
      const v = JSON.parse(readVectorText(`sd-cwt/keys/${name}.json`)) as Record<string, unknown>
      const priv = fromTaggedJson(v.cose_key_private) as Map<unknown, unknown>
      const jwk = coseKeyToJwk(priv)
      const fromPem = pemJwk(`sd-cwt/keys/${pem}`)
      expect(samePublicKey(jwk, fromPem)).toBe(true)
      expect(jwk).not.toHaveProperty('d')
      const full = coseKeyToPrivateJwk(priv)
      expect(full.d).toBe((v.jwk as { d: string }).d)
      expect(hexEncode(coseKeyThumbprintInput(jwk))).toBe(v.cose_key_thumbprint_input_hex)
      expect(hexEncode(coseKeyThumbprint(priv, node))).toBe(v.cose_key_thumbprint_sha256)
      expect(coseKeyThumbprintUri(fromPem, web)).toBe(v.ckt_uri)
      // JWK → COSE_Key → JWK is the identity, and private keys keep d only when asked.
      expect(coseKeyToJwk(jwkToCoseKey(fromPem))).toEqual(fromPem)
      expect(jwkToCoseKey(full).has(-4)).toBe(false)
      expect(hexEncode(encodeCbor(jwkToCoseKey(full, { includePrivate: true })))).toBe(hexEncode(encodeCbor(new Map([...priv].filter(([k]) => k !== 2 && k !== 3)))))
    }
  })

  it('the issuer COSE_Key says alg -51 (ESP384) and still verifies the draft tokens signed with -35', async () => {
    if (dir === undefined) return
    const v = JSON.parse(readVectorText('sd-cwt/keys/issuer.json')) as Record<string, unknown>
    const key = coseKeyToJwk(fromTaggedJson(v.cose_key_private))
    expect(key.alg).toBe('ES384')
    const msg = decodeCoseSign1(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'))
    expect((await verifyCoseSign1(msg, { keys: [key], provider: node })).alg.coseId).toBe(-35)
  })

  it('Ed25519 round trip, and invalid COSE_Keys are rejected with codes', async () => {
    const kp = await node.generateKeyPair('EdDSA')
    const ck = jwkToCoseKey(kp.publicJwk, { alg: 'EdDSA' })
    expect([...ck.keys()]).toEqual([1, 3, -1, -2])
    expect(coseKeyToJwk(ck)).toEqual({ ...kp.publicJwk, alg: 'EdDSA' })
    expect(await codeOf(() => coseKeyToJwk(new Map([[1, 3]])))).toBe('ERR_KEY_UNSUPPORTED')
    expect(await codeOf(() => coseKeyToJwk(new Map<number, unknown>([[1, 2], [-1, 1], [-2, new Uint8Array(32)], [-3, true]])))).toBe('ERR_COSE_KEY_INVALID')
    expect(await codeOf(() => coseKeyToJwk(new Map<number, unknown>([[1, 2], [-1, 1], [-2, new Uint8Array(31)], [-3, new Uint8Array(32)]])))).toBe('ERR_COSE_KEY_INVALID')
    expect(await codeOf(() => coseKeyToJwk(new Map<number, unknown>([[1, 1], [-1, 1], [-2, new Uint8Array(32)]])))).toBe('ERR_COSE_KEY_INVALID')
    expect(await codeOf(() => coseKeyToJwk(new Map<number, unknown>([[1, 2], [-1, 1], [3, -8], [-2, new Uint8Array(32)], [-3, new Uint8Array(32)]])))).toBe('ERR_ALG_KEY_MISMATCH')
    expect(await codeOf(() => coseKeyToJwk('not a map'))).toBe('ERR_COSE_KEY_INVALID')
  })
})

/** The `{"@map":[[k,v]…]}` / `{"@bytes":hex}` JSON form used by the vector files. */
export function fromTaggedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromTaggedJson)
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    if ('@bytes' in o) return hexDecode(o['@bytes'] as string)
    if ('@map' in o) return new Map((o['@map'] as [unknown, unknown][]).map(([k, x]) => [fromTaggedJson(k), fromTaggedJson(x)]))
  }
  return v
}

describe('RFC 9052 §4.4 Sig_structure', () => {
  it('the one-allocation builder gives the bytes of encodeCbor(["Signature1", protected, aad, payload]) at every head size', () => {
    const sizes = [0, 1, 23, 24, 255, 256, 65535, 65536]
    for (const p of sizes) {
      for (const a of [0, 24]) {
        for (const l of sizes) {
          const prot = new Uint8Array(p).fill(1)
          const aad = new Uint8Array(a).fill(2)
          const payload = new Uint8Array(l).fill(3)
          expect(hexEncode(sigStructure1(prot, payload, aad))).toBe(hexEncode(encodeCbor(['Signature1', prot, aad, payload])))
        }
      }
    }
    expect(hexEncode(sigStructure1(h('a10126'), h('')))).toBe('846a5369676e61747572653143a101264040')
  })
})

describe('RFC 9052 §7 COSE_Key → JWK result', () => {
  it('is frozen and already parsed (parsePublicJwk returns it as is), with the same members as parsePublicJwk gives', async () => {
    for (const alg of ['ES256', 'ES384', 'EdDSA'] as const) {
      const { publicJwk } = await node.generateKeyPair(alg)
      const jwk = coseKeyToJwk(jwkToCoseKey({ ...publicJwk, kid: 'k-1' }, { includeKid: true, alg }))
      expect(Object.isFrozen(jwk)).toBe(true)
      expect(parsePublicJwk(jwk)).toBe(jwk)
      expect(jwk).toEqual(parsePublicJwk({ ...publicJwk, kid: 'k-1', alg }))
    }
  })
})
