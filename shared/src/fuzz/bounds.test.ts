/**
 * fuzz (issue 8): the time and memory rules for the decoders whose fuzz tests live elsewhere and check only "E2eidError
 * or a result" (cbor/cbor.test.ts, sd-cwt/fuzz.test.ts, sd-jwt/fuzz.test.ts, jose/jose.test.ts, mls/credential.test.ts,
 * status-list/encode.test.ts): the same decoders, on random input and on mutations of valid input, under
 * ./test-helpers/bounded.ts — only E2eidError, ≤ 100 ms per input (timed twice), heap growth ≤ 256 MB after a full GC.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  CborTag,
  createKbt,
  decodeCbor,
  decodeMlsCredential,
  decodeStatusListJson,
  encodeCbor,
  encodeMlsCredential,
  issueSdCwt,
  issueSdJwtVc,
  presentSdJwtVc,
  sdCwtMlsCredential,
  sdJwtMlsCredential,
  signJwt,
  utf8Encode,
  verifyJwt,
  verifySdCwtPresentation,
  verifySdJwtVcPresentation,
} from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzBounded, mutatedBytes, mutatedText } from './test-helpers/bounded.js'

const provider = createNodeCryptoProvider()
const NOW = 1_800_000_000
const AUD = 'https://verifier.example'
let issuer: KeyPair
let kbt: Uint8Array
let sdJwtKb: string
let jwt: string
let cbor: Uint8Array

beforeAll(async () => {
  issuer = await provider.generateKeyPair('ES256')
  const holder = await provider.generateKeyPair('EdDSA')
  const sdCwt = await issueSdCwt({
    claims: new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'mimi://example.com/u/a'], [6, NOW - 10], [4, NOW + 3600], [new CborTag(58, 'org'), 'example.com'], [new CborTag(58, 'role'), new Map<unknown, unknown>([['title', 'x'], ['level', [1, 2]]])]]),
    issuerKey: issuer.privateJwk,
    holderKey: holder.publicJwk,
    decoys: 2,
    provider,
  })
  kbt = await createKbt({ sdCwt, disclose: ['org', 'role'], holderKey: holder.privateJwk, aud: AUD, cnonce: utf8Encode('n'), iat: NOW, now: NOW, provider })
  const vc = await issueSdJwtVc({ provider, claims: { sub: 'mimi://example.com/u/a', org: 'example.com', address: { country: 'FR', city: 'Lyon' } }, disclosable: ['org', 'address'], issuerKey: issuer.privateJwk, iss: 'https://issuer.example', vct: 'https://issuer.example/vct/x', holderKey: holder.publicJwk, iat: NOW - 10, exp: NOW + 3600 })
  sdJwtKb = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org', 'address'], holderKey: holder.privateJwk, aud: AUD, nonce: 'n', iat: NOW })
  jwt = await signJwt({ header: { typ: 'example+jwt' }, payload: { iss: 'x', iat: NOW, exp: NOW + 60, nested: { a: [1, 2, { b: 'c' }] } }, key: issuer.privateJwk, provider })
  cbor = encodeCbor(new Map<unknown, unknown>([[1, [1, 2, 3, new Uint8Array([1, 2])]], ['k', new Map([[2, 'v']])], [3, new CborTag(24, encodeCbor([1, new Map([['a', 1]])]))]]))
})

describe('fuzz: time and memory bounds of the decoders fuzzed elsewhere', () => {
  it(`fuzz decodeCbor: random bytes and mutations, bounded (${FUZZ_RUNS} runs)`, async () => {
    await fuzzBounded(fc.oneof(fc.uint8Array({ maxLength: 400 }), mutatedBytes(cbor)), (b) => decodeCbor(b))
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz verifySdCwtPresentation: KBT mutations, bounded (${FUZZ_RUNS} runs)`, async () => {
    const outcomes = await fuzzBounded(mutatedBytes(kbt), (b) => verifySdCwtPresentation(b, { issuerKeys: [issuer.publicJwk], provider, aud: AUD, now: NOW }))
    expect([...outcomes.keys()].some((k) => k !== 'ok')).toBe(true)
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz verifySdJwtVcPresentation: SD-JWT+KB mutations, bounded (${FUZZ_RUNS} runs)`, async () => {
    const outcomes = await fuzzBounded(mutatedText(sdJwtKb), (t) => verifySdJwtVcPresentation(t, { provider, issuerKeys: () => [issuer.publicJwk], aud: AUD, nonce: 'n', now: NOW }))
    expect([...outcomes.keys()].some((k) => k !== 'ok')).toBe(true)
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz verifyJwt: compact JWT mutations and random text, bounded (${FUZZ_RUNS} runs)`, async () => {
    await fuzzBounded(fc.oneof(mutatedText(jwt), fc.string({ maxLength: 300 })), (t) => verifyJwt(t, { keys: [issuer.publicJwk], typ: 'example+jwt', provider, now: () => NOW }))
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz decodeMlsCredential: random bytes and mutations of both kinds, bounded (${FUZZ_RUNS} runs)`, async () => {
    const a = encodeMlsCredential(sdCwtMlsCredential(kbt))
    const b = encodeMlsCredential(sdJwtMlsCredential(sdJwtKb))
    await fuzzBounded(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedBytes(a), mutatedBytes(b)), (bytes) => decodeMlsCredential(bytes))
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz decodeStatusListJson: arbitrary lst (incl. deflate bombs), bounded (${FUZZ_RUNS} runs)`, async () => {
    const lst = fc.oneof(fc.base64String({ maxLength: 200 }).map((s) => s.replace(/=/g, '').replace(/\+/g, '-').replace(/\//g, '_')), fc.string({ maxLength: 50 }))
    // A zlib stream of 64 MiB of zeros (~64 KB): refused by the decompression cap without inflating it all. With the
    // default cap (16 MiB, for 10M-entry lists) inflating up to the cap takes ~100 ms on this machine, which is the
    // legitimate cost of the largest list; the fuzz target uses a 1 MiB cap so that the bound is about the decoder.
    const { deflateSync } = await import('node:zlib')
    const bomb = Buffer.from(deflateSync(Buffer.alloc(64 * 1024 * 1024))).toString('base64url')
    const value = fc.oneof(fc.record({ bits: fc.constantFrom(1, 2, 4, 8, 3, 0, 16), lst }), fc.constant('bomb' as const), fc.jsonValue({ maxDepth: 2 }))
    const outcomes = await fuzzBounded(value, (v) => decodeStatusListJson(v === 'bomb' ? { bits: 1, lst: bomb } : v, { maxDecompressedBytes: 1024 * 1024 }))
    expect(outcomes.get('ok') ?? 0).toBeLessThan(FUZZ_RUNS)
  }, FUZZ_TIMEOUT_MS)
})
