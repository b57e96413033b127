import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64urlEncode } from '../encoding/base64url.js'
import { readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { BITSTRING_MIN_ENTRIES, BitstringStatusList, checkBitstringStatus, decodeBitstringStatusList, encodeBitstringStatusList } from './bitstring.js'
import { createWebCompression } from './compression.js'
import { StatusList } from './list.js'
import { createNodeCompression } from './node-compression.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const node = createNodeCompression()
const web = createWebCompression()
const entry = (over: Record<string, unknown> = {}) => ({
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '94567',
  statusListCredential: 'https://example.com/credentials/status/3',
  ...over,
})

describe.runIf(vectorDir('status-list') !== undefined)('W3C Bitstring Status List v1.0 §2.2 Example 3', () => {
  for (const c of [node, web]) {
    it(`${c.name}: 'u' + base64url(GZIP(16384 zero bytes)) decodes to 131072 VALID entries`, async () => {
      const v = JSON.parse(readVectorText('status-list/w3c-bitstring-example.json')) as { encodedList: string; uncompressed_length_bytes: number }
      const list = await decodeBitstringStatusList(v.encodedList, 1, { compression: c })
      expect(list.bytes.length).toBe(v.uncompressed_length_bytes)
      expect(list.size).toBe(BITSTRING_MIN_ENTRIES)
      expect(list.bytes.every((b) => b === 0)).toBe(true)
      const r = await checkBitstringStatus(entry(), { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: v.encodedList }, { compression: c })
      expect(r).toEqual({ status: 0, purpose: 'revocation', valid: true })
    })
  }
})

describe('§3.1 bit order: MSB first, the opposite of the IETF list', () => {
  it('the same bytes b9 a3 give different statuses', () => {
    const w3c = new BitstringStatusList(new Uint8Array([0xb9, 0xa3]))
    const ietf = new StatusList(new Uint8Array([0xb9, 0xa3]), 1)
    expect(Array.from({ length: 8 }, (_, i) => w3c.get(i))).toEqual([1, 0, 1, 1, 1, 0, 0, 1])
    expect(Array.from({ length: 8 }, (_, i) => ietf.get(i))).toEqual([1, 0, 0, 1, 1, 1, 0, 1])
  })
  it('index 0 is 0x80; statusSize 2 reads left to right', () => {
    const l = BitstringStatusList.create(16, 1)
    l.set(0, 1)
    expect(l.bytes[0]).toBe(0x80)
    const l2 = BitstringStatusList.create(8, 2)
    l2.set(0, 2)
    l2.set(1, 1)
    l2.set(3, 3)
    expect(l2.bytes[0]).toBe(0b10_01_00_11)
    expect([0, 1, 2, 3].map((i) => l2.get(i))).toEqual([2, 1, 0, 3])
  })
  it('entries crossing a byte boundary (statusSize 3)', () => {
    const l = BitstringStatusList.create(8, 3) // 24 bits
    l.set(2, 0b101) // bits 6..8
    expect([l.bytes[0], l.bytes[1]]).toEqual([0b00000010, 0b10000000])
    expect(l.get(2)).toBe(5)
  })
})

describe('§3.2 validation', () => {
  it('purpose must be one of the list purposes (ERR_BITSTRING_PURPOSE_MISMATCH)', async () => {
    const encodedList = await encodeBitstringStatusList(BitstringStatusList.create(), { compression: node })
    await expect(checkBitstringStatus(entry({ statusPurpose: 'suspension' }), { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList })).rejects.toMatchObject({ code: 'ERR_BITSTRING_PURPOSE_MISMATCH' })
    await expect(checkBitstringStatus(entry({ statusPurpose: 'suspension' }), { type: 'BitstringStatusList', statusPurpose: ['revocation', 'suspension'], encodedList })).resolves.toMatchObject({ purpose: 'suspension' })
  })
  it('a list under 16 KB is ERR_BITSTRING_LENGTH (both ways), unless the ecosystem lowers the minimum', async () => {
    const small = BitstringStatusList.create(BITSTRING_MIN_ENTRIES - 8)
    await expect(encodeBitstringStatusList(small)).rejects.toMatchObject({ code: 'ERR_BITSTRING_LENGTH' })
    const encoded = `u${base64urlEncode(gzipSync(new Uint8Array(16383)))}`
    await expect(decodeBitstringStatusList(encoded)).rejects.toMatchObject({ code: 'ERR_BITSTRING_LENGTH' })
    await expect(decodeBitstringStatusList(encoded, 1, { minimumEntries: 8 })).resolves.toBeInstanceOf(BitstringStatusList)
    // statusSize 2 needs 32 KB for 131072 entries
    const sixteenK = `u${base64urlEncode(gzipSync(new Uint8Array(16384)))}`
    await expect(decodeBitstringStatusList(sixteenK, 2)).rejects.toMatchObject({ code: 'ERR_BITSTRING_LENGTH' })
  })
  it('an index past the end is ERR_BITSTRING_RANGE', async () => {
    const encodedList = await encodeBitstringStatusList(BitstringStatusList.create(), { compression: node })
    await expect(checkBitstringStatus(entry({ statusListIndex: String(BITSTRING_MIN_ENTRIES) }), { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList })).rejects.toMatchObject({ code: 'ERR_BITSTRING_RANGE' })
  })
  it('encoding errors: no u prefix (StatusList2021 style), padding, zlib instead of GZIP', async () => {
    const gz = base64urlEncode(gzipSync(new Uint8Array(16384)))
    await expect(decodeBitstringStatusList(gz)).rejects.toMatchObject({ code: 'ERR_BITSTRING_ENCODING_INVALID' })
    await expect(decodeBitstringStatusList(`u${gz}==`)).rejects.toMatchObject({ code: 'ERR_BITSTRING_ENCODING_INVALID' })
    const { deflateSync } = await import('node:zlib')
    await expect(decodeBitstringStatusList(`u${base64urlEncode(deflateSync(new Uint8Array(16384)))}`)).rejects.toMatchObject({ code: 'ERR_STATUS_LIST_COMPRESSION_INVALID' })
  })
  it('statusSize > 1 with statusMessage: status and message', async () => {
    const l = BitstringStatusList.create(BITSTRING_MIN_ENTRIES, 2)
    l.set(5, 3)
    const encodedList = await encodeBitstringStatusList(l, { compression: web })
    const statusMessage = [0, 1, 2, 3].map((s) => ({ status: `0x${s}`, message: `m${s}` }))
    const r = await checkBitstringStatus(entry({ statusPurpose: 'message', statusListIndex: '5', statusSize: 2, statusMessage }), { type: 'BitstringStatusList', statusPurpose: 'message', encodedList })
    expect(r).toEqual({ status: 3, purpose: 'message', valid: false, message: 'm3' })
  })
  it('entry shape errors are ERR_BITSTRING_ENTRY_INVALID', async () => {
    const subject = { type: 'BitstringStatusList' as const, statusPurpose: 'revocation', encodedList: 'u' }
    for (const bad of [entry({ statusListIndex: 5 }), entry({ statusListIndex: '05' }), entry({ type: 'StatusList2021Entry' }), entry({ statusSize: 2 }), entry({ statusMessage: [{ status: '0x0', message: 'a' }] }), entry({ statusListCredential: 'nope' })]) {
      await expect(checkBitstringStatus(bad, subject), JSON.stringify(bad)).rejects.toMatchObject({ code: 'ERR_BITSTRING_ENTRY_INVALID' })
    }
  })
})

describe('fuzz: bitstring encode/decode round trip, statusSize 1-4', () => {
  it('fuzz bitstring round trip', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.nat(999), fc.nat(15)), { maxLength: 20 }), async (size, ops) => {
        const l = BitstringStatusList.create(1000, size)
        const model = new Map<number, number>()
        for (const [i, v] of ops) {
          l.set(i, v % 2 ** size)
          model.set(i, v % 2 ** size)
        }
        const back = await decodeBitstringStatusList(await encodeBitstringStatusList(l, { compression: node, minimumEntries: 0 }), size, { compression: web, minimumEntries: 0 })
        for (let i = 0; i < 1000; i++) if (back.get(i) !== (model.get(i) ?? 0)) return false
        return true
      }),
      { numRuns: RUNS },
    )
  })
})
