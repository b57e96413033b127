import { CborSimple, CborTag, cborToJson as sharedCborToJson } from '@e2eid/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assertJsonView, cborToJson, lazyJsonView } from './cbor-json.js'

describe('JSON view of CBOR claims (the shared converter, verifier error code)', () => {
  it('int labels in decimal, bytes as unpadded base64url, other tags as {tag, value}', () => {
    const v = new Map<unknown, unknown>([[1, 'https://issuer.example'], [-2, Uint8Array.of(0x85, 0x54, 0xeb)], ['t', new CborTag(1, 5)]])
    expect(cborToJson(v)).toEqual({ '1': 'https://issuer.example', '-2': 'hVTr', t: { tag: 1, value: 5 } })
  })

  it('1 and "1" in one map: ERR_VERIFY_CLAIMS_UNSUPPORTED instead of silently dropping a claim', () => {
    expect(() => cborToJson(new Map<unknown, unknown>([[1, 'a'], ['1', 'b']]))).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
  })

  it('nesting past 64 levels: ERR_VERIFY_CLAIMS_UNSUPPORTED', () => {
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = [deep]
    expect(() => cborToJson(deep)).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
  })
})

describe('JSON view checked now, built on first read (issue 7: a 1,000-leaf join reads no claims)', () => {
  const key = fc.oneof(fc.constantFrom<unknown>('1', '-1', '2', 'x', '1.5', "h'01'", 'true', 'simple(59)'), fc.integer({ min: -3, max: 3 }), fc.constantFrom<unknown>(1.5, 2n ** 64n, '18446744073709551616', Uint8Array.of(1), true, new CborSimple(59), new CborTag(58, 'x')))
  const map = fc.array(fc.tuple(key, fc.oneof(fc.string(), fc.integer())), { maxLength: 6 }).map((es) => new Map<unknown, unknown>(es))

  it('assertJsonView refuses exactly the maps the shared converter refuses (ERR_VERIFY_CLAIMS_UNSUPPORTED), nested too', () => {
    fc.assert(
      fc.property(map, fc.boolean(), (m, nest) => {
        const v = nest ? new Map<unknown, unknown>([[8, m]]) : m
        let shared: unknown
        try {
          sharedCborToJson(v)
        } catch (e) {
          shared = e
        }
        if (shared === undefined) expect(() => assertJsonView(v)).not.toThrow()
        else expect(() => assertJsonView(v)).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
      }),
      { numRuns: 500 },
    )
  })

  it('an integer and a bigint label or two equal tags collide; distinct text or integer labels never do', () => {
    expect(() => assertJsonView(new Map<unknown, unknown>([['18446744073709551616', 1], [2n ** 64n, 2]]))).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
    expect(() => assertJsonView(new Map<unknown, unknown>([[new CborTag(58, 'x'), 1], [new CborTag(58, 'x'), 2]]))).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CLAIMS_UNSUPPORTED' }))
    expect(() => assertJsonView(new Map<unknown, unknown>([[1, 1], [-1, 2], [10, 3]]))).not.toThrow()
    expect(() => assertJsonView(new Map<unknown, unknown>([['a', 1], ['1', 2]]))).not.toThrow()
  })

  it('lazyJsonView: converts once, on the first call, to what cborToJson gives', () => {
    const claims = new Map<unknown, unknown>([[2, 'alice'], ['org', 'example.com'], [8, new Map([[1, new Map<unknown, unknown>([[1, 1], [-2, Uint8Array.of(1, 2)]])]])]])
    const view = lazyJsonView(claims)
    const first = view()
    expect(first).toEqual(cborToJson(claims))
    expect(view()).toBe(first)
  })
})
