/**
 * RFC 9901 §8 (JWS JSON Serialization of SD-JWT): the §8.2 example from ../shared/specs both ways, @sd-jwt/core's
 * FlattenJSON / GeneralJSON as the independent implementation, the §8.1 rules, and hostile input.
 */
import { FlattenJSON, GeneralJSON } from '@sd-jwt/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { isE2eidError } from '../errors.js'
import { isSdJwtJsonSerialization, sdJwtFromJsonSerialization, sdJwtToJsonSerialization } from './json-serialization.js'
import { issueSdJwtVc } from './vc-issue.js'
import { presentSdJwtVc } from './vc-holder.js'
import { verifySdJwt } from './verify.js'
import { haveSdJwtVectors, sdJwtVector, vectorKeys } from './test-helpers/sd-jwt-vectors.js'

const provider = createNodeCryptoProvider()
type Flattened = { header: { disclosures: string[]; kb_jwt?: string }; payload: string; protected: string; signature: string }
const code = (f: () => unknown): string => {
  try {
    f()
    return 'no error'
  } catch (e) {
    return isE2eidError(e) ? e.code : `non-E2eid ${String(e)}`
  }
}
/** Drops undefined members, as JSON does (@sd-jwt/core writes `kid: undefined`). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v))

describe.runIf(haveSdJwtVectors)('RFC 9901 §8.2 example (Flattened JSON Serialization)', () => {
  const v = haveSdJwtVectors ? sdJwtVector<{ issuance: Flattened; presentation: Flattened; expected_presentation_processed_payload: unknown }>('rfc9901/sec8-json-serialization-flattened.json') : undefined!

  it('issuance and presentation convert to compact and back to the same JSON object', () => {
    for (const json of [v.issuance, v.presentation]) {
      const compact = sdJwtFromJsonSerialization(json)
      expect(compact.startsWith(`${json.protected}.${json.payload}.${json.signature}~`)).toBe(true)
      expect(sdJwtToJsonSerialization(compact, 'flattened')).toEqual(json)
      // The same from the JSON text.
      expect(sdJwtFromJsonSerialization(JSON.stringify(json))).toBe(compact)
    }
  })

  it('the presentation verifies from its JSON form (sd_hash over the rebuilt compact form, §8.1)', async () => {
    const keys = vectorKeys()
    const r = await verifySdJwt(sdJwtFromJsonSerialization(v.presentation), { provider, issuerKeys: [keys.issuer_public_jwk], typ: 'example+sd-jwt', aud: 'https://verifier.example.org', nonce: '1234567890', now: 1748537300 })
    expect(r.claims).toEqual(v.expected_presentation_processed_payload)
  })

  it('@sd-jwt/core reads and writes the same serializations', () => {
    for (const json of [v.issuance, v.presentation]) {
      const compact = sdJwtFromJsonSerialization(json)
      expect(plain(FlattenJSON.fromEncode(compact).toJson())).toEqual(json)
      expect(FlattenJSON.fromSerialized(json).toEncoded()).toBe(compact)
      const general = sdJwtToJsonSerialization(compact, 'general')
      expect(plain(GeneralJSON.fromEncode(compact).toJson())).toEqual(general)
      expect(GeneralJSON.fromSerialized(general as never).toEncoded(0)).toBe(compact)
      expect(sdJwtFromJsonSerialization(general)).toBe(compact)
    }
  })
})

describe('SD-JWT JSON Serialization (§8.1 rules)', () => {
  const make = async () => {
    const issuer = await provider.generateKeyPair('ES256')
    const holder = await provider.generateKeyPair('ES256')
    const vc = await issueSdJwtVc({ provider, claims: { sub: 'alice', email: 'a@example.com', org: 'example.com' }, disclosable: ['email', 'org'], issuerKey: issuer.privateJwk, iss: 'https://issuer.example', vct: 'https://issuer.example/vct', holderKey: holder.publicJwk, iat: 1000, exp: 9000 })
    const vp = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['org'], holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'n', iat: 1100 })
    return { issuer, vc, vp }
  }

  it('General with several signatures: the first carries the disclosures and the KB-JWT, and is the one used', async () => {
    const { issuer, vp } = await make()
    const general = sdJwtToJsonSerialization(vp, 'general')
    const second = { header: { kid: 'other' }, protected: base64urlEncode(new TextEncoder().encode('{"alg":"ES256"}')), signature: 'c2ln' }
    const both = { ...general, signatures: [...general.signatures, second] }
    expect(sdJwtFromJsonSerialization(both)).toBe(vp)
    const r = await verifySdJwt(sdJwtFromJsonSerialization(both), { provider, issuerKeys: [issuer.publicJwk], typ: 'dc+sd-jwt', aud: 'https://v.example', nonce: 'n', now: 1200 })
    expect(r.claims.org).toBe('example.com')
    expect(r.claims.email).toBeUndefined()
    // Disclosures or a KB-JWT in a later signature's header: refused (§8.1 MUST NOT).
    const smuggled = { ...general, signatures: [...general.signatures, { ...second, header: { disclosures: [] } }] }
    expect(code(() => sdJwtFromJsonSerialization(smuggled))).toBe('ERR_SDJWT_MALFORMED')
  })

  it('an SD-JWT without disclosures or key binding round-trips (`<JWT>~`)', async () => {
    const { vc } = await make()
    const jwtOnly = `${vc.split('~')[0]!}~`
    const json = sdJwtToJsonSerialization(jwtOnly, 'flattened')
    expect(json.header).toEqual({ disclosures: [] })
    expect(sdJwtFromJsonSerialization(json)).toBe(jwtOnly)
    expect(isSdJwtJsonSerialization(JSON.stringify(json))).toBe(true)
    expect(isSdJwtJsonSerialization(jwtOnly)).toBe(false)
  })

  it('malformed, smuggling and oversized input: ERR_SDJWT_MALFORMED / ERR_SDJWT_TOO_LARGE, never anything else', async () => {
    const { vp } = await make()
    const good = sdJwtToJsonSerialization(vp, 'flattened')
    const cases: unknown[] = [
      'not json',
      '[]',
      null,
      {},
      { ...good, header: undefined },
      { ...good, header: { kb_jwt: good.header.kb_jwt } },
      { ...good, header: { disclosures: 'x' } },
      { ...good, header: { disclosures: [''] } },
      { ...good, header: { disclosures: ['a~b'] } },
      { ...good, header: { disclosures: [...good.header.disclosures], kb_jwt: 'x~y' } },
      { ...good, payload: 'a.b' },
      { ...good, signature: 7 },
      { ...good, signatures: [] },
      { payload: good.payload, signatures: [{ protected: good.protected, signature: good.signature }] },
      { payload: good.payload, signatures: [{ protected: good.protected, signature: good.signature, header: { disclosures: [] } }], protected: good.protected },
    ]
    for (const c of cases) expect(code(() => sdJwtFromJsonSerialization(c)), JSON.stringify(c)?.slice(0, 80)).toBe('ERR_SDJWT_MALFORMED')
    expect(code(() => sdJwtFromJsonSerialization(JSON.stringify(good), 100))).toBe('ERR_SDJWT_TOO_LARGE')
    expect(code(() => sdJwtFromJsonSerialization(good, 100))).toBe('ERR_SDJWT_TOO_LARGE')
    expect(code(() => sdJwtToJsonSerialization('a.b.c~d e~', 'flattened'))).toBe('ERR_SDJWT_MALFORMED')
  })

  it('fuzz: any JSON value only ever gives a compact string or an SD-JWT error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('payload', 'protected', 'signature', 'header', 'signatures'), (value, key) => {
        for (const input of [value, { payload: 'eyJ9', protected: 'eyJ9', signature: 'c2ln', header: { disclosures: [] }, [key]: value }]) {
          try {
            expect(typeof sdJwtFromJsonSerialization(input)).toBe('string')
          } catch (e) {
            expect(isE2eidError(e) && e.code.startsWith('ERR_SDJWT_'), String(e)).toBe(true)
          }
        }
      }),
      { numRuns: Number(process.env.E2EID_FUZZ_RUNS ?? 500) },
    )
  })
})
