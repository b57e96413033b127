/**
 * The negative list of reference/sd-cwt.md §15 and every other rejection path of the §9 verifier, each with
 * its own code. Tokens are crafted with real signatures (so each case reaches the check it names).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import type { KeyPair } from '../crypto/jwk.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { concatBytes } from '../encoding/bytes.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborSimple, CborTag } from '../cbor/types.js'
import { jwkToCoseKey } from '../cose/key.js'
import { coseKeyThumbprint } from '../cose/thumbprint.js'
import { decodeCoseSign1, signCoseSign1, signCoseSign1Parts } from '../cose/sign1.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { redactedClaimHash } from './digest.js'
import { draftHolderPrivate, draftIssuerPrivate, draftIssuerPublic, verificationParams } from './test-helpers/sd-cwt-vectors.js'
import type { VerifyPresentationOptions } from './verify.js'
import { decodeSdCwtPresentation, verifyIssuedSdCwt, verifySdCwtPresentation } from './verify.js'
import { createKbt } from './kbt.js'
import { inspectSdCwt } from './inspect.js'
import { errorCode as code } from '../test-helpers/error-code.js'

const node = createNodeCryptoProvider()
const S59 = new CborSimple(59)
const NONCE = hexDecode('00112233445566778899aabbccddeeff')
let issuer: KeyPair
let holder: KeyPair
let saltCounter = 0

beforeAll(async () => {
  issuer = await node.generateKeyPair('ES256')
  holder = await node.generateKeyPair('ES256')
})

const salt = () => {
  const s = new Uint8Array(16)
  s[0] = ++saltCounter
  return s
}
const disc = (...items: unknown[]) => encodeCbor([salt(), ...items])
const hash = (d: Uint8Array) => redactedClaimHash(d, 'SHA-256', node)

function baseClaims(extra: [unknown, unknown][] = []): Map<unknown, unknown> {
  return new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'https://holder.example'], [4, 2000], [5, 900], [6, 1000], [8, new Map([[1, jwkToCoseKey(holder.publicJwk)]])], ...extra])
}

interface SdOpts {
  claims?: Map<unknown, unknown>
  disclosures?: unknown
  protectedHeaders?: Map<unknown, unknown>
  unprotected?: Map<unknown, unknown>
  payloadBytes?: Uint8Array
}
async function sdCwt(o: SdOpts = {}): Promise<CborTag> {
  const unprotected = o.unprotected ?? new Map<unknown, unknown>(o.disclosures === undefined ? [] : [[17, o.disclosures]])
  const parts = await signCoseSign1Parts({
    protectedHeaders: o.protectedHeaders ?? new Map<unknown, unknown>([[16, 293]]),
    unprotectedHeaders: unprotected,
    payload: o.payloadBytes ?? encodeCbor(o.claims ?? baseClaims()),
    key: issuer.privateJwk,
    provider: node,
  })
  return new CborTag(18, parts)
}
async function kbt(sd: CborTag, o: { payload?: Map<unknown, unknown>; protectedHeaders?: Map<unknown, unknown>; key?: KeyPair } = {}): Promise<Uint8Array> {
  return signCoseSign1({
    protectedHeaders: o.protectedHeaders ?? new Map<unknown, unknown>([[13, sd], [16, 294]]),
    payload: encodeCbor(o.payload ?? new Map<unknown, unknown>([[3, 'https://verifier.example'], [6, 1100], [39, NONCE]])),
    key: (o.key ?? holder).privateJwk,
    provider: node,
  })
}
const opts = (extra: Partial<VerifyPresentationOptions> = {}): VerifyPresentationOptions => ({ issuerKeys: [issuer.publicJwk], provider: node, aud: 'https://verifier.example', cnonce: NONCE, now: 1500, ...extra })
const verify = async (bytes: Uint8Array, extra: Partial<VerifyPresentationOptions> = {}) => code(verifySdCwtPresentation(bytes, opts(extra)))

describe('reference/sd-cwt.md §15 negative list', () => {
  it('baseline: the crafted token verifies (so each case below fails only for its own reason)', async () => {
    const d = disc('a@example.com', 'email')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d] })))).toBe('no error')
  })

  it('tampered disclosure → ERR_SDCWT_UNUSED_DISCLOSURE (re-signed KBT) / ERR_SDCWT_KBT_SIGNATURE_INVALID (not re-signed)', async () => {
    const d = disc('a@example.com', 'email')
    const t = d.slice()
    t[t.length - 2]! ^= 1
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [t] })))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
    const good = await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d] }))
    const i = hexEncode(good).indexOf(hexEncode(d))
    const bad = hexDecode(hexEncode(good).slice(0, i) + hexEncode(t) + hexEncode(good).slice(i + t.length * 2))
    expect(await verify(bad)).toBe('ERR_SDCWT_KBT_SIGNATURE_INVALID')
  })

  it('extra disclosure and orphan disclosure (child without its parent) → ERR_SDCWT_UNUSED_DISCLOSURE', async () => {
    const d = disc('a@example.com', 'email')
    const extra = disc('x', 'unlisted')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d, extra] })))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
    const child = disc('fr', 'country')
    const parent = disc(new Map<unknown, unknown>([[S59, [hash(child)]]]), 'address')
    const claims = baseClaims([[S59, [hash(parent)]]])
    expect(await verify(await kbt(await sdCwt({ claims, disclosures: [child, parent] })))).toBe('no error')
    expect(await verify(await kbt(await sdCwt({ claims, disclosures: [parent, child].slice(1) })))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
  })

  it('duplicate disclosure → ERR_SDCWT_DUPLICATE_DISCLOSURE; a digest listed twice → ERR_SDCWT_DUPLICATE_DIGEST', async () => {
    const d = disc('a@example.com', 'email')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d, d] })))).toBe('ERR_SDCWT_DUPLICATE_DISCLOSURE')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['x', new Map([[S59, [hash(d)]]])], [S59, [hash(d)]]]), disclosures: [d] })))).toBe('ERR_SDCWT_DUPLICATE_DIGEST')
  })

  it('empty sd_claims → ERR_SDCWT_EMPTY_SD_CLAIMS; empty 171 → ERR_SDCWT_EMPTY_AEAD_CLAIMS', async () => {
    expect(await verify(await kbt(await sdCwt({ disclosures: [] })))).toBe('ERR_SDCWT_EMPTY_SD_CLAIMS')
    expect(await verify(await kbt(await sdCwt({ unprotected: new Map([[171, []]]) })))).toBe('ERR_SDCWT_EMPTY_AEAD_CLAIMS')
  })

  it('wrong aud, wrong cnonce, missing cnonce', async () => {
    const t = await kbt(await sdCwt())
    expect(await verify(t, { aud: 'https://other.example' })).toBe('ERR_SDCWT_AUD_MISMATCH')
    expect(await verify(t, { cnonce: new Uint8Array(16) })).toBe('ERR_SDCWT_CNONCE_MISMATCH')
    const noNonce = await kbt(await sdCwt(), { payload: new Map<unknown, unknown>([[3, 'https://verifier.example'], [6, 1100]]) })
    expect(await verify(noNonce)).toBe('ERR_SDCWT_CNONCE_MISSING')
    expect(await code(verifySdCwtPresentation(noNonce, { ...opts(), cnonce: undefined as never, requireCnonce: true }))).toBe('ERR_SDCWT_CNONCE_MISSING')
    const { cnonce: _c, ...withoutNonce } = opts()
    expect(await code(verifySdCwtPresentation(noNonce, withoutNonce))).toBe('no error')
  })

  it('KBT iat < SD-CWT iat → ERR_SDCWT_KBT_BEFORE_SD_CWT; KBT exp > SD-CWT exp → ERR_SDCWT_KBT_OUTLIVES_SD_CWT', async () => {
    const sd = await sdCwt()
    const p = (entries: [number, unknown][]) => new Map<unknown, unknown>([[3, 'https://verifier.example'], ...entries, [39, NONCE]])
    expect(await verify(await kbt(sd, { payload: p([[6, 999]]) }))).toBe('ERR_SDCWT_KBT_BEFORE_SD_CWT')
    expect(await verify(await kbt(sd, { payload: p([[4, 2001], [6, 1100]]) }))).toBe('ERR_SDCWT_KBT_OUTLIVES_SD_CWT')
    expect(await verify(await kbt(sd, { payload: p([[5, 899], [6, 1100]]) }))).toBe('ERR_SDCWT_KBT_BEFORE_SD_CWT')
    expect(await verify(await kbt(sd, { payload: p([[6, 2000]]) }), { now: 1999 })).toBe('ERR_SDCWT_KBT_AFTER_SD_CWT_EXPIRY')
  })

  it('indefinite-length item: in the KBT bytes, and inside an issuer-signed disclosure → ERR_CBOR_INDEFINITE_LENGTH', async () => {
    const good = await kbt(await sdCwt())
    // 84 (array of 4) → 9f ... ff (indefinite array) around the KBT parts.
    const indefinite = concatBytes(good.subarray(0, 1), new Uint8Array([0x9f]), good.subarray(2), new Uint8Array([0xff]))
    expect(await verify(indefinite)).toBe('ERR_CBOR_INDEFINITE_LENGTH')
    const d = concatBytes(new Uint8Array([0x9f, 0x50]), salt(), hexDecode('61786165ff'))
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d] })))).toBe('ERR_CBOR_INDEFINITE_LENGTH')
  })

  it('revealed key duplicating a key (k and a disclosed k) → ERR_SDCWT_DUPLICATE_CLAIM', async () => {
    const d = disc(false, 500)
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[500, true], [S59, [hash(d)]]]), disclosures: [d] })))).toBe('ERR_SDCWT_DUPLICATE_CLAIM')
    const a = disc(1, 'k')
    const b = disc(2, 'k')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(a), hash(b)]]]), disclosures: [a, b] })))).toBe('ERR_SDCWT_DUPLICATE_CLAIM')
  })

  it('nested tag in a map key → ERR_SDCWT_TAGGED_KEY (also 58(k) left in an issued token)', async () => {
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['m', new Map([[new CborTag(1, 5), 1]])]]) })))).toBe('ERR_SDCWT_TAGGED_KEY')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[new CborTag(58, 'k'), 1]]) })))).toBe('ERR_SDCWT_TAGGED_KEY')
    const d = disc(new Map([[new CborTag(58, 'k'), 1]]), 'm')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d] })))).toBe('ERR_SDCWT_TAGGED_KEY')
  })

  it('the header-less digest (d9df03da…, draft Figures 8-9) is wrong: a token carrying it does not verify', async () => {
    const dir = vectorDir('sd-cwt')
    if (dir === undefined) return
    const list = (JSON.parse(readVectorText('sd-cwt/disclosures.json')) as { vectors: Record<string, { content_hex: string; redacted_claim_hash: string; sha256_of_content_only_WRONG: string }[]> }).vectors['draft-08/issuer_cwt.cbor']!
    const first = list[0]!
    expect(readVectorText('sd-cwt/draft-07/first-blinded-hash.txt').trim()).toContain(first.sha256_of_content_only_WRONG)
    expect(first.sha256_of_content_only_WRONG.startsWith('d9df03da')).toBe(true)
    const content = hexDecode(first.content_hex)
    expect(hexEncode(redactedClaimHash(content, 'SHA-256', node))).toBe(first.redacted_claim_hash)
    expect(first.redacted_claim_hash.startsWith('af375dc3')).toBe(true)
    for (const d of Object.values((JSON.parse(readVectorText('sd-cwt/disclosures.json')) as { vectors: Record<string, typeof list> }).vectors).flat()) {
      expect(hexEncode(redactedClaimHash(hexDecode(d.content_hex), 'SHA-256', node))).toBe(d.redacted_claim_hash)
    }
    // An SD-CWT signed by the draft issuer whose payload lists the header-less digest of the 501 disclosure.
    const draft = decodeCbor(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor')) as CborTag
    const payload = decodeCbor((draft.value as Uint8Array[])[2]!) as Map<unknown, unknown>
    payload.set(S59, [hexDecode(first.sha256_of_content_only_WRONG)])
    const parts = await signCoseSign1Parts({ protectedHeaders: new Map<unknown, unknown>([[1, -35], [16, 293], [170, -16]]), unprotectedHeaders: new Map([[17, [content]]]), payload: encodeCbor(payload), key: draftIssuerPrivate(), provider: node })
    const p = verificationParams()
    const k = await signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[13, new CborTag(18, parts)], [16, 294]]), payload: encodeCbor(new Map<unknown, unknown>([[3, p.expected_kbt_aud], [6, p.kbt_iat]])), key: draftHolderPrivate(), provider: node })
    expect(await code(verifySdCwtPresentation(k, { issuerKeys: [draftIssuerPublic()], provider: node, aud: p.expected_kbt_aud, now: p.suggested_verifier_now }))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
  })
})

describe('CWT Claims (15) in the SD-CWT protected header (§2, RFC 9597): treated as if in the payload', () => {
  const header = (claims: Map<unknown, unknown>) => new Map<unknown, unknown>([[16, 293], [15, claims]])
  const present = async (token: Uint8Array) => verifySdCwtPresentation(token, opts())

  it('claims only in the header (iss, cnf, times) and a redacted one only in the payload: verified, one claims set', async () => {
    const d = disc('a@example.com', 'email')
    const token = await kbt(await sdCwt({ protectedHeaders: header(baseClaims()), claims: new Map<unknown, unknown>([[S59, [hash(d)]]]), disclosures: [d] }))
    const v = await present(token)
    expect(v.claims.get(1)).toBe('https://issuer.example')
    expect(v.claims.get('email')).toBe('a@example.com')
    expect(v.holderKey).toMatchObject({ x: holder.publicJwk.x })
  })

  it('a redacted claim in the header is disclosed from sd_claims (holder receipt and verifier alike); one withheld stays hidden', async () => {
    const shown = disc('Alice', 'name')
    const hidden = disc('secret', 'ssn')
    const sd = await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([['role', 'engineer'], [S59, [hash(shown), hash(hidden)]]])), claims: baseClaims(), disclosures: [shown, hidden] })
    const issued = await verifyIssuedSdCwt(encodeCbor(sd), { issuerKeys: [issuer.publicJwk], provider: node, mode: 'holder', now: 1500 })
    expect(issued.claims.get('ssn')).toBe('secret')
    const v = await present(await kbt(await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([['role', 'engineer'], [S59, [hash(shown), hash(hidden)]]])), claims: baseClaims(), disclosures: [shown] })))
    expect(v.claims.get('name')).toBe('Alice')
    expect(v.claims.get('role')).toBe('engineer')
    expect(v.claims.has('ssn')).toBe(false)
    expect(v.undisclosed).toHaveLength(1)
  })

  it('a claim in both copies: the same value verifies, another value is ERR_SDCWT_CWT_CLAIMS_MISMATCH', async () => {
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[1, 'https://issuer.example'], ['org', new Map([['a', 1]])]])), claims: baseClaims([['org', new Map([['a', 1]])]]) })))).toBe('no error')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[1, 'https://other.example']])), claims: baseClaims() })))).toBe('ERR_SDCWT_CWT_CLAIMS_MISMATCH')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[6, 1001]])), claims: baseClaims() })))).toBe('ERR_SDCWT_CWT_CLAIMS_MISMATCH')
  })

  it('refused: 15 in the unprotected header, 15 not a map, a claim redacted in one copy and present in the other, mandatory claims redacted in the header', async () => {
    expect(await verify(await kbt(await sdCwt({ unprotected: new Map<unknown, unknown>([[15, new Map([[1, 'https://issuer.example']])]]) })))).toBe('ERR_SDCWT_HEADER_INVALID')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map<unknown, unknown>([[16, 293], [15, [1, 2]]]) })))).toBe('ERR_SDCWT_MALFORMED')
    const email = disc('a@example.com', 'email')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[S59, [hash(email)]]])), claims: baseClaims([['email', 'a@example.com']]), disclosures: [email] })))).toBe('ERR_SDCWT_DUPLICATE_CLAIM')
    const exp = disc(2000, 4)
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[S59, [hash(exp)]]])), claims: new Map([...baseClaims()].filter(([k]) => k !== 4)), disclosures: [exp] })))).toBe('ERR_SDCWT_REDACTED_MANDATORY')
    // Other protected headers still hold safe values only; a tag 60 outside 15 is refused.
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map<unknown, unknown>([[16, 293], [15, new Map()], [99, new CborTag(60, new Uint8Array(32))]]) })))).toBe('ERR_SDCWT_UNSAFE_HEADER')
  })

  it('inspect tells where each redaction sits: payload or CWT Claims (15)', async () => {
    const inHeader = disc('Alice', 'name')
    const inPayload = disc('a@example.com', 'email')
    const sd = await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[S59, [hash(inHeader)]]])), claims: baseClaims([[S59, [hash(inPayload)]]]), disclosures: [inHeader, inPayload] })
    const i = inspectSdCwt(encodeCbor(sd), { provider: node })
    expect(i.sdCwt.disclosures.map((d) => d.listedAt)).toEqual(['CWT Claims (15) (top)', 'payload (top)'])
    expect(i.sdCwt.revealed).toContain('"name": "Alice"')
    expect(i.sdCwt.problem).toBeUndefined()
  })

  it('the holder presents a header claim with createKbt, and the verifier accepts it', async () => {
    const shown = disc('Alice', 'name')
    const sd = await sdCwt({ protectedHeaders: header(new Map<unknown, unknown>([[S59, [hash(shown)]]])), claims: baseClaims(), disclosures: [shown] })
    const token = await createKbt({ sdCwt: encodeCbor(sd), disclose: ['name'], holderKey: holder.privateJwk, aud: 'https://verifier.example', cnonce: NONCE, iat: 1100, provider: node })
    expect((await present(token)).claims.get('name')).toBe('Alice')
    const none = await createKbt({ sdCwt: encodeCbor(sd), disclose: [], holderKey: holder.privateJwk, aud: 'https://verifier.example', cnonce: NONCE, iat: 1100, provider: node })
    expect((await present(none)).claims.has('name')).toBe(false)
  })
})

describe('§9 verifier: every other rejection path has its own code', () => {
  it('typ: SD-CWT without 293 → ERR_SDCWT_TYP_INVALID; KBT without 294 → ERR_SDCWT_KBT_TYP_INVALID; string forms accepted', async () => {
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map() })))).toBe('ERR_SDCWT_TYP_INVALID')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map([[16, 294]]) })))).toBe('ERR_SDCWT_TYP_INVALID')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map([[16, 'application/sd-cwt']]) })))).toBe('no error')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map([[16, 'application/example+sd-cwt']]) })))).toBe('no error')
    const sd = await sdCwt()
    expect(await verify(await kbt(sd, { protectedHeaders: new Map<unknown, unknown>([[13, sd], [16, 293]]) }))).toBe('ERR_SDCWT_KBT_TYP_INVALID')
    expect(await verify(await kbt(sd, { protectedHeaders: new Map<unknown, unknown>([[13, sd], [16, 'application/kb+cwt']]) }))).toBe('no error')
    expect(await verify(await kbt(sd, { protectedHeaders: new Map<unknown, unknown>([[16, 294]]) }))).toBe('ERR_SDCWT_KCWT_MISSING')
    expect(await verify(await kbt(sd, { protectedHeaders: new Map<unknown, unknown>([[13, sd], [15, new Map()], [16, 294]]) }))).toBe('ERR_SDCWT_KBT_CWT_CLAIMS')
    expect(await verify(await kbt(sd, { protectedHeaders: new Map<unknown, unknown>([[13, sd], [16, 294], [99, new CborTag(60, new Uint8Array(1))]]) }))).toBe('ERR_SDCWT_UNSAFE_HEADER')
  })

  it('signatures: untrusted issuer, wrong holder key, alg of another curve', async () => {
    const sd = await sdCwt()
    const stranger = await node.generateKeyPair('ES256')
    expect(await verify(await kbt(sd), { issuerKeys: [stranger.publicJwk] })).toBe('ERR_SDCWT_ISSUER_SIGNATURE_INVALID')
    expect(await verify(await kbt(sd, { key: stranger }))).toBe('ERR_SDCWT_KBT_SIGNATURE_INVALID')
    const ed = await node.generateKeyPair('EdDSA')
    expect(await verify(await kbt(sd, { key: ed }))).toBe('ERR_ALG_KEY_MISMATCH')
  })

  it('KBT claims: iss/sub forbidden, aud missing, iat or cti required, no exp/nbf without iat, cti and cnonce are bstr, unsafe values', async () => {
    const sd = await sdCwt()
    const p = (...e: [number, unknown][]) => ({ payload: new Map<unknown, unknown>(e) })
    const aud: [number, unknown] = [3, 'https://verifier.example']
    const n: [number, unknown] = [39, NONCE]
    expect(await verify(await kbt(sd, p([1, 'x'], aud, [6, 1100], n)))).toBe('ERR_SDCWT_KBT_FORBIDDEN_CLAIM')
    expect(await verify(await kbt(sd, p([2, 'x'], aud, [6, 1100], n)))).toBe('ERR_SDCWT_KBT_FORBIDDEN_CLAIM')
    expect(await verify(await kbt(sd, p([6, 1100], n)))).toBe('ERR_SDCWT_KBT_AUD_MISSING')
    expect(await verify(await kbt(sd, p(aud, n)))).toBe('ERR_SDCWT_KBT_IAT_MISSING')
    expect(await verify(await kbt(sd, p(aud, [7, hexDecode('0102')], n)))).toBe('no error')
    expect(await verify(await kbt(sd, p(aud, [4, 1800], [7, hexDecode('0102')], n)))).toBe('ERR_SDCWT_KBT_TIME_WITHOUT_IAT')
    expect(await verify(await kbt(sd, p(aud, [6, 1100], [7, 'text'], n)))).toBe('ERR_SDCWT_KBT_CLAIM_INVALID')
    expect(await verify(await kbt(sd, p(aud, [6, 1100], [39, 'text'])))).toBe('ERR_SDCWT_KBT_CLAIM_INVALID')
    expect(await verify(await kbt(sd, p(aud, [6, 1100], n, [99, new CborSimple(59)])))).toBe('ERR_SDCWT_KBT_UNSAFE_CLAIM')
    expect(await verify(await kbt(sd, p(aud, [6, 'soon'], n)))).toBe('ERR_SDCWT_KBT_TIME_INVALID')
    expect(await verify(await kbt(sd, p(aud, [6, 1100], [5, 1200], n)))).toBe('ERR_SDCWT_KBT_TIME_INCONSISTENT')
  })

  it('attack (issue 14): a KBT with cti but no iat is refused under a maximum age (ERR_SDCWT_KBT_IAT_MISSING), not exempt from it', async () => {
    const sd = await sdCwt()
    const ctiOnly = await kbt(sd, { payload: new Map<unknown, unknown>([[3, 'https://verifier.example'], [7, hexDecode('0102')], [39, NONCE]]) })
    expect(await verify(ctiOnly)).toBe('no error') // §8.1 allows it when no maximum age is asked for
    expect(await verify(ctiOnly, { maxKbtAge: 500 })).toBe('ERR_SDCWT_KBT_IAT_MISSING')
    expect(await verify(await kbt(sd), { maxKbtAge: 500 })).toBe('no error')
    expect(await verify(await kbt(sd), { maxKbtAge: 500, now: 1601 })).toBe('ERR_SDCWT_KBT_TOO_OLD')
  })

  it('times against the clock (with skew) and within the SD-CWT', async () => {
    const t = await kbt(await sdCwt())
    expect(await verify(t, { now: 2000 })).toBe('ERR_SDCWT_EXPIRED')
    expect(await verify(t, { now: 1999.9 })).toBe('no error')
    expect(await verify(t, { now: 2000, skew: 5 })).toBe('no error')
    expect(await verify(t, { now: 1050 })).toBe('ERR_SDCWT_KBT_IAT_IN_FUTURE')
    expect(await verify(t, { now: 1050, skew: 60 })).toBe('no error')
    expect(await verify(t, { now: 1500, maxKbtAge: 300 })).toBe('ERR_SDCWT_KBT_TOO_OLD')
    expect(await verify(t, { now: () => 1500 })).toBe('no error')
    const kexp = await kbt(await sdCwt(), { payload: new Map<unknown, unknown>([[3, 'https://verifier.example'], [4, 1200], [6, 1100], [39, NONCE]]) })
    expect(await verify(kexp, { now: 1300 })).toBe('ERR_SDCWT_KBT_EXPIRED')
    const knbf = await kbt(await sdCwt(), { payload: new Map<unknown, unknown>([[3, 'https://verifier.example'], [5, 1100], [6, 1100], [39, NONCE]]) })
    expect(await verify(knbf, { now: 1099, skew: 0 })).toBe('ERR_SDCWT_KBT_NOT_YET_VALID')
    const future = await kbt(await sdCwt({ claims: new Map([...baseClaims(), [5, 1200], [6, 1200]]) }), { payload: new Map<unknown, unknown>([[3, 'https://verifier.example'], [6, 1250], [39, NONCE]]) })
    expect(await verify(future, { now: 1100 })).toBe('ERR_SDCWT_NOT_YET_VALID')
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...baseClaims(), [5, 1001]]) })))).toBe('ERR_SDCWT_TIME_INCONSISTENT')
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...baseClaims(), [4, 1000]]) })))).toBe('ERR_SDCWT_TIME_INCONSISTENT')
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...baseClaims(), [4, Infinity]]) })))).toBe('ERR_SDCWT_TIME_INVALID')
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...baseClaims(), [4, 1999.5]]) })))).toBe('no error')
  })

  it('iss, cnf, sd_alg, SD-CWT aud', async () => {
    const noIss = baseClaims()
    noIss.delete(1)
    expect(await verify(await kbt(await sdCwt({ claims: noIss })))).toBe('ERR_SDCWT_ISS_MISSING')
    expect(await verify(await kbt(await sdCwt()), { expectedIssuer: 'https://evil.example' })).toBe('ERR_SDCWT_ISS_MISMATCH')
    const noCnf = baseClaims()
    noCnf.delete(8)
    expect(await verify(await kbt(await sdCwt({ claims: noCnf })))).toBe('ERR_SDCWT_CNF_MISSING')
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...baseClaims(), [8, new Map([[3, new Uint8Array(2)]])]]) })))).toBe('ERR_SDCWT_CNF_UNSUPPORTED')
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...baseClaims(), [8, new Map([[1, new Map([[1, 2]])]])]]) })))).toBe('ERR_SDCWT_CNF_INVALID')
    const ckt = new Map([...baseClaims(), [8, new Map([[5, coseKeyThumbprint(holder.publicJwk, node)]])]])
    expect(await verify(await kbt(await sdCwt({ claims: ckt })))).toBe('ERR_SDCWT_CNF_UNRESOLVED')
    expect(await verify(await kbt(await sdCwt({ claims: ckt })), { holderKeys: [issuer.publicJwk, holder.publicJwk] })).toBe('no error')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map([[16, 293], [170, -17]]) })))).toBe('ERR_SDCWT_SD_ALG_UNSUPPORTED')
    const withAud = new Map([...baseClaims(), [3, 'https://rp.example']])
    expect(await verify(await kbt(await sdCwt({ claims: withAud })))).toBe('ERR_SDCWT_AUD_MISMATCH')
    expect(await verify(await kbt(await sdCwt({ claims: withAud })), { sdCwtAudiences: ['https://rp.example'] })).toBe('no error')
  })

  it('disclosure structure: kind mismatch, bad salt, malformed, pre-issuance tags, misplaced redactions, mandatory claims', async () => {
    const el = disc('x')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(el)]]]), disclosures: [el] })))).toBe('ERR_SDCWT_DISCLOSURE_KIND_MISMATCH')
    const cl = disc('x', 'k')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['a', [new CborTag(60, hash(cl))]]]), disclosures: [cl] })))).toBe('ERR_SDCWT_DISCLOSURE_KIND_MISMATCH')
    const shortSalt = encodeCbor([new Uint8Array(8), 'x', 'k'])
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(shortSalt)]]]), disclosures: [shortSalt] })))).toBe('ERR_SDCWT_SALT_INVALID')
    const four = encodeCbor([salt(), 'x', 'k', 1])
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(four)]]]), disclosures: [four] })))).toBe('ERR_SDCWT_DISCLOSURE_MALFORMED')
    const badLabel = disc('x', new Uint8Array(1))
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(badLabel)]]]), disclosures: [badLabel] })))).toBe('ERR_SDCWT_DISCLOSURE_MALFORMED')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['a', [new CborTag(62, 1)]]]) })))).toBe('ERR_SDCWT_PREISSUANCE_TAG')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['a', new CborTag(60, new Uint8Array(32))]]) })))).toBe('ERR_SDCWT_MISPLACED_REDACTION')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['a', S59]]) })))).toBe('ERR_SDCWT_MISPLACED_REDACTION')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, 'x']]) })))).toBe('ERR_SDCWT_MALFORMED')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [5]]]) })))).toBe('ERR_SDCWT_MALFORMED')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[new Uint8Array(1), 5]]) })))).toBe('ERR_SDCWT_INVALID_KEY')
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([['x'.repeat(256), 5]]) })))).toBe('ERR_SDCWT_INVALID_KEY')
    const noIat = baseClaims()
    noIat.delete(6)
    const iat = disc(1000, 6)
    expect(await verify(await kbt(await sdCwt({ claims: new Map([...noIat, [S59, [hash(iat)]]]), disclosures: [iat] })))).toBe('ERR_SDCWT_REDACTED_MANDATORY')
    expect(await verify(await kbt(await sdCwt({ unprotected: new Map([[17, ['x']]]) })))).toBe('ERR_SDCWT_MALFORMED')
    expect(await verify(await kbt(await sdCwt({ unprotected: new Map([[17, 'x']]) })))).toBe('ERR_SDCWT_MALFORMED')
    expect(await verify(await kbt(await sdCwt({ payloadBytes: encodeCbor([1]) })))).toBe('ERR_SDCWT_MALFORMED')
    expect(await verify(await kbt(await sdCwt({ protectedHeaders: new Map<unknown, unknown>([[16, 293], [17, []]]) })))).toBe('ERR_SDCWT_HEADER_INVALID')
    expect(await verify(await kbt(await sdCwt({ unprotected: new Map([[170, -16]]) })))).toBe('ERR_SDCWT_HEADER_INVALID')
  })

  it('attack (issue 14): a presentation whose status (65535) or vct (11) was redactable is refused (ERR_SDCWT_REDACTED_MANDATORY), as SD-JWT VC refuses them disclosed', async () => {
    const status = disc(new Map<unknown, unknown>([['status_list', new Map<unknown, unknown>([['idx', 3], ['uri', 'https://issuer.example/status-lists/1']])]]), 65535)
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(status)]]]), disclosures: [status] })))).toBe('ERR_SDCWT_REDACTED_MANDATORY')
    const vct = disc('https://issuer.example/vct/x', 11)
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(vct)]]]), disclosures: [vct] })))).toBe('ERR_SDCWT_REDACTED_MANDATORY')
  })

  it('verifyIssuedSdCwt: unmatched digests stay hidden in verifier mode and are an error in holder mode', async () => {
    const d = disc('a@example.com', 'email')
    const sd = encodeCbor(await sdCwt({ claims: baseClaims([[S59, [hash(d), hash(disc('hidden', 'h'))]]]), disclosures: [d] }))
    const v = await verifyIssuedSdCwt(sd, { issuerKeys: [issuer.publicJwk], provider: node, now: 1500 })
    expect(v.claims.get('email')).toBe('a@example.com')
    expect(v.claims.has('h')).toBe(false)
    expect(v.undisclosed.length).toBe(1)
    expect(await code(verifyIssuedSdCwt(sd, { issuerKeys: [issuer.publicJwk], provider: node, now: 1500, mode: 'holder' }))).toBe('ERR_SDCWT_MISSING_DISCLOSURE')
  })

  it('remaining paths: KBT payload not a map, detached KBT payload, disclosure chains too deep, bad clock, unsafe SD-CWT header', async () => {
    const sd = await sdCwt()
    const notMap = await signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[13, sd], [16, 294]]), payload: encodeCbor([1]), key: holder.privateJwk, provider: node })
    expect(await verify(notMap)).toBe('ERR_SDCWT_KBT_MALFORMED')
    const arr = (decodeCbor(await kbt(sd)) as CborTag).value as unknown[]
    expect(await verify(encodeCbor(new CborTag(18, [arr[0], arr[1], null, arr[3]])))).toBe('ERR_SDCWT_KBT_MALFORMED')
    let d = disc(1, 'k')
    const chain = [d]
    for (let i = 0; i < 40; i++) {
      d = disc(new Map([[S59, [hash(d)]]]), 'k')
      chain.push(d)
    }
    expect(await verify(await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: chain })))).toBe('ERR_SDCWT_TOO_DEEP')
    expect(await verify(await kbt(sd), { now: () => NaN })).toBe('ERR_SDCWT_CLOCK_INVALID')
    const late = new Map([...baseClaims(), [6, 1200]])
    late.delete(5)
    expect(await verify(await kbt(await sdCwt({ claims: late }), { payload: new Map<unknown, unknown>([[3, 'https://verifier.example'], [6, 1250], [39, NONCE]]) }), { now: 1100 })).toBe('ERR_SDCWT_IAT_IN_FUTURE')
    expect(await verify(await kbt(await sdCwt({ unprotected: new Map([[99, S59]]) })))).toBe('ERR_SDCWT_UNSAFE_HEADER')
  })
})

describe('§9 on a presentation decoded once (decodeSdCwtPresentation)', () => {
  it('gives the same result as the bytes, and the same rejection of a tampered KBT', async () => {
    const d = disc('a@example.com', 'email')
    const good = await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d] }))
    const fromBytes = await verifySdCwtPresentation(good, opts())
    const fromDecoded = await verifySdCwtPresentation(decodeSdCwtPresentation(decodeCoseSign1(good)), opts())
    expect(fromDecoded.claims).toEqual(fromBytes.claims)
    expect(fromDecoded.kbtClaims).toEqual(fromBytes.kbtClaims)
    const t = d.slice()
    t[t.length - 2]! ^= 1
    const i = hexEncode(good).indexOf(hexEncode(d))
    const bad = hexDecode(hexEncode(good).slice(0, i) + hexEncode(t) + hexEncode(good).slice(i + t.length * 2))
    expect(await code(verifySdCwtPresentation(decodeSdCwtPresentation(decodeCoseSign1(bad)), opts()))).toBe('ERR_SDCWT_KBT_SIGNATURE_INVALID')
  })
  it('refuses a decoded pair it did not make (the token could be another than the KBT kcwt)', async () => {
    const d = disc('a@example.com', 'email')
    const good = await kbt(await sdCwt({ claims: baseClaims([[S59, [hash(d)]]]), disclosures: [d] }))
    const made = decodeSdCwtPresentation(decodeCoseSign1(good))
    await expect(verifySdCwtPresentation({ kbt: made.kbt, token: made.token }, opts())).rejects.toThrow(TypeError)
    // Not even an object made from the same prototype (the brand is a private field, set by the constructor only).
    const forged = Object.assign(Object.create(Object.getPrototypeOf(made) as object) as object, { kbt: made.kbt, token: made.token })
    await expect(verifySdCwtPresentation(forged as typeof made, opts())).rejects.toThrow(TypeError)
    expect(Object.isFrozen(made)).toBe(true)
  })
})
