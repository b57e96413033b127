/**
 * The wallet library must run in a browser (the wallet page builds on it): outside `node/` (the CLI's
 * folder persistence, exported as `@e2eid/wallet/node`) no module may import Node built-ins,
 * fake-indexeddb or the node-only entry of @e2eid/shared.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('.', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return name === 'node' || name === 'test-helpers' ? [] : sources(p)
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('node.ts') ? [p] : []
  })
}

describe('browser-safe wallet core', () => {
  it('no node:*, fake-indexeddb or @e2eid/shared/node import outside wallet/src/node', () => {
    const files = sources(root)
    expect(files.length).toBeGreaterThan(10)
    const offenders = files.filter((f) => /from ['"](node:|fake-indexeddb|@e2eid\/shared\/node|dexie-export-import)/.test(readFileSync(f, 'utf8')))
    expect(offenders.map((f) => relative(root, f))).toEqual([])
  })

  it('the main entry does not re-export the node entry', () => {
    expect(readFileSync(join(root, 'index.ts'), 'utf8')).not.toMatch(/['"]\.\/node(\.js|\/)/)
  })
})
