import { deflateRawSync, deflateSync, gzipSync, inflateSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { createWebCompression } from './compression.js'
import type { StatusListCompression } from './compression.js'
import { decodeStatusListJson, decompressStatusList, encodeStatusListJson } from './encode.js'
import { StatusList } from './list.js'
import type { StatusListBits } from './list.js'
import { createNodeCompression } from './node-compression.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const have = vectorDir('status-list') !== undefined
const vec = <T>(name: string): T => JSON.parse(readVectorText(`status-list/${name}`)) as T
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const codecs: StatusListCompression[] = [createNodeCompression(), createWebCompression()]

interface EncodingExample { name: string; bits: StatusListBits; num_entries: number; statuses: number[]; uncompressed_hex: string; lst: string }
interface AppendixC { bits: StatusListBits; num_entries: number; uncompressed_length_bytes: number; uncompressed_sha256_hex: string; statuses_set: [number, number][]; expected_lst_base64url: string }
interface Acceptance { cases: { list: string; variant: string; bits: StatusListBits; lst: string; expected: string; expected_uncompressed_sha256_hex?: string }[] }

describe.runIf(have)('draft-20 §4.1-4.2 encoding examples (encoding-examples.json)', () => {
  for (const c of codecs) {
    it(`${c.name}: each lst decodes to the listed bytes and statuses; re-encoding round-trips`, async () => {
      for (const ex of vec<{ examples: EncodingExample[] }>('encoding-examples.json').examples) {
        const list = await decodeStatusListJson({ bits: ex.bits, lst: ex.lst }, { compression: c })
        expect(hexEncode(list.bytes)).toBe(ex.uncompressed_hex)
        expect(ex.statuses.map((_, i) => list.get(i))).toEqual(ex.statuses)
        const fresh = StatusList.create(ex.num_entries, ex.bits)
        ex.statuses.forEach((v, i) => fresh.set(i, v))
        const json = await encodeStatusListJson(fresh, { compression: c })
        expect(json.bits).toBe(ex.bits)
        // compare decompressed, never compressed, bytes
        expect(hexEncode((await decodeStatusListJson(json, { compression: c })).bytes)).toBe(ex.uncompressed_hex)
      }
    })
  }
})

describe.runIf(have)('draft-20 Appendix C test vectors (2^20 entries, 1/2/4/8 bits)', () => {
  for (const bits of [1, 2, 4, 8] as const) {
    for (const c of codecs) {
      it(`${bits}-bit, ${c.name}: lst decodes to the published SHA-256 and statuses; our encoding decodes to the same`, async () => {
        const v = vec<AppendixC>(`test-vector-${bits}bit.json`)
        const list = await decodeStatusListJson({ bits: v.bits, lst: v.expected_lst_base64url }, { compression: c })
        expect(list.bytes.length).toBe(v.uncompressed_length_bytes)
        expect(list.size).toBe(v.num_entries)
        expect(sha256(list.bytes)).toBe(v.uncompressed_sha256_hex)
        const expected = new Map(v.statuses_set.map(([i, s]) => [i, s]))
        let nonZero = 0
        for (let i = 0; i < list.size; i++) {
          const s = list.get(i)
          if (s !== 0) nonZero++
          if (s !== (expected.get(i) ?? 0)) throw new Error(`index ${i}: ${s}`)
        }
        expect(nonZero).toBe([...expected.values()].filter((s) => s !== 0).length)
        const mine = StatusList.create(v.num_entries, bits)
        for (const [i, s] of v.statuses_set) mine.set(i, s)
        const json = await encodeStatusListJson(mine, { compression: c })
        expect(sha256((await decodeStatusListJson(json, { compression: c })).bytes)).toBe(v.uncompressed_sha256_hex)
      })
    }
  }
})

describe.runIf(have)('draft-20 §8.3 step 5: decoder acceptance (decoder-acceptance.json)', () => {
  for (const c of codecs) {
    it(`${c.name}: accepts zlib at every level, rejects raw DEFLATE and GZIP, rejects padded base64`, async () => {
      for (const k of vec<Acceptance>('decoder-acceptance.json').cases) {
        const p = decodeStatusListJson({ bits: k.bits, lst: k.lst }, { compression: c })
        if (k.expected === 'accept') {
          expect(sha256((await p).bytes), k.variant).toBe(k.expected_uncompressed_sha256_hex)
        } else if (k.lst.endsWith('=')) {
          // our choice for the implementation-defined case: producers MUST NOT pad, so we reject
          await expect(p, k.variant).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' })
        } else {
          await expect(p, k.variant).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_COMPRESSION_INVALID' })
        }
      }
    })
  }
})

describe('decompression limits and malformed input', () => {
  const bomb = new Uint8Array(deflateSync(new Uint8Array(256 * 1024 * 1024), { level: 9 })) // 256 MiB of zeros, ~250 KB
  for (const c of codecs) {
    it(`${c.name}: a zlib bomb is ERR_STATUS_LIST_TOO_LARGE, quickly and with bounded memory`, async () => {
      const before = process.memoryUsage().rss
      const t = performance.now()
      await expect(decompressStatusList(bomb, 1, { compression: c, maxDecompressedBytes: 1 << 20 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TOO_LARGE' })
      expect(performance.now() - t).toBeLessThan(2000)
      expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024)
    })
    it(`${c.name}: the cap is exact (cap = size accepted, size - 1 refused)`, async () => {
      const z = new Uint8Array(deflateSync(new Uint8Array(1000)))
      await expect(decompressStatusList(z, 1, { compression: c, maxDecompressedBytes: 1000 })).resolves.toBeInstanceOf(StatusList)
      await expect(decompressStatusList(z, 1, { compression: c, maxDecompressedBytes: 999 })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TOO_LARGE' })
    })
    it(`${c.name}: truncated input is ERR_STATUS_LIST_TRUNCATED`, async () => {
      const z = new Uint8Array(deflateSync(new Uint8Array([0xb9, 0xa3, 1, 2, 3, 4, 5, 6, 7])))
      for (const cut of [1, 3, z.length - 4, z.length - 1]) {
        await expect(decompressStatusList(z.subarray(0, cut), 1, { compression: c }), `cut ${cut}`).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TRUNCATED' })
      }
      await expect(decompressStatusList(new Uint8Array(0), 1, { compression: c })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_TRUNCATED' })
    })
    it(`${c.name}: raw DEFLATE, GZIP, a preset dictionary and a corrupt body are ERR_STATUS_LIST_COMPRESSION_INVALID`, async () => {
      const data = new Uint8Array([1, 2, 3])
      const bad = [
        new Uint8Array(deflateRawSync(data)),
        new Uint8Array(gzipSync(data)),
        hexDecode('78bb'), // FDICT set (0x78bb % 31 == 0)
        hexDecode('789cffffffffffff0102'),
      ]
      for (const b of bad) {
        await expect(decompressStatusList(b, 1, { compression: c }), hexEncode(b)).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_COMPRESSION_INVALID' })
      }
    })
  }
  it('node: data after the end of the zlib stream is ERR_STATUS_LIST_COMPRESSION_INVALID', async () => {
    const z = new Uint8Array([...deflateSync(new Uint8Array([1])), 0])
    await expect(decompressStatusList(z, 1, { compression: codecs[0]! })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_COMPRESSION_INVALID' })
  })
  it('JSON StatusList shape errors are ERR_STATUS_LIST_INVALID / ERR_STATUS_LIST_BITS_INVALID', async () => {
    for (const v of [null, [], { bits: 1 }, { bits: 1, lst: 5 }, { bits: 1, lst: 'a*' }, { bits: 1, lst: 'eNrbuRgAAhcBXQ', aggregation_uri: 1 }]) {
      await expect(decodeStatusListJson(v)).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' })
    }
    await expect(decodeStatusListJson({ bits: 3, lst: 'eNrbuRgAAhcBXQ' })).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_BITS_INVALID' })
  })
})

describe('fuzz: encode → decode round trip for every bit width, across backends', () => {
  for (const bits of [1, 2, 4, 8] as const) {
    it(`fuzz ${bits}-bit round trip (node encodes, web decodes and back)`, async () => {
      const [nodeC, webC] = codecs as [StatusListCompression, StatusListCompression]
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 512 }), fc.boolean(), async (bytes, nodeFirst) => {
          const list = new StatusList(bytes.slice(), bits)
          const [enc, dec] = nodeFirst ? [nodeC, webC] : [webC, nodeC]
          const json = await encodeStatusListJson(list, { compression: enc })
          expect(base64urlDecode(json.lst)[0]).toBe(0x78)
          const back = await decodeStatusListJson(json, { compression: dec })
          expect(back.bits).toBe(bits)
          expect(base64urlEncode(back.bytes)).toBe(base64urlEncode(bytes))
        }),
        { numRuns: RUNS },
      )
    })
  }
})

describe('10M-entry list (sizes of reference/cbor-and-crypto.md §7.3; speed is measured by `npm run bench`, not here)', () => {
  it('node: a 10,000,000-entry list with 1% revoked compresses to a few hundred KB and decodes to the same bytes and statuses', async () => {
    const n = 10_000_000
    const list = StatusList.create(n, 1)
    let x = 12345
    for (let k = 0; k < n / 100; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0 // deterministic 1% "revocations"
      list.set(x % n, 1)
    }
    const c = createNodeCompression()
    const json = await encodeStatusListJson(list, { compression: c })
    expect(json.lst.length).toBeLessThan(260_000) // ~148 KB compressed → ~197 KB base64url
    const back = await decodeStatusListJson(json, { compression: c })
    expect(sha256(back.bytes)).toBe(sha256(list.bytes))
    let s = 0
    for (let i = 0; i < n; i++) s += back.get(i)
    let t = 0
    for (let i = 0; i < n; i++) t += list.get(i)
    expect(s).toBe(t)
    expect(s).toBeGreaterThan(n / 200)
  })
  it('node: level 9 output carries the 78 da header (strict decoders such as multipaz #1937 required it)', async () => {
    const z = await createNodeCompression().compress('zlib', new Uint8Array([0xb9, 0xa3]))
    expect(hexEncode(z.subarray(0, 2))).toBe('78da')
    expect(hexEncode(await createWebCompression().decompress('zlib', z, 10))).toBe('b9a3')
    expect(hexEncode(inflateSync(z))).toBe('b9a3')
  })
  it("node: strategy 'default' also round-trips", async () => {
    const list = StatusList.create(100_000, 2)
    list.set(99_999, 3)
    const json = await encodeStatusListJson(list, { compression: createNodeCompression({ strategy: 'default', level: 6 }) })
    expect((await decodeStatusListJson(json, { compression: createWebCompression() })).get(99_999)).toBe(3)
  })
})

describe.runIf(have)('draft-20 §4.3 CBOR StatusList (cbor_status_list_hex)', () => {
  it('each CBOR StatusList decodes to the same bytes as its JSON form; ours has the same shape', async () => {
    const { decodeCbor } = await import('../cbor/decode.js')
    const { encodeCbor } = await import('../cbor/encode.js')
    const { decodeStatusListCbor, encodeStatusListCbor } = await import('./encode.js')
    const cases: { bits: StatusListBits; cbor: string; sha?: string; hex?: string }[] = []
    for (const ex of vec<{ examples: (EncodingExample & { cbor_status_list_hex: string })[] }>('encoding-examples.json').examples) {
      cases.push({ bits: ex.bits, cbor: ex.cbor_status_list_hex, hex: ex.uncompressed_hex })
    }
    for (const bits of [1, 2, 4, 8] as const) {
      const v = vec<AppendixC & { expected_cbor_status_list_hex: string }>(`test-vector-${bits}bit.json`)
      cases.push({ bits, cbor: v.expected_cbor_status_list_hex, sha: v.uncompressed_sha256_hex })
    }
    for (const k of cases) {
      const list = await decodeStatusListCbor(decodeCbor(hexDecode(k.cbor)), { compression: codecs[0] })
      expect(list.bits).toBe(k.bits)
      if (k.hex !== undefined) expect(hexEncode(list.bytes)).toBe(k.hex)
      if (k.sha !== undefined) expect(sha256(list.bytes)).toBe(k.sha)
      const mine = await encodeStatusListCbor(list, { compression: codecs[0] })
      const bytes = encodeCbor(new Map<string, unknown>([['bits', mine.bits], ['lst', mine.lst]]))
      expect(hexEncode(bytes).slice(0, 22)).toBe(k.cbor.slice(0, 22)) // a2 64 "bits" <bits> 63 "lst"
      expect(sha256((await decodeStatusListCbor(decodeCbor(bytes))).bytes)).toBe(sha256(list.bytes))
    }
  })
  it('CBOR StatusList shape errors', async () => {
    const { decodeStatusListCbor } = await import('./encode.js')
    await expect(decodeStatusListCbor(new Map<string, unknown>([['bits', 1], ['lst', 'eNrbuRgAAhcBXQ']]))).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' })
    await expect(decodeStatusListCbor(new Map<string, unknown>([['bits', 1], ['lst', hexDecode('78dadbb918000217015d')], ['aggregation_uri', 5]]))).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_INVALID' })
    await expect(decodeStatusListCbor(new Map<string, unknown>([['bits', 5], ['lst', hexDecode('78dadbb918000217015d')]]))).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_BITS_INVALID' })
  })
})

describe('fuzz: malformed input only ever raises E2eidError', () => {
  it('fuzz decodeStatusListJson with random and mutated lst', async () => {
    const { E2eidError } = await import('../errors.js')
    const good = new Uint8Array(deflateSync(new Uint8Array([0xb9, 0xa3, 0, 0, 7])))
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const m = good.slice()
            m[i]! ^= x
            return m
          }),
          fc.nat(good.length).map((n) => good.subarray(0, n)),
        ),
        fc.constantFrom(1, 2, 4, 8),
        fc.boolean(),
        async (bytes, bits, useNode) => {
          try {
            const l = await decodeStatusListJson({ bits, lst: base64urlEncode(bytes) }, { compression: useNode ? codecs[0] : codecs[1], maxDecompressedBytes: 4096 })
            return l.bytes.length <= 4096
          } catch (e) {
            return e instanceof E2eidError
          }
        },
      ),
      { numRuns: RUNS },
    )
  })
})
