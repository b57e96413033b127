import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as mls from 'ts-mls'
import { E2eidError } from '../errors.js'
import { hexEncode } from '../encoding/hex.js'
import { utf8Encode } from '../encoding/bytes.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import {
  DEFAULT_MLS_CREDENTIAL_TYPES,
  parseMlsCredentialTypes,
  mlsCredentialKindOf,
} from './credential-types.js'
import {
  decodeMlsCredential,
  decodeMlsCredentialData,
  encodeMlsCredential,
  encodeMlsCredentialData,
  fromMlsCredentialCarrier,
  sdCwtMlsCredential,
  sdJwtMlsCredential,
  sdJwtPresentationOf,
  toMlsCredentialCarrier,
} from './credential.js'

const FUZZ_RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const hasSdCwt = vectorDir('sd-cwt/draft-08') !== undefined
const hasSdJwt = vectorDir('sd-jwt/rfc9901') !== undefined

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof E2eidError) return e.code
    throw e
  }
  throw new Error('expected an E2eidError')
}

// A syntactically valid SD-JWT+KB-JWT (signatures are not checked at this layer).
const J = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
const SAMPLE_SD_JWT = `${J}~WyJzYWx0IiwiYSIsMV0~WyJzYWx0MiIsImIiLDJd~${J}`

describe('draft-mahy-mls-sd-cwt-credential §6: credential type numbers', () => {
  it('defaults to the suggested 0x0005 / 0x0006 and accepts a private-use pair', () => {
    expect(DEFAULT_MLS_CREDENTIAL_TYPES).toEqual({ sdCwt: 5, sdJwt: 6 })
    const priv = parseMlsCredentialTypes({ sdCwt: 0xf0a1, sdJwt: 0xf0a2 })
    expect(mlsCredentialKindOf(0xf0a1, priv)).toBe('sd-cwt')
    expect(mlsCredentialKindOf(5, priv)).toBeUndefined()
  })
  it('refuses basic, x509, out-of-range and equal type numbers', () => {
    for (const bad of [{ sdCwt: 1 }, { sdJwt: 2 }, { sdCwt: 0x10000 }, { sdCwt: 0 }, { sdCwt: 7, sdJwt: 7 }, { sdCwt: 1.5 }]) {
      expect(code(() => parseMlsCredentialTypes(bad))).toBe('ERR_MLS_CREDENTIAL_TYPES_INVALID')
    }
  })
})

describe.skipIf(!hasSdCwt)('draft §2 sd_cwt: opaque sd_kbt<V> (draft-ietf-spice-sd-cwt-08 KBT vector)', () => {
  it('carries the KBT bytes unchanged: 0005 || varint(len) || kbt', () => {
    const kbt = readVectorBytes('sd-cwt/draft-08/kbt.cbor')
    expect(hexEncode(kbt)).toBe(readVectorText('sd-cwt/draft-08/kbt.hex').trim().toLowerCase())
    const wire = encodeMlsCredential(sdCwtMlsCredential(kbt))
    // independent framing: RFC 9420 §2.1.2 2-byte header 01xxxxxx for 64 ≤ len < 16384
    expect(kbt.length).toBeGreaterThanOrEqual(64)
    expect(kbt.length).toBeLessThan(16384)
    const header = `0005${(0x4000 | kbt.length).toString(16).padStart(4, '0')}`
    expect(hexEncode(wire)).toBe(header + hexEncode(kbt))
    const back = decodeMlsCredential(wire)
    expect(back).toEqual({ kind: 'sd-cwt', kbt })
  })

  it('is read back by ts-mls (independent TLS decoder) inside a KeyPackage', async () => {
    const kbt = readVectorBytes('sd-cwt/draft-08/kbt.cbor')
    const cred = sdCwtMlsCredential(kbt)
    const carrier = toMlsCredentialCarrier(cred)
    const cs = await mls.getCiphersuiteImpl('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519')
    const caps = mls.defaultCapabilities()
    caps.credentials.push(carrier.credentialType)
    const { publicPackage } = await mls.generateKeyPackage({ credential: carrier, capabilities: caps, cipherSuite: cs })
    const wire = mls.encode(mls.keyPackageEncoder, publicPackage)
    // our Credential encoding appears verbatim inside ts-mls's KeyPackage encoding
    expect(hexEncode(wire)).toContain(hexEncode(encodeMlsCredential(cred)))
    const decoded = mls.decode(mls.keyPackageDecoder, wire)
    if (decoded === undefined) throw new Error('ts-mls could not decode')
    const c = decoded.leafNode.credential as { credentialType: number; data: Uint8Array }
    expect(fromMlsCredentialCarrier(c)).toEqual(cred)
  })
})

describe('draft §2 sd_jwt: SdJwt struct', () => {
  it.skipIf(!hasSdJwt)('round-trips the RFC 9901 §5 presentation in both forms; the compacted form restores the exact text', () => {
    const example = JSON.parse(readVectorText('sd-jwt/rfc9901/sec5-main-example.json')) as { sd_jwt_presentation: string }
    const text = example.sd_jwt_presentation
    for (const compacted of [false, true]) {
      const cred = sdJwtMlsCredential(text, { compacted })
      const data = encodeMlsCredentialData(cred)
      expect(data[0]).toBe(compacted ? 1 : 0)
      const back = decodeMlsCredentialData('sd-jwt', data)
      expect(back).toEqual(cred)
      expect(sdJwtPresentationOf(back as never)).toBe(text)
    }
    // the compacted form is smaller (base64url overhead removed)
    expect(encodeMlsCredentialData(sdJwtMlsCredential(text, { compacted: true })).length).toBeLessThan(text.length)
  })

  it('lays the compacted form out field by field (Bool, 3 opaques, disclosure vector, KB-JWT)', () => {
    const cred = sdJwtMlsCredential(SAMPLE_SD_JWT, { compacted: true })
    const data = encodeMlsCredentialData(cred)
    const kb = utf8Encode(J)
    // hand-built expectation from the decoded parts of SAMPLE_SD_JWT
    const prot = utf8Encode('{"alg":"ES256"}')
    const payload = utf8Encode('{"sub":"x"}')
    const sig = utf8Encode('sig')
    const d1 = utf8Encode('["salt","a",1]')
    const d2 = utf8Encode('["salt2","b",2]')
    const h = (b: Uint8Array) => b.length.toString(16).padStart(2, '0') + hexEncode(b)
    const dvec = h(d1) + h(d2)
    const expected = '01' + h(prot) + h(payload) + h(sig) + (dvec.length / 2).toString(16).padStart(2, '0') + dvec + h(kb)
    expect(hexEncode(data)).toBe(expected)
  })

  it('key binding is REQUIRED: a presentation ending in ~ is refused', () => {
    expect(code(() => sdJwtMlsCredential(`${J}~WyJzYWx0IiwiYSIsMV0~`))).toBe('ERR_MLS_SD_JWT_KB_MISSING')
    const w = new Uint8Array([0, ...[`${J}~`.length], ...utf8Encode(`${J}~`)])
    expect(code(() => decodeMlsCredentialData('sd-jwt', w))).toBe('ERR_MLS_SD_JWT_KB_MISSING')
  })
})

describe('decoders refuse malformed input with their own codes', () => {
  const kbt = Uint8Array.of(0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40)
  const cases: [string, () => unknown, string][] = [
    ['unknown credential type', () => decodeMlsCredential(Uint8Array.of(0x00, 0x01, 0x01, 0x61)), 'ERR_MLS_CREDENTIAL_TYPE_UNKNOWN'],
    ['truncated type', () => decodeMlsCredential(Uint8Array.of(0x00)), 'ERR_MLS_CREDENTIAL_TRUNCATED'],
    ['truncated body', () => decodeMlsCredential(Uint8Array.of(0x00, 0x05, 0x10, 0xd2)), 'ERR_MLS_CREDENTIAL_TRUNCATED'],
    ['trailing bytes', () => decodeMlsCredential(Uint8Array.of(0x00, 0x05, 0x06, ...kbt, 0x00)), 'ERR_MLS_CREDENTIAL_TRAILING_BYTES'],
    ['varint prefix 11', () => decodeMlsCredential(Uint8Array.of(0x00, 0x05, 0xc0, 0, 0, 0, 0, 0, 0, 0)), 'ERR_MLS_VARINT_INVALID'],
    ['non-minimal varint', () => decodeMlsCredential(Uint8Array.of(0x00, 0x05, 0x40, 0x06, ...kbt)), 'ERR_MLS_VARINT_INVALID'],
    ['empty KBT', () => decodeMlsCredential(Uint8Array.of(0x00, 0x05, 0x00)), 'ERR_MLS_CREDENTIAL_EMPTY'],
    ['KBT not COSE_Sign1', () => decodeMlsCredentialData('sd-cwt', Uint8Array.of(0xa0)), 'ERR_MLS_SD_CWT_NOT_COSE_SIGN1'],
    ['oversized body', () => decodeMlsCredentialData('sd-cwt', kbt, { maxBytes: 4 }), 'ERR_MLS_CREDENTIAL_TOO_LARGE'],
    ['Bool not 0/1', () => decodeMlsCredentialData('sd-jwt', Uint8Array.of(2, 0)), 'ERR_MLS_BOOL_INVALID'],
    ['empty sd_jwt', () => decodeMlsCredentialData('sd-jwt', new Uint8Array()), 'ERR_MLS_CREDENTIAL_EMPTY'],
    ['not UTF-8', () => decodeMlsCredentialData('sd-jwt', Uint8Array.of(0, 2, 0xff, 0xfe)), 'ERR_MLS_SD_JWT_MALFORMED'],
    ['no tilde', () => sdJwtMlsCredential(J), 'ERR_MLS_SD_JWT_MALFORMED'],
    ['bad base64url disclosure', () => sdJwtMlsCredential(`${J}~a+b~${J}`), 'ERR_MLS_SD_JWT_MALFORMED'],
    ['KB-JWT not a JWS', () => sdJwtMlsCredential(`${J}~abc`), 'ERR_MLS_SD_JWT_MALFORMED'],
    ['too many disclosures', () => sdJwtMlsCredential(SAMPLE_SD_JWT, { maxDisclosures: 1 }), 'ERR_MLS_TOO_MANY_DISCLOSURES'],
  ]
  for (const [name, fn, expected] of cases) it(`${name} → ${expected}`, () => expect(code(fn)).toBe(expected))

  it('a private-use deployment does not accept the default numbers', () => {
    const priv = parseMlsCredentialTypes({ sdCwt: 0xf0a1, sdJwt: 0xf0a2 })
    const wire = encodeMlsCredential(sdCwtMlsCredential(kbt))
    expect(code(() => decodeMlsCredential(wire, priv))).toBe('ERR_MLS_CREDENTIAL_TYPE_UNKNOWN')
    expect(decodeMlsCredential(encodeMlsCredential(sdCwtMlsCredential(kbt), priv), priv).kind).toBe('sd-cwt')
  })
})

describe('fuzz: MLS credential decoders throw only E2eidError', () => {
  const only = (fn: () => unknown) => {
    try {
      fn()
    } catch (e) {
      if (!(e instanceof E2eidError)) throw e
    }
  }
  const seed = encodeMlsCredential(sdJwtMlsCredential(SAMPLE_SD_JWT, { compacted: true }))
  it('fuzz decodeMlsCredential on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        only(() => decodeMlsCredential(b))
        only(() => decodeMlsCredentialData('sd-jwt', b))
        only(() => decodeMlsCredentialData('sd-cwt', b))
      }),
      { numRuns: FUZZ_RUNS },
    )
  }, Math.max(30_000, FUZZ_RUNS * 3))
  it('fuzz decodeMlsCredential on mutations of a valid credential', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(seed.length), (muts, cut) => {
        const b = seed.slice(0, Math.max(cut, 1))
        for (const [i, v] of muts) if (i < b.length) b[i] = v
        const timed = () => {
          const t0 = performance.now()
          only(() => decodeMlsCredential(b, { sdCwt: 5, sdJwt: 0x0006 }))
          return performance.now() - t0
        }
        // under 100 ms per input (timed again once, so a GC pause is not blamed on the input)
        if (timed() >= 100) expect(timed()).toBeLessThan(100)
      }),
      { numRuns: FUZZ_RUNS },
    )
  }, Math.max(30_000, FUZZ_RUNS * 3))
})
