/**
 * fuzz (issue 8): every decoder of @e2eid/shared that the existing fuzz tests did not yet cover, under the bounded
 * rules of ./test-helpers/bounded.ts (only E2eidError, ≤ 100 ms per input, bounded heap).
 *
 * Inventory of the other fuzz targets (not repeated here): cbor/cbor.test.ts (decodeCbor random and mutated bytes,
 * round trips), sd-cwt/fuzz.test.ts (KBT byte and structural mutations), sd-jwt/fuzz.test.ts (SD-JWT+KB and issued
 * credential mutations, arbitrary payloads), jose/jose.test.ts (verifyJwt compact strings), mls/credential.test.ts
 * (decodeMlsCredential random and mutated), status-list/encode.test.ts (decodeStatusListJson), bitstring.test.ts and
 * list.test.ts (round trips).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  CborTag,
  StatusList,
  base64urlDecode,
  cborToJson,
  coseKeyToJwk,
  cwtStatusClaim,
  decodeBitstringStatusList,
  decodeCbor,
  decodeCoseSign1,
  decodeDisclosure,
  decodeJws,
  decodeJwtUnverified,
  decodeMlsCredentialData,
  decodeSdJwtDisclosure,
  decodeStatusListCbor,
  encodeCbor,
  hexDecode,
  issueSdCwt,
  jwkFromMlsSignatureKey,
  jwkToCoseKey,
  parseBitstringStatusListEntry,
  parsePrivateJwk,
  parsePublicJwk,
  parseSdCwt,
  parseStatusListReference,
  signCoseSign1,
  signStatusListCwt,
  signStatusListJwt,
  splitSdJwt,
  statusReferenceFromCwtClaims,
  toDiagnostic,
  verifyCoseSign1,
  verifyStatusListCwt,
  verifyStatusListJwt,
} from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzBounded, mutatedBytes, mutatedText } from './test-helpers/bounded.js'

const provider = createNodeCryptoProvider()
const NOW = 1_800_000_000
let issuer: KeyPair
let holder: KeyPair
let sign1: Uint8Array
let sdCwt: Uint8Array
let listJwt: string
let listCwt: Uint8Array
const LIST_URI = 'https://issuer.example/status-lists/1'

beforeAll(async () => {
  issuer = await provider.generateKeyPair('ES256')
  holder = await provider.generateKeyPair('EdDSA')
  sign1 = await signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[16, 'application/example']]), payload: encodeCbor(new Map<unknown, unknown>([[1, 'x'], [2, [1, 2, 3]]])), key: issuer.privateJwk, provider })
  sdCwt = await issueSdCwt({
    claims: new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'mimi://example.com/u/alice'], [6, NOW], [4, NOW + 3600], [new CborTag(58, 'email'), 'alice@example.com'], [new CborTag(58, 'org'), 'example.com']]),
    issuerKey: issuer.privateJwk,
    holderKey: holder.publicJwk,
    decoys: 2,
    provider,
  })
  const list = StatusList.create(64, 2)
  list.set(3, 1)
  listJwt = await signStatusListJwt({ list, sub: LIST_URI, iat: NOW, exp: NOW + 3600, ttl: 300, key: issuer.privateJwk, provider })
  listCwt = await signStatusListCwt({ list, sub: LIST_URI, iat: NOW, exp: NOW + 3600, ttl: 300, key: issuer.privateJwk, provider })
})

/** Arbitrary CBOR-shaped values (what a decoder hands to the next layer). */
const cborValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.array(fc.tuple(fc.oneof(fc.integer({ min: -8, max: 70000 }), fc.string({ maxLength: 8 })), tie('v')), { maxLength: 6 }).map((e) => new Map<unknown, unknown>(e)),
    fc.tuple(fc.integer({ min: 0, max: 70 }), tie('v')).map(([t, v]) => new CborTag(t, v)),
  ),
})).v

const COSE_KEY_LABELS = [1, 2, 3, -1, -2, -3, -4, 4, 5]
const coseKeyish = fc
  .array(fc.tuple(fc.constantFrom(...COSE_KEY_LABELS), fc.oneof(fc.integer({ min: -50, max: 10 }), fc.uint8Array({ maxLength: 66 }), fc.string({ maxLength: 8 }), cborValue)), { maxLength: 7 })
  .map((e) => new Map<unknown, unknown>(e))

const jwkish = fc.record(
  {
    kty: fc.constantFrom('EC', 'OKP', 'RSA', 'oct', '', 'ec'),
    crv: fc.constantFrom('P-256', 'P-384', 'Ed25519', 'X25519', 'secp256k1', ''),
    x: fc.oneof(fc.base64String({ maxLength: 90 }).map((s) => s.replace(/=/g, '').replace(/\+/g, '-').replace(/\//g, '_')), fc.string({ maxLength: 10 })),
    y: fc.base64String({ maxLength: 90 }).map((s) => s.replace(/=/g, '').replace(/\+/g, '-').replace(/\//g, '_')),
    d: fc.base64String({ maxLength: 90 }).map((s) => s.replace(/=/g, '').replace(/\+/g, '-').replace(/\//g, '_')),
    kid: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
    alg: fc.constantFrom('ES256', 'EdDSA', 'Ed25519', 'none', 'HS256'),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
)

describe('fuzz: encoding decoders', () => {
  it(`fuzz base64urlDecode and hexDecode over arbitrary text (${FUZZ_RUNS} runs)`, async () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.base64String({ maxLength: 200 }), fc.stringMatching(/^[0-9a-fA-F]{0,80}$/))
    const outcomes = await fuzzBounded(text, (s) => {
      base64urlDecode(s)
      hexDecode(s)
    })
    expect(outcomes.size).toBeGreaterThan(1)
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: CBOR views', () => {
  it(`fuzz cborToJson and toDiagnostic over decoded random bytes and arbitrary values (${FUZZ_RUNS} runs)`, async () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => ({ bytes: b })), cborValue.map((v) => ({ value: v })))
    await fuzzBounded(input, (i) => {
      const v = 'bytes' in i ? decodeCbor(i.bytes) : i.value
      cborToJson(v)
      toDiagnostic(v)
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: COSE (RFC 9052)', () => {
  it(`fuzz decodeCoseSign1 and verifyCoseSign1 over random bytes and mutations of a valid COSE_Sign1 (${FUZZ_RUNS} runs)`, async () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedBytes(sign1))
    const outcomes = await fuzzBounded(input, async (b) => {
      await verifyCoseSign1(decodeCoseSign1(b), { keys: [issuer.publicJwk], provider })
    })
    expect([...outcomes.keys()].some((k) => k !== 'ok')).toBe(true)
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz coseKeyToJwk over arbitrary COSE_Key-shaped maps and mutations of a real key (${FUZZ_RUNS} runs)`, async () => {
    const real = encodeCbor(jwkToCoseKey(issuer.publicJwk))
    const input = fc.oneof(coseKeyish, cborValue, mutatedBytes(real).map((b) => ({ bytes: b })))
    await fuzzBounded(input, (v) => coseKeyToJwk(v instanceof Object && 'bytes' in (v as object) ? decodeCbor((v as { bytes: Uint8Array }).bytes) : v))
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz parsePublicJwk and parsePrivateJwk over JWK-shaped objects (${FUZZ_RUNS} runs)`, async () => {
    await fuzzBounded(fc.oneof(jwkish, fc.jsonValue({ maxDepth: 2 })), (v) => {
      try {
        parsePublicJwk(v)
      } finally {
        parsePrivateJwk(v)
      }
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: JOSE compact decoding', () => {
  it(`fuzz decodeJws and decodeJwtUnverified over arbitrary text and mutations of a real JWT (${FUZZ_RUNS} runs)`, async () => {
    await fuzzBounded(fc.oneof(fc.string({ maxLength: 300 }), mutatedText(listJwt)), (s) => {
      decodeJws(s)
      decodeJwtUnverified(s)
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: SD-CWT parsing', () => {
  it(`fuzz parseSdCwt and decodeDisclosure over random bytes and mutations of an issued SD-CWT (${FUZZ_RUNS} runs)`, async () => {
    const disclosures = parseSdCwt(sdCwt).disclosures
    const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedBytes(sdCwt), fc.constantFrom(...disclosures).chain((d) => mutatedBytes(d)))
    await fuzzBounded(input, (b) => {
      try {
        parseSdCwt(b)
      } finally {
        decodeDisclosure(b)
      }
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: SD-JWT compact parsing', () => {
  it(`fuzz splitSdJwt and the disclosure decoder over arbitrary text (${FUZZ_RUNS} runs)`, async () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 }).map((a) => a.join('~')), mutatedText(`${listJwt}~WyJzYWx0IiwibmFtZSIsInYiXQ~`))
    await fuzzBounded(text, (s) => {
      try {
        splitSdJwt(s)
      } finally {
        decodeSdJwtDisclosure(provider, 'SHA-256', s)
      }
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: Token Status List (draft-ietf-oauth-status-list)', () => {
  it(`fuzz verifyStatusListJwt over mutations of a signed list token (${FUZZ_RUNS} runs)`, async () => {
    const outcomes = await fuzzBounded(fc.oneof(mutatedText(listJwt), fc.string({ maxLength: 200 })), (t) => verifyStatusListJwt(t, { keys: [issuer.publicJwk], provider, uri: LIST_URI, now: () => NOW }))
    expect([...outcomes.keys()].some((k) => k !== 'ok')).toBe(true)
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz verifyStatusListCwt over mutations of a signed list token (${FUZZ_RUNS} runs)`, async () => {
    const outcomes = await fuzzBounded(fc.oneof(mutatedBytes(listCwt), fc.uint8Array({ maxLength: 200 })), (b) => verifyStatusListCwt(b, { keys: [issuer.publicJwk], provider, uri: LIST_URI, now: () => NOW }))
    expect([...outcomes.keys()].some((k) => k !== 'ok')).toBe(true)
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz decodeStatusListCbor, status references and Bitstring entries over arbitrary values (${FUZZ_RUNS} runs)`, async () => {
    const ref = fc.oneof(cborValue, fc.jsonValue({ maxDepth: 3 }), fc.record({ idx: fc.oneof(fc.integer(), fc.double(), fc.string()), uri: fc.oneof(fc.webUrl(), fc.string()) }))
    await fuzzBounded(ref, async (v) => {
      const errors: unknown[] = []
      for (const f of [
        () => decodeStatusListCbor(v),
        () => parseStatusListReference(v),
        () => statusReferenceFromCwtClaims(v instanceof Map ? v : new Map<unknown, unknown>([[65535, v]])),
        () => parseBitstringStatusListEntry(v),
        () => decodeBitstringStatusList(v),
      ]) {
        try {
          await f()
        } catch (e) {
          errors.push(e)
        }
      }
      const bad = errors.find((e) => !(e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string' && (e as { code: string }).code.startsWith('ERR_')))
      if (bad !== undefined) throw bad
    })
    // control: the reference we write is read back
    expect(statusReferenceFromCwtClaims(new Map<unknown, unknown>([[65535, cwtStatusClaim({ idx: 3, uri: LIST_URI })]]))).toEqual({ idx: 3, uri: LIST_URI })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: MLS credential parts (draft-mahy-mls-sd-cwt-credential)', () => {
  it(`fuzz decodeMlsCredentialData and jwkFromMlsSignatureKey over random bytes (${FUZZ_RUNS} runs)`, async () => {
    const input = fc.tuple(fc.constantFrom('sd-cwt', 'sd-jwt') as fc.Arbitrary<'sd-cwt' | 'sd-jwt'>, fc.oneof(fc.uint8Array({ maxLength: 200 }), mutatedBytes(sdCwt)))
    await fuzzBounded(input, ([kind, b]) => {
      try {
        decodeMlsCredentialData(kind, b)
      } finally {
        jwkFromMlsSignatureKey(b.subarray(0, 65))
      }
    })
  }, FUZZ_TIMEOUT_MS)
})
