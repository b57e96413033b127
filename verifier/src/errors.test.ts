import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { VERIFIER_ERROR_CODES } from './errors.js'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return f === 'mls' || f === 'test-helpers' ? [] : sources(p)
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('errors.ts') ? [p] : []
  })
}

describe('verifier error codes', () => {
  it('every code thrown in verifier/src is listed once in VERIFIER_ERROR_CODES', () => {
    const root = fileURLToPath(new URL('.', import.meta.url))
    const thrown = new Set<string>()
    for (const f of sources(root)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/new E2eidError\(\s*'(ERR_[A-Z0-9_]+)'/g)) thrown.add(m[1]!)
      for (const m of readFileSync(f, 'utf8').matchAll(/\? '(ERR_[A-Z0-9_]+)' : '(ERR_[A-Z0-9_]+)'/g)) (thrown.add(m[1]!), thrown.add(m[2]!))
    }
    expect(new Set(VERIFIER_ERROR_CODES).size).toBe(VERIFIER_ERROR_CODES.length)
    expect([...thrown].filter((c) => !(VERIFIER_ERROR_CODES as readonly string[]).includes(c))).toEqual([])
  })
})
