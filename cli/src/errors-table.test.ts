import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_LISTS, errorsTable } from './errors-table.js'

const path = new URL('../../specs/errors.md', import.meta.url)

describe('specs/errors.md (every code, its area, HTTP status and meaning)', () => {
  it('no code is listed by two areas', () => {
    const seen = new Map<string, string>()
    const twice: string[] = []
    for (const [area, list] of Object.entries(ERROR_LISTS)) {
      for (const code of Object.keys(list)) {
        if (seen.has(code)) twice.push(`${code} (${seen.get(code)}, ${area})`)
        seen.set(code, area)
      }
    }
    expect(twice).toEqual([])
  })

  it('is generated from the lists (regenerate: E2EID_WRITE_ERRORS_TABLE=1 npx vitest run cli/src/errors-table.test.ts)', () => {
    const want = errorsTable()
    if (process.env.E2EID_WRITE_ERRORS_TABLE === '1') writeFileSync(path, want)
    const have = readFileSync(path, 'utf8')
    expect(have === want, 'specs/errors.md is out of date: run  E2EID_WRITE_ERRORS_TABLE=1 npx vitest run cli/src/errors-table.test.ts').toBe(true)
  })
})
