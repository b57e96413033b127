import { Decoder, Encoder } from 'cbor-x'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { E2eidError } from '../errors.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { decodeCbor } from './decode.js'
import { toDiagnostic } from './diagnostic.js'
import { encodeBstrHeader, encodeCbor, sortMapKeys, wrapBstr } from './encode.js'
import { CborSimple, CborTag } from './types.js'

const FUZZ_RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const cborxOptions = { useRecords: false, mapsAsObjects: false, useTag259ForMaps: false, tagUint8Array: false, variableMapSize: true }

const h = (s: string) => hexDecode(s.replace(/\s+/g, ''))
const enc = (v: unknown) => hexEncode(encodeCbor(v))
function code(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof E2eidError) return e.code
    throw e
  }
  return 'no error'
}

describe('RFC 8949 Appendix A examples (preferred serialization)', () => {
  const cases: [unknown, string][] = [
    [0, '00'], [1, '01'], [10, '0a'], [23, '17'], [24, '1818'], [25, '1819'], [100, '1864'], [1000, '1903e8'],
    [1000000, '1a000f4240'], [1000000000000, '1b000000e8d4a51000'], [18446744073709551615n, '1bffffffffffffffff'],
    [-18446744073709551616n, '3bffffffffffffffff'], [-1, '20'], [-10, '29'], [-100, '3863'], [-1000, '3903e7'],
    [0.0, '00'], [-0.0, 'f98000'], [1.0, '01'], [1.1, 'fb3ff199999999999a'], [1.5, 'f93e00'], [65504.0, '19ffe0'], [65503.5, 'fa477fdf80'], [0.5, 'f93800'],
    [100000.0, '1a000186a0'], [3.4028234663852886e38, 'fa7f7fffff'], [1.0e300, 'fb7e37e43c8800759c'],
    [5.960464477539063e-8, 'f90001'], [0.00006103515625, 'f90400'], [-4.0, '23'], [-4.1, 'fbc010666666666666'],
    [Infinity, 'f97c00'], [NaN, 'f97e00'], [-Infinity, 'f9fc00'], [false, 'f4'], [true, 'f5'], [null, 'f6'],
    [undefined, 'f7'], [new CborSimple(16), 'f0'], [new CborSimple(255), 'f8ff'],
    [new CborTag(1, 1363896240), 'c11a514b67b0'], [new Uint8Array(0), '40'], [h('01020304'), '4401020304'],
    ['', '60'], ['a', '6161'], ['IETF', '6449455446'], ['"\\', '62225c'], ['\u00fc', '62c3bc'], ['\u6c34', '63e6b0b4'],
    ['\ud800\udd51', '64f0908591'], [[], '80'], [[1, 2, 3], '83010203'], [[1, [2, 3], [4, 5]], '8301820203820405'],
    [Array.from({ length: 25 }, (_, i) => i + 1), '98190102030405060708090a0b0c0d0e0f101112131415161718181819'],
    [new Map(), 'a0'], [new Map([[1, 2], [3, 4]]), 'a201020304'],
    [new Map<unknown, unknown>([['a', 1], ['b', [2, 3]]]), 'a26161016162820203'],
  ]
  for (const [value, hex] of cases) {
    it(`${toDiagnostic(value)} encodes as ${hex} and decodes back`, () => {
      expect(enc(value)).toBe(hex)
      const back = decodeCbor(h(hex))
      if (typeof value === 'number' && Number.isNaN(value)) expect(back).toBeNaN()
      else if (Object.is(value, -0)) expect(Object.is(back, -0)).toBe(true)
      else expect(back).toEqual(value)
    })
  }

  it('2- and 4-byte arguments with the high bit set (read byte by byte) decode to the right values', () => {
    const cases: [string, unknown][] = [
      ['19ffff', 0xffff], ['198000', 0x8000], ['1affffffff', 0xffffffff], ['1a80000000', 0x80000000], ['1a7fffffff', 0x7fffffff],
      ['39ffff', -0x10000], ['3affffffff', -0x100000000], ['3a80000000', -0x80000001], ['c1 1a 80000000', new CborTag(1, 0x80000000)],
    ]
    for (const [hex, value] of cases) expect(decodeCbor(h(hex))).toEqual(value)
    const long = new Uint8Array(0x10000).fill(7)
    const two = decodeCbor(h('59 ffff' + hexEncode(long.subarray(0, 0xffff)))) as Uint8Array
    expect(two.length).toBe(0xffff)
    const four = decodeCbor(h('5a 00010000' + hexEncode(long))) as Uint8Array
    expect(four.length).toBe(0x10000)
    expect(code(() => decodeCbor(h('1900ff')))).toBe('ERR_CBOR_NOT_PREFERRED')
    expect(code(() => decodeCbor(h('1a0000ffff')))).toBe('ERR_CBOR_NOT_PREFERRED')
  })

  it('simple(59) is one interned value usable as a Map key (SD-CWT redacted_claim_keys)', () => {
    expect(new CborSimple(59)).toBe(new CborSimple(59))
    const m = decodeCbor(h('a2f83b8101f7f6')) as Map<unknown, unknown>
    expect(m.get(new CborSimple(59))).toEqual([1])
    expect(m.get(undefined)).toBe(null)
    expect(enc(m)).toBe('a2f83b8101f7f6')
  })

  it('never emits tag 259 for maps or tag 64 for byte strings (reference pitfall 2)', () => {
    const bytes = encodeCbor(new Map<number, unknown>([[1, -7], [4, h("01")]]))
    expect(hexEncode(bytes)).toBe('a20126044101')
  })

  it('refuses maps whose distinct JS keys encode alike (ERR_CBOR_DUPLICATE_KEY)', () => {
    expect(code(() => encodeCbor(new Map<unknown, unknown>([[1, 'a'], [1n, 'b']])))).toBe('ERR_CBOR_DUPLICATE_KEY')
    expect(code(() => encodeCbor(new Map<unknown, unknown>([[h('01'), 'a'], [h('01'), 'b']])))).toBe('ERR_CBOR_DUPLICATE_KEY')
    expect(code(() => encodeCbor(new Map<unknown, unknown>([[new CborTag(58, 'k'), 1], [new CborTag(58, 'k'), 2]])))).toBe('ERR_CBOR_DUPLICATE_KEY')
    expect(enc(new Map<unknown, unknown>([[h('01'), 'a'], [h('02'), 'b']]))).toBe('a2410161614102616' + '2')
  })

  it('refuses plain objects, functions and symbols with ERR_CBOR_UNSUPPORTED', () => {
    expect(code(() => encodeCbor({ 2: 'x' }))).toBe('ERR_CBOR_UNSUPPORTED')
    expect(code(() => encodeCbor(() => 1))).toBe('ERR_CBOR_UNSUPPORTED')
    expect(code(() => encodeCbor(Symbol('x')))).toBe('ERR_CBOR_UNSUPPORTED')
    expect(code(() => encodeCbor(2n ** 64n))).toBe('ERR_CBOR_UNSUPPORTED')
  })

  it('bstr header: 33 bytes → 58 21 (the SD-CWT disclosure wrapping)', () => {
    expect(hexEncode(encodeBstrHeader(33))).toBe('5821')
    expect(hexEncode(encodeBstrHeader(23))).toBe('57')
    expect(hexEncode(encodeBstrHeader(300))).toBe('59012c')
    expect(hexEncode(wrapBstr(h('0102')))).toBe('420102')
  })

  it('canonical option and sortMapKeys give RFC 8949 §4.2.1 bytewise key order', () => {
    const m = new Map<unknown, unknown>([[new CborSimple(59), 1], ['country', 2], [503, new Map([[-1, 1], [1, 2]])], [1, 3]])
    expect(enc(sortMapKeys(m))).toBe(hexEncode(encodeCbor(m, { canonical: true })))
    expect(toDiagnostic(sortMapKeys(m))).toBe('{1: 3, 503: {1: 2, -1: 1}, "country": 2, simple(59): 1}')
  })
})

describe('strict decoder: every rejection has its own code', () => {
  const bad: [string, string, string][] = [
    ['indefinite-length array', '9f0102ff', 'ERR_CBOR_INDEFINITE_LENGTH'],
    ['indefinite-length map', 'bf0102ff', 'ERR_CBOR_INDEFINITE_LENGTH'],
    ['indefinite-length byte string', '5f4101ff', 'ERR_CBOR_INDEFINITE_LENGTH'],
    ['indefinite-length text string', '7f6161ff', 'ERR_CBOR_INDEFINITE_LENGTH'],
    ['duplicate int key', 'a201020103', 'ERR_CBOR_DUPLICATE_KEY'],
    ['duplicate text key', 'a2616101616102', 'ERR_CBOR_DUPLICATE_KEY'],
    ['duplicate simple(59) key', 'a2f83b80f83b80', 'ERR_CBOR_DUPLICATE_KEY'],
    ['duplicate key in a nested map', '81a201020103', 'ERR_CBOR_DUPLICATE_KEY'],
    ['trailing byte', '0100', 'ERR_CBOR_TRAILING_BYTES'],
    ['truncated uint16', '1901', 'ERR_CBOR_TRUNCATED'],
    ['byte string longer than input', '5a ffffffff 00', 'ERR_CBOR_TRUNCATED'],
    ['array count larger than input', '9bffffffffffffffff', 'ERR_CBOR_TRUNCATED'],
    ['map count larger than input', 'a3 0102', 'ERR_CBOR_TRUNCATED'],
    ['empty input', '', 'ERR_CBOR_EMPTY'],
    ['non-preferred uint8 (1800)', '1800', 'ERR_CBOR_NOT_PREFERRED'],
    ['non-preferred uint16 (190017)', '190017', 'ERR_CBOR_NOT_PREFERRED'],
    ['non-preferred uint32', '1a000000ff', 'ERR_CBOR_NOT_PREFERRED'],
    ['non-preferred uint64', '1b00000000ffffffff', 'ERR_CBOR_NOT_PREFERRED'],
    ['non-preferred bstr length', '580141', 'ERR_CBOR_NOT_PREFERRED'],
    ['non-preferred tag number', 'd81201', 'ERR_CBOR_NOT_PREFERRED'],
    ['invalid UTF-8', '62c328', 'ERR_CBOR_INVALID_UTF8'],
    ['lone surrogate in UTF-8', '63eda080', 'ERR_CBOR_INVALID_UTF8'],
    ['reserved additional information 28', '1c', 'ERR_CBOR_MALFORMED'],
    ['stray break', 'ff', 'ERR_CBOR_MALFORMED'],
    ['simple value 24 in two-byte form', 'f818', 'ERR_CBOR_MALFORMED'],
    ['tag number beyond 2^53', 'dbffffffffffffffff00', 'ERR_CBOR_UNSUPPORTED'],
    ['float map key (1.0 would collide with the int key 1)', 'a201f5f93c00f4', 'ERR_CBOR_UNSUPPORTED'],
  ]
  for (const [what, hex, c] of bad) {
    it(`${what} (${hex}) → ${c}`, () => {
      expect(code(() => decodeCbor(h(hex)))).toBe(c)
    })
  }

  it('nesting past maxDepth → ERR_CBOR_TOO_DEEP (a tag counts as one level)', () => {
    const deep = h('81'.repeat(40) + '00')
    expect(code(() => decodeCbor(deep))).toBe('ERR_CBOR_TOO_DEEP')
    expect(code(() => decodeCbor(h('81'.repeat(5) + '00'), { maxDepth: 5 }))).toBe('no error')
    expect(code(() => decodeCbor(h('81'.repeat(6) + '00'), { maxDepth: 5 }))).toBe('ERR_CBOR_TOO_DEEP')
    expect(code(() => decodeCbor(h('c1'.repeat(6) + '00'), { maxDepth: 5 }))).toBe('ERR_CBOR_TOO_DEEP')
  })

  it('input past maxBytes → ERR_CBOR_TOO_LARGE', () => {
    expect(code(() => decodeCbor(new Uint8Array(11).fill(0x4a).fill(0, 1), { maxBytes: 10 }))).toBe('ERR_CBOR_TOO_LARGE')
  })

  it('byte strings are views of the exact received bytes, never copies or Buffers', () => {
    const input = h('8242010258')
    const buf = Buffer.from('8243010203f6', 'hex')
    const v = decodeCbor(buf) as [Uint8Array, null]
    expect(Object.getPrototypeOf(v[0])).toBe(Uint8Array.prototype)
    expect(v[0].buffer).toBe(buf.buffer)
    expect(code(() => decodeCbor(input))).toBe('ERR_CBOR_TRUNCATED')
  })
})

const leaf = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }).filter((b) => b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)),
  fc.double().filter((d) => !Number.isInteger(d) || Object.is(d, -0) || Math.abs(d) > 2 ** 64),
  fc.string(),
  fc.uint8Array({ maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(new CborSimple(59)),
)
const keyArb = fc.oneof(fc.integer({ min: -70000, max: 70000 }), fc.string({ maxLength: 8 }), fc.constant(new CborSimple(59)))
const valueArb = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('map'), tie('tag')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  map: fc.uniqueArray(fc.tuple(keyArb, tie('value')), { maxLength: 5, selector: (e) => hexEncode(encodeCbor(e[0])) }).map((e) => new Map(e)),
  tag: fc.tuple(fc.integer({ min: 0, max: 100000 }), tie('value')).map(([t, v]) => new CborTag(t, v)),
})).value

describe('round trips and fuzz', () => {
  it(`fuzz: decode(encode(v)) equals v and re-encodes to the same bytes (${FUZZ_RUNS} runs)`, () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const bytes = encodeCbor(v)
        const back = decodeCbor(bytes, { maxDepth: 100 })
        expect(hexEncode(encodeCbor(back))).toBe(hexEncode(bytes))
        expect(toDiagnostic(back)).toBe(toDiagnostic(v))
      }),
      { numRuns: FUZZ_RUNS },
    )
  })

  it(`fuzz: cbor-x (independent library) decodes our encoding of int-keyed maps, bytes and strings to the same value (${FUZZ_RUNS} runs)`, () => {
    const cborx = new Decoder(cborxOptions)
    const simple = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), fc.uint8Array({ maxLength: 40 }), fc.boolean(), tie('a'), tie('m')),
      a: fc.array(tie('v'), { maxLength: 4 }),
      m: fc.uniqueArray(fc.tuple(fc.integer({ min: -1000, max: 1000 }), tie('v')), { maxLength: 4, selector: (e) => e[0] }).map((e) => new Map(e)),
    })).v
    fc.assert(
      fc.property(simple, (v) => {
        const ours = encodeCbor(v)
        const theirs = cborx.decode(ours) as unknown
        expect(toDiagnostic(normalize(theirs))).toBe(toDiagnostic(v))
      }),
      { numRuns: FUZZ_RUNS },
    )
    // And cbor-x's encoding of an int-keyed map (with the working options) is accepted and equal.
    const m = new Map<unknown, unknown>([[1, -7], [4, h('0102')], [-2, 'x']])
    expect(hexEncode(new Encoder(cborxOptions).encode(m))).toBe(hexEncode(encodeCbor(m)))
  })

  it(`fuzz: random and mutated bytes only ever give E2eidError (${FUZZ_RUNS} runs)`, () => {
    fc.assert(
      fc.property(valueArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.uint8Array({ maxLength: 64 }), (v, muts, junk) => {
        const bytes = encodeCbor(v)
        for (const [pos, b] of muts) if (bytes.length > 0) bytes[pos % bytes.length] = b
        for (const input of [bytes, junk, bytes.subarray(0, bytes.length >> 1)]) {
          try {
            decodeCbor(input)
          } catch (e) {
            expect(e).toBeInstanceOf(E2eidError)
          }
        }
      }),
      { numRuns: FUZZ_RUNS },
    )
  })
})

function normalize(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v)
  if (Array.isArray(v)) return v.map(normalize)
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [normalize(k), normalize(x)]))
  return v
}

describe('JSON view (the CLI output contract of issue 2 §3)', () => {
  it('int labels in decimal, bytes as unpadded base64url, numbers, other tags as {tag, value}', async () => {
    const { cborToJson } = await import('./json.js')
    const v = new Map<unknown, unknown>([
      [1, 'https://issuer.example'],
      [-2, h('8554eb')],
      ['n', 1.5],
      ['t', new CborTag(1, 1363896240)],
      ['big', 2n ** 64n - 1n],
      [new CborSimple(59), [new Uint8Array([0xfb, 0xff])]],
      ['__proto__', 1],
    ])
    expect(JSON.stringify(cborToJson(v))).toBe('{"1":"https://issuer.example","-2":"hVTr","n":1.5,"t":{"tag":1,"value":1363896240},"big":"18446744073709551615","simple(59)":["-_8"],"__proto__":1}')
  })
})

describe('RFC 8949 §3.1 text strings: the ASCII fast paths give the same bytes and values as UTF-8', () => {
  const head = (n: number) => hexEncode(encodeCbor(n)).replace(/^../, (b) => (parseInt(b, 16) | 0x60).toString(16))
  const utf8Hex = (s: string) => hexEncode(new TextEncoder().encode(s))
  const lengths = [0, 1, 23, 24, 63, 64, 65, 255, 256, 1000, 65535, 65536]
  for (const n of lengths) {
    it(`length ${n}: ASCII, and non-ASCII at the start, middle and end`, () => {
      const ascii = 'a'.repeat(n)
      const variants = n === 0 ? [ascii] : [ascii, 'é' + ascii.slice(1), ascii.slice(0, n >> 1) + '€' + ascii.slice((n >> 1) + 1), ascii.slice(0, -1) + '𝄞']
      for (const s of variants) {
        const bytes = encodeCbor(s)
        const len = new TextEncoder().encode(s).length
        // Head in shortest form for the UTF-8 length (not the UTF-16 length), then the UTF-8 bytes.
        const expectedHead = len < 24 ? (0x60 | len).toString(16).padStart(2, '0') : head(len)
        expect(hexEncode(bytes)).toBe(expectedHead + utf8Hex(s))
        expect(decodeCbor(bytes, { maxBytes: 1 << 20 })).toBe(s)
        expect(new Decoder(cborxOptions).decode(bytes)).toBe(s)
      }
    })
  }

  it('a writer that grows mid-map keeps every string (many short keys past the first 256-byte buffer)', () => {
    const m = new Map<unknown, unknown>()
    for (let i = 0; i < 200; i++) m.set(`k${i}`, i % 3 === 0 ? `välue-${i}` : `value-${i}`)
    for (const canonical of [false, true]) {
      const bytes = encodeCbor(m, { canonical })
      const back = decodeCbor(bytes) as Map<unknown, unknown>
      expect(back.size).toBe(200)
      for (const [k, v] of m) expect(back.get(k)).toBe(v)
      expect(hexEncode(new Encoder(cborxOptions).encode(canonical ? sortMapKeys(m) : m))).toBe(hexEncode(bytes))
    }
  })

  it('invalid UTF-8 inside a short, mostly ASCII string is still ERR_CBOR_INVALID_UTF8', () => {
    expect(code(() => decodeCbor(h('63 61 62 ff')))).toBe('ERR_CBOR_INVALID_UTF8')
    expect(code(() => decodeCbor(h('62 61 c3')))).toBe('ERR_CBOR_INVALID_UTF8')
    expect(code(() => decodeCbor(h('63 ed a0 80')))).toBe('ERR_CBOR_INVALID_UTF8') // a UTF-16 surrogate
  })
})
