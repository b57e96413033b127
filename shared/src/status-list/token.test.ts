import { StatusList as SdJwtStatusList, createHeaderAndPayload, getListFromStatusListJWT, getStatusListFromJWT } from '@sd-jwt/jwt-status-list'
import { describe, expect, it } from 'vitest'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { base64urlDecode } from '../encoding/base64url.js'
import { utf8Decode } from '../encoding/bytes.js'
import { CborTag } from '../cbor/types.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { decodeCoseSign1, signCoseSign1, verifyCoseSign1 } from '../cose/sign1.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import { signJwt } from '../jose/sign.js'
import { readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { StatusList } from './list.js'
import { createNodeCompression } from './node-compression.js'
import { cwtStatusClaim, jwtStatusClaim, statusReferenceFromCwtClaims, statusReferenceFromJwtPayload } from './reference.js'
import { STATUS_LIST_CWT_TYP, signStatusListCwt, verifyStatusListCwt } from './token-cwt.js'
import { signStatusListJwt, verifyStatusListJwt } from './token-jwt.js'
import { verifyStatusListToken } from './verify-token.js'

const have = vectorDir('status-list') !== undefined
const vec = <T>(name: string): T => JSON.parse(readVectorText(`status-list/${name}`)) as T
const node = createNodeCryptoProvider()
const web = createWebCryptoProvider()
const compression = createNodeCompression()
const URI = 'https://example.com/statuslists/1'
const NOW = 1_700_000_000
const now = () => NOW
const EXPECTED_16 = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]

async function issuerKey(kid = 'sl-1'): Promise<{ priv: PrivateJwk; pub: PublicJwk }> {
  const kp = await node.generateKeyPair('ES256')
  return { priv: { ...kp.privateJwk, kid }, pub: { ...kp.publicJwk, kid } }
}

function sample(): StatusList {
  const l = StatusList.create(1000, 2)
  l.set(0, 1)
  l.set(7, 2)
  l.set(999, 3)
  return l
}

const forms = [
  { name: 'JWT', sign: signStatusListJwt, verify: (t: string | Uint8Array, o: Parameters<typeof verifyStatusListJwt>[1]) => verifyStatusListJwt(t as string, o) },
  { name: 'CWT', sign: signStatusListCwt, verify: (t: string | Uint8Array, o: Parameters<typeof verifyStatusListJwt>[1]) => verifyStatusListCwt(t as Uint8Array, o) },
] as const

describe.runIf(have)('draft-20 §5 Status List Token vectors verify with their keys', () => {
  it('§5.1/§8.2 JWT: signature, sub, typ, statuses', async () => {
    const v = vec<{ compact_jwt_section_8_2: string; verification_key_jwk: PublicJwk }>('status-list-token-jwt.json')
    for (const provider of [node, web]) {
      const out = await verifyStatusListJwt(v.compact_jwt_section_8_2, { keys: [v.verification_key_jwk], provider, uri: URI, now })
      expect(out.claims).toEqual({ sub: URI, iat: 1686920170, exp: 2291720170, ttl: 43200, iss: 'https://example.com' })
      expect(EXPECTED_16.map((_, i) => out.list.get(i))).toEqual(EXPECTED_16)
      expect(out.list.size).toBe(16)
    }
  })
  it('§5.2 CWT: tag 18, typ application/statuslist+cwt, claims 65533/65534, statuses', async () => {
    const v = vec<{ cwt_hex: string; verification_key_jwk: PublicJwk }>('status-list-token-cwt.json')
    for (const provider of [node, web]) {
      const out = await verifyStatusListCwt(hexDecode(v.cwt_hex), { keys: [v.verification_key_jwk], provider, uri: URI, now })
      expect(out.claims).toEqual({ sub: URI, iat: 1686920170, exp: 2291720170, ttl: 43200 })
      expect(EXPECTED_16.map((_, i) => out.list.get(i))).toEqual(EXPECTED_16)
    }
  })
  it('§6.3 Referenced Token CWT: claim 65535 → status_list {idx 0, uri}; its status in the list is INVALID', async () => {
    const v = vec<{ cwt_hex: string; verification_key_jwk: PublicJwk }>('referenced-token-cwt.json')
    const msg = decodeCoseSign1(hexDecode(v.cwt_hex))
    await verifyCoseSign1(msg, { keys: [v.verification_key_jwk], provider: node })
    const ref = statusReferenceFromCwtClaims(decodeCbor(msg.payload!) as Map<unknown, unknown>)
    expect(ref).toEqual({ idx: 0, uri: URI })
    const sl = vec<{ cwt_hex: string; verification_key_jwk: PublicJwk }>('status-list-token-cwt.json')
    const out = await verifyStatusListCwt(hexDecode(sl.cwt_hex), { keys: [sl.verification_key_jwk], provider: node, uri: ref.uri, now })
    expect(out.list.get(ref.idx)).toBe(1)
    // our builder produces the same claim bytes as the draft's example
    const claim65535 = (decodeCbor(msg.payload!) as Map<unknown, unknown>).get(65535)
    expect(hexEncode(encodeCbor(cwtStatusClaim(ref)))).toBe(hexEncode(encodeCbor(claim65535)))
  })
  it('§6.2 Referenced Token SD-JWT: status.status_list {idx, uri}', () => {
    const v = vec<{ sd_jwt: string; expected: { status: unknown } }>('referenced-token-sd-jwt.json')
    const payload = JSON.parse(utf8Decode(base64urlDecode(v.sd_jwt.split('~')[0]!.split('.')[1]!))) as Record<string, unknown>
    expect(statusReferenceFromJwtPayload(payload)).toEqual({ idx: 0, uri: URI })
    expect({ status: jwtStatusClaim(statusReferenceFromJwtPayload(payload)) }).toEqual(v.expected)
  })
  it('§5.2: our CWT protected header is byte-identical to the draft example', async () => {
    const v = vec<{ protected_header_hex: string; signing_key_jwk: PrivateJwk }>('status-list-token-cwt.json')
    const list = new StatusList(hexDecode('b9a3'), 1)
    const cwt = await signStatusListCwt({ list, sub: URI, iat: 1686920170, exp: 2291720170, ttl: 43200, key: v.signing_key_jwk, provider: node, compression })
    const msg = decodeCoseSign1(cwt)
    expect(hexEncode(msg.protectedBytes)).toBe(v.protected_header_hex)
    expect(utf8Decode(msg.unprotectedHeaders.get(4) as Uint8Array)).toBe('12')
    expect([...(decodeCbor(msg.payload!) as Map<number, unknown>).keys()]).toEqual([2, 6, 4, 65534, 65533])
  })
})

describe('Status List Token sign → verify, both forms', () => {
  for (const f of forms) {
    for (const [signer, verifier] of [[node, web], [web, node]] as const) {
      it(`${f.name}: ${signer.name} signs, ${verifier.name} verifies; statuses and claims survive`, async () => {
        const { priv, pub } = await issuerKey()
        const tok = await f.sign({ list: sample(), sub: URI, iat: NOW - 10, exp: NOW + 3600, ttl: 300, iss: 'https://issuer', aggregationUri: 'https://example.com/agg', key: priv, provider: signer, compression })
        const out = await f.verify(tok, { keys: [pub], provider: verifier, uri: URI, now, compression })
        expect(out.format).toBe(f.name.toLowerCase())
        expect(out.claims).toEqual({ sub: URI, iat: NOW - 10, exp: NOW + 3600, ttl: 300, iss: 'https://issuer' })
        expect(out.aggregationUri).toBe('https://example.com/agg')
        expect([out.list.get(0), out.list.get(7), out.list.get(999), out.list.get(500)]).toEqual([1, 2, 3, 0])
        expect(out.list.bits).toBe(2)
        expect((await verifyStatusListToken(tok, { keys: [pub], provider: verifier, uri: URI, now, compression })).format).toBe(f.name.toLowerCase())
      })
    }
  }
})

describe('draft-20 §8.3 validation: each failure has its own code', () => {
  for (const f of forms) {
    it(`${f.name}: sub != uri is ERR_STATUS_LIST_SUB_MISMATCH (§8.3 step 4a, exact compare)`, async () => {
      const { priv, pub } = await issuerKey()
      const tok = await f.sign({ list: sample(), sub: URI, iat: NOW, key: priv, provider: node, compression })
      for (const uri of ['https://example.com/statuslists/2', 'https://EXAMPLE.com/statuslists/1', URI + '/']) {
        await expect(f.verify(tok, { keys: [pub], provider: node, uri, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_SUB_MISMATCH' })
      }
    })
    it(`${f.name}: expired (now >= exp) is ERR_STATUS_LIST_EXPIRED; skew tolerates`, async () => {
      const { priv, pub } = await issuerKey()
      const tok = await f.sign({ list: sample(), sub: URI, iat: NOW - 100, exp: NOW, key: priv, provider: node, compression })
      await expect(f.verify(tok, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_EXPIRED' })
      await expect(f.verify(tok, { keys: [pub], provider: node, uri: URI, now, skew: 5 })).resolves.toBeTruthy()
    })
    it(`${f.name}: iat in the future, too old, missing exp when required`, async () => {
      const { priv, pub } = await issuerKey()
      const future = await f.sign({ list: sample(), sub: URI, iat: NOW + 60, key: priv, provider: node, compression })
      await expect(f.verify(future, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_IAT_IN_FUTURE' })
      const old = await f.sign({ list: sample(), sub: URI, iat: NOW - 1000, key: priv, provider: node, compression })
      await expect(f.verify(old, { keys: [pub], provider: node, uri: URI, now, maxAge: 500 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TOO_OLD' })
      await expect(f.verify(old, { keys: [pub], provider: node, uri: URI, now, requireExp: true })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_CLAIM_MISSING' })
    })
    it(`${f.name}: §8.4 historical resolution requires iat <= time <= exp (ERR_STATUS_LIST_TIME_MISMATCH)`, async () => {
      const { priv, pub } = await issuerKey()
      const tok = await f.sign({ list: sample(), sub: URI, iat: 1000, exp: 2000, key: priv, provider: node, compression })
      for (const time of [1000, 1500, 2000]) await expect(f.verify(tok, { keys: [pub], provider: node, uri: URI, now, time })).resolves.toBeTruthy()
      for (const time of [999, 2001, NOW]) {
        await expect(f.verify(tok, { keys: [pub], provider: node, uri: URI, now, time })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TIME_MISMATCH' })
      }
      // without `time` the same (old) token is expired
      await expect(f.verify(tok, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_EXPIRED' })
    })
    it(`${f.name}: another issuer's key is rejected`, async () => {
      const { priv } = await issuerKey()
      const other = await issuerKey()
      const tok = await f.sign({ list: sample(), sub: URI, iat: NOW, key: priv, provider: node, compression })
      const codes = f.name === 'JWT' ? ['ERR_JWS_SIGNATURE_INVALID'] : ['ERR_COSE_SIGNATURE_INVALID']
      await expect(f.verify(tok, { keys: [other.pub], provider: node, uri: URI, now })).rejects.toSatisfy((e: { code: string }) => codes.includes(e.code))
    })
    it(`${f.name}: a status index past the end of the verified list is ERR_STATUS_LIST_INDEX_OUT_OF_RANGE`, async () => {
      const { priv, pub } = await issuerKey()
      const tok = await f.sign({ list: StatusList.create(16, 1), sub: URI, iat: NOW, key: priv, provider: node, compression })
      const out = await f.verify(tok, { keys: [pub], provider: node, uri: URI, now })
      expect(out.list.get(15)).toBe(0)
      expect(() => out.list.get(16)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_LIST_INDEX_OUT_OF_RANGE' }))
    })
  }

  it('JWT: a typ other than statuslist+jwt is ERR_STATUS_LIST_TYP_MISMATCH', async () => {
    const { priv, pub } = await issuerKey()
    for (const typ of ['jwt', 'statuslist+cwt', undefined]) {
      const header: Record<string, unknown> = typ === undefined ? {} : { typ }
      const jwt = await signJwt({ header, payload: { sub: URI, iat: NOW, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } }, key: priv, provider: node })
      await expect(verifyStatusListJwt(jwt, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TYP_MISMATCH' })
    }
  })
  it('JWT: missing sub, iat or status_list, and bad claim types', async () => {
    const { priv, pub } = await issuerKey()
    const cases: [Record<string, unknown>, string][] = [
      [{ iat: NOW, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } }, 'ERR_STATUS_LIST_CLAIM_MISSING'],
      [{ sub: URI, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } }, 'ERR_STATUS_LIST_CLAIM_MISSING'],
      [{ sub: URI, iat: NOW }, 'ERR_STATUS_LIST_CLAIM_MISSING'],
      [{ sub: URI, iat: '1', status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } }, 'ERR_STATUS_LIST_CLAIM_INVALID'],
      [{ sub: URI, iat: NOW, ttl: 0, status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' } }, 'ERR_STATUS_LIST_CLAIM_INVALID'],
      [{ sub: URI, iat: NOW, status_list: { bits: 3, lst: 'eNrbuRgAAhcBXQ' } }, 'ERR_STATUS_LIST_BITS_INVALID'],
      [{ sub: URI, iat: NOW, status_list: { bits: 1, lst: 'eNrbuRgAAhcB' } }, 'ERR_STATUS_LIST_TRUNCATED'],
    ]
    for (const [payload, code] of cases) {
      const jwt = await signJwt({ header: { typ: 'statuslist+jwt' }, payload, key: priv, provider: node })
      await expect(verifyStatusListJwt(jwt, { keys: [pub], provider: node, uri: URI, now, compression }), JSON.stringify(payload)).rejects.toMatchObject({ code })
    }
  })
  it('CWT: wrong typ, tag 61 wrapping, an untagged COSE_Sign1, truncated bytes', async () => {
    const { priv, pub } = await issuerKey()
    const claims = encodeCbor(new Map<number, unknown>([[2, URI], [6, NOW], [65533, new Map<string, unknown>([['bits', 1], ['lst', hexDecode('78dadbb918000217015d')]])]]))
    for (const typ of ['statuslist+cwt', 'application/statuslist+jwt', 16]) {
      const cwt = await signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[16, typ]]), payload: claims, key: priv, provider: node })
      await expect(verifyStatusListCwt(cwt, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TYP_MISMATCH' })
    }
    const good = await signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[16, STATUS_LIST_CWT_TYP]]), payload: claims, key: priv, provider: node })
    await expect(verifyStatusListCwt(good, { keys: [pub], provider: node, uri: URI, now })).resolves.toBeTruthy()
    const tag61 = encodeCbor(new CborTag(61, decodeCbor(good)))
    await expect(verifyStatusListCwt(tag61, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_COSE_WRONG_TAG' })
    const untagged = encodeCbor((decodeCbor(good) as CborTag).value)
    await expect(verifyStatusListCwt(untagged, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_COSE_TAG_MISSING' })
    await expect(verifyStatusListCwt(good.subarray(0, good.length - 5), { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_CBOR_/) })
    // status_list under 65535 (the EUDI-py bug) is not a Status List Token
    const wrongKey = encodeCbor(new Map<number, unknown>([[2, URI], [6, NOW], [65535, new Map<string, unknown>([['bits', 1], ['lst', hexDecode('78dadbb918000217015d')]])]]))
    const bad = await signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[16, STATUS_LIST_CWT_TYP]]), payload: wrongKey, key: priv, provider: node })
    await expect(verifyStatusListCwt(bad, { keys: [pub], provider: node, uri: URI, now })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_CLAIM_MISSING' })
  })
})

describe('interop: JWT form round-trips with @sd-jwt/jwt-status-list 0.19.0', () => {
  it('theirs → ours: their list and header/payload, signed, verify and decode with us', async () => {
    const { priv, pub } = await issuerKey()
    for (const bits of [1, 2, 4, 8] as const) {
      const statuses = Array.from({ length: 64 }, (_, i) => (i * 7 + bits) % 2 ** bits)
      const theirs = new SdJwtStatusList(statuses, bits)
      const { header, payload } = createHeaderAndPayload(theirs, { iss: 'https://issuer', sub: URI, iat: NOW }, { alg: 'ES256', typ: 'statuslist+jwt' })
      const jwt = await signJwt({ header: { ...header, kid: 'sl-1' }, payload, key: priv, provider: node })
      const out = await verifyStatusListJwt(jwt, { keys: [pub], provider: node, uri: URI, now })
      expect(statuses.map((_, i) => out.list.get(i))).toEqual(statuses)
    }
  })
  it('ours → theirs: they decode our token and read the same statuses', async () => {
    const { priv } = await issuerKey()
    for (const bits of [1, 2, 4, 8] as const) {
      const list = StatusList.create(64, bits)
      for (let i = 0; i < 64; i++) list.set(i, (i * 5 + 1) % 2 ** bits)
      for (const c of [compression, undefined]) {
        const jwt = await signStatusListJwt({ list, sub: URI, iat: NOW, key: priv, provider: node, compression: c })
        const theirs = getListFromStatusListJWT(jwt)
        expect(theirs.getBitsPerStatus()).toBe(bits)
        for (let i = 0; i < 64; i++) expect(theirs.getStatus(i)).toBe(list.get(i))
      }
    }
  })
  it('their referenced-token helper reads our status claim', () => {
    const payload = { status: jwtStatusClaim({ idx: 42, uri: URI }) }
    const jwt = `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.AA`
    expect(getStatusListFromJWT(jwt)).toEqual({ idx: 42, uri: URI })
  })
})

describe('draft-20 §6 status claim parsing', () => {
  it('missing and malformed status claims', () => {
    expect(() => statusReferenceFromJwtPayload({})).toThrow(expect.objectContaining({ code: 'ERR_STATUS_CLAIM_MISSING' }))
    expect(() => statusReferenceFromJwtPayload({ status: {} })).toThrow(expect.objectContaining({ code: 'ERR_STATUS_CLAIM_MISSING' }))
    for (const sl of [{ idx: -1, uri: URI }, { idx: 1.5, uri: URI }, { idx: '1', uri: URI }, { idx: 1, uri: 'not a uri' }, { idx: 1 }, []]) {
      expect(() => statusReferenceFromJwtPayload({ status: { status_list: sl } }), JSON.stringify(sl)).toThrow(expect.objectContaining({ code: 'ERR_STATUS_CLAIM_INVALID' }))
    }
    expect(() => statusReferenceFromCwtClaims(new Map())).toThrow(expect.objectContaining({ code: 'ERR_STATUS_CLAIM_MISSING' }))
    expect(() => statusReferenceFromCwtClaims(new Map([[65535, { status_list: {} }]]))).toThrow(expect.objectContaining({ code: 'ERR_STATUS_CLAIM_INVALID' }))
  })
})
