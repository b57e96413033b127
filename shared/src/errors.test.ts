import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { E2eidError, isE2eidError, parseWith } from './errors.js'
import type { ErrorCode } from './errors.js'
import { SHARED_ERROR_LISTS } from './error-codes.js'

describe('error codes are a closed set (ErrorCodeRegistry)', () => {
  it('a listed code constructs; an unknown one does not compile', () => {
    const ok = new E2eidError('ERR_CBOR_DUPLICATE_KEY', 'dup')
    expect(ok.code).toBe('ERR_CBOR_DUPLICATE_KEY')
    // @ts-expect-error ERR_TYPO is in no area's list: `npx tsc -p tsconfig.tests.json` fails if this compiles
    const typo = new E2eidError('ERR_TYPO', 'typo')
    expect(typo.code).toBe('ERR_TYPO')
    // @ts-expect-error isE2eidError takes listed codes only, so a misspelt check cannot silently never match
    expect(isE2eidError(ok, 'ERR_CBOR_DUPLICATE_KEYS')).toBe(false)
  })

  it('no code is listed by two of shared\'s areas, and every entry says what it means', () => {
    const seen = new Map<string, string>()
    for (const [area, list] of Object.entries(SHARED_ERROR_LISTS)) {
      for (const [code, info] of Object.entries(list)) {
        expect(seen.get(code), `${code} is in ${seen.get(code)} and ${area}`).toBeUndefined()
        seen.set(code, area)
        expect(code).toMatch(/^ERR_[A-Z0-9_]+$/)
        expect((info as { meaning: string }).meaning.length).toBeGreaterThan(0)
      }
    }
  })
})

describe('parseWith (one schema check for untrusted input)', () => {
  const schema = z.object({ a: z.object({ b: z.number() }) })

  it('returns the parsed value', () => {
    expect(parseWith(schema, { a: { b: 1 } }, 'ERR_CBOR_DUPLICATE_KEY')).toEqual({ a: { b: 1 } })
  })

  it('throws the given code, naming the first issue and its path', () => {
    const code: ErrorCode = 'ERR_SDJWT_INPUT_INVALID'
    let thrown: unknown
    try {
      parseWith(schema, { a: { b: 'x' } }, code, 'the thing')
    } catch (e) {
      thrown = e
    }
    expect(isE2eidError(thrown, code)).toBe(true)
    expect((thrown as E2eidError).message).toMatch(/^the thing: a\.b: /)
  })

  it('takes a message builder and an error factory (the issuer turns it into its OAuth error)', () => {
    class Custom extends Error {
      constructor(readonly c: string, m: string) {
        super(m)
      }
    }
    expect(() => parseWith(schema, null, 'ERR_SDJWT_INPUT_INVALID', (i) => `bad: ${i === undefined ? '?' : 'issue'}`, (c, m) => new Custom(c, m))).toThrow(
      expect.objectContaining({ c: 'ERR_SDJWT_INPUT_INVALID', message: 'bad: issue' }),
    )
  })

  it('needs only a safeParse method (no schema library in its type)', () => {
    const even = { safeParse: (v: unknown) => (typeof v === 'number' && v % 2 === 0 ? { success: true as const, data: v } : { success: false as const, error: { issues: [{ path: [], message: 'odd' }] } }) }
    expect(parseWith(even, 2, 'ERR_SDJWT_INPUT_INVALID')).toBe(2)
    expect(() => parseWith(even, 3, 'ERR_SDJWT_INPUT_INVALID', 'n')).toThrow('n: : odd')
  })
})
