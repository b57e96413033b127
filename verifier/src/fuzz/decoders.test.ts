/**
 * fuzz (issue 8): the verifier's decoders not covered by ../fuzz.test.ts (direct_post forms, DCQL, policy,
 * detectPresentation, KBT and SD-JWT+KB mutations) nor by ../mls/codec.test.ts (MLSMessage): COSE_KeySet, JWT VC
 * Issuer Metadata and JWKS as fetched by the trust store, OpenID4VP request URIs, did:key / did:jwk, claims paths,
 * the aud reader and the MLS AuthenticationService over arbitrary credentials in a leaf. Bounded rules of
 * shared/src/fuzz/test-helpers/bounded.ts: only E2eidError, ≤ 100 ms per input, bounded heap.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { didJwkToJwk, didKeyToJwk, encodeCbor, jwkToCoseKey, mlsKeyPackageAudience, sdCwtMlsCredential, toMlsCredentialCarrier } from '@e2eid/shared'
import type { KeyPair } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzBounded, mutatedBytes, mutatedText } from '@e2eid/shared/testing'
import { parseClaimsPath, parseDottedPath } from '../claims/path.js'
import { createHttpClient } from '../http.js'
import { MlsCredentialAuthenticationService } from '../mls/authentication-service.js'
import { presentedAudience } from '../mls/presentation-verifier.js'
import { makeIssuer, makeTestKbt, testVerifier } from '../mls/test-helpers/credentials.js'
import type { TestIssuer } from '../mls/test-helpers/credentials.js'
import { authorizationRequestUri, createAuthorizationRequest, parseAuthorizationRequestUri } from '../openid4vp/request.js'
import { decodeCoseKeySet } from '../trust/cose-key-set.js'
import { createTrustStore } from '../trust/trust-store.js'

const provider = createNodeCryptoProvider()
const ISS = 'https://issuer.example'
let key: KeyPair
let issuer: TestIssuer
let kbt: Uint8Array
let keySet: Uint8Array

beforeAll(async () => {
  key = await provider.generateKeyPair('ES256')
  issuer = await makeIssuer(provider)
  const holder = await provider.generateKeyPair('EdDSA')
  kbt = await makeTestKbt(provider, issuer, holder, { sub: 'mimi://example.com/u/a', claims: { org: 'example.com' } }, mlsKeyPackageAudience('https://chat.example'))
  keySet = encodeCbor([jwkToCoseKey({ ...key.publicJwk, kid: 'k1' }), jwkToCoseKey((await provider.generateKeyPair('EdDSA')).publicJwk)])
})

describe('fuzz: trust anchors', () => {
  it(`fuzz decodeCoseKeySet over random bytes and mutations of a real COSE_KeySet (${FUZZ_RUNS} runs)`, async () => {
    const outcomes = await fuzzBounded(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutatedBytes(keySet)), (b) => decodeCoseKeySet(b))
    expect([...outcomes.keys()].some((k) => k !== 'ok')).toBe(true)
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz the trust store over arbitrary JWT VC Issuer Metadata and JWKS documents (${FUZZ_RUNS} runs)`, async () => {
    const jwk = fc.oneof(fc.constant(key.publicJwk as unknown), fc.jsonValue({ maxDepth: 2 }), fc.record({ kty: fc.constantFrom('EC', 'OKP'), crv: fc.constantFrom('P-256', 'Ed25519'), x: fc.string({ maxLength: 50 }), y: fc.string({ maxLength: 50 }), kid: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }))
    const doc = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ issuer: fc.oneof(fc.constant(ISS), fc.string({ maxLength: 20 })), jwks: fc.oneof(fc.record({ keys: fc.array(jwk, { maxLength: 3 }) }), fc.jsonValue({ maxDepth: 2 })), jwks_uri: fc.oneof(fc.constant(`${ISS}/jwks`), fc.string({ maxLength: 20 })) }, { requiredKeys: [] }),
    )
    await fuzzBounded(fc.tuple(doc, doc, fc.constantFrom('k1', undefined)), async ([metadata, jwks, kid]) => {
      const fetch = async (input: string): Promise<Response> => (input.endsWith('/jwks') ? Response.json(jwks) : Response.json(metadata))
      const trust = createTrustStore({ http: createHttpClient({ fetch }), authorities: [{ issuer: ISS, sources: [{ type: 'jwt_vc_issuer' }] }] })
      await trust.issuerKeys({ iss: ISS, kid, format: 'dc+sd-jwt' })
    })
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz didKeyToJwk and didJwkToJwk over arbitrary method-specific ids (${FUZZ_RUNS} runs)`, async () => {
    const id = fc.oneof(fc.string({ maxLength: 120 }), fc.stringMatching(/^z[1-9A-HJ-NP-Za-km-z]{0,60}$/), fc.base64String({ maxLength: 160 }).map((s) => s.replace(/=/g, '')))
    await fuzzBounded(id, (s) => {
      try {
        didKeyToJwk(s)
      } finally {
        didJwkToJwk(s)
      }
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: OpenID4VP request URIs and claims paths', () => {
  it(`fuzz parseAuthorizationRequestUri over arbitrary and mutated request URIs (${FUZZ_RUNS} runs)`, async () => {
    const valid = authorizationRequestUri(createAuthorizationRequest({ responseUri: 'https://verifier.example/response', dcqlQuery: { credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: ['https://issuer.example/vct/mimi-identity'] }, claims: [{ path: ['org'] }] }] }, randomBytes: (n) => provider.randomBytes(n) }))
    await fuzzBounded(fc.oneof(fc.string({ maxLength: 200 }), mutatedText(valid)), (u) => parseAuthorizationRequestUri(u))
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz parseClaimsPath and parseDottedPath over arbitrary values and text (${FUZZ_RUNS} runs)`, async () => {
    await fuzzBounded(fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 60 })), ([v, t]) => {
      try {
        parseClaimsPath(v)
      } finally {
        parseDottedPath(t)
      }
    })
  }, FUZZ_TIMEOUT_MS)
})

describe('fuzz: MLS credentials in a leaf', () => {
  it(`fuzz presentedAudience and the AuthenticationService over arbitrary and mutated credentials (${FUZZ_RUNS} runs)`, async () => {
    const as = new MlsCredentialAuthenticationService({ verify: testVerifier(provider, [issuer]), service: 'https://chat.example', provider })
    const leafKey = new Uint8Array(32).fill(7)
    const data = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutatedBytes(kbt))
    const input = fc.tuple(fc.constantFrom(0xfff5, 0xfff6, 0x0005, 0x0006, 1, 2, 0xabcd), data, fc.oneof(fc.constant(leafKey), fc.uint8Array({ maxLength: 70 })))
    await fuzzBounded(input, async ([credentialType, bytes, signatureKey]) => {
      presentedAudience('sd-cwt', bytes)
      presentedAudience('sd-jwt', new TextDecoder().decode(bytes))
      const credential = credentialType === 0xfff5 ? (toMlsCredentialCarrier(sdCwtMlsCredential(bytes)) as never) : ({ credentialType, data: bytes } as never)
      const ok = await as.validateCredential(credential, signatureKey)
      // ts-mls wants a boolean; the reason must be an E2eidError code.
      if (!ok && !/^ERR_/.test(as.lastRefusalCode ?? '')) throw new Error(`refused without a code: ${String(as.lastRefusalCode)}`)
    })
  }, FUZZ_TIMEOUT_MS)
})
