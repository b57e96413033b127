/** specs/sd-cwt-profile.md §8 lists every error code the SD-CWT library and `e2eid sd-cwt` can report. */
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')

async function codesIn(dir: string): Promise<Set<string>> {
  const out = new Set<string>()
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue
    const text = await readFile(join(dir, name), 'utf8')
    for (const m of text.matchAll(/'(ERR_[A-Z0-9_]+)'/g)) out.add(m[1]!)
    // time.ts builds ERR_SDCWT_EXPIRED / ERR_SDCWT_KBT_EXPIRED etc. from a prefix.
    for (const m of text.matchAll(/p \+ '([A-Z_]+)'/g)) (out.add('ERR_SDCWT_' + m[1]!), out.add('ERR_SDCWT_KBT_' + m[1]!))
  }
  // The prefixes themselves.
  out.delete('ERR_SDCWT_KBT_')
  out.delete('ERR_SDCWT_')
  return out
}

describe('specs/sd-cwt-profile.md §8 (error codes)', () => {
  it('names every code thrown by shared/src/sd-cwt, shared/src/cbor, shared/src/cose and cli/src/commands/sd-cwt', async () => {
    const profile = await readFile(join(ROOT, 'specs/sd-cwt-profile.md'), 'utf8')
    const codes = new Set<string>()
    for (const d of ['shared/src/sd-cwt', 'shared/src/cbor', 'shared/src/cose', 'cli/src/commands/sd-cwt']) for (const c of await codesIn(join(ROOT, d))) codes.add(c)
    const cliText = await readFile(join(ROOT, 'cli/src/commands/sd-cwt.ts'), 'utf8')
    for (const m of cliText.matchAll(/'(ERR_[A-Z0-9_]+)'/g)) codes.add(m[1]!)
    codes.delete('ERR_CLI_GOLDEN_SALTS') // the vector generator's own check, never reported by the CLI
    expect(codes.size).toBeGreaterThan(80)
    const missing = [...codes].filter((c) => !profile.includes('`' + c + '`')).sort()
    expect(missing).toEqual([])
  })
})

describe('README "SD-CWT in five minutes"', () => {
  it('shows the claims file exactly as specs/vectors/sd-cwt/claims.json holds it', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## SD-CWT in five minutes'))
    const shown = /```json\n([\s\S]*?)```/.exec(section)?.[1]
    expect(shown).toBeDefined()
    const file = await readFile(join(ROOT, 'specs/vectors/sd-cwt/claims.json'), 'utf8')
    expect(JSON.parse(shown!)).toEqual(JSON.parse(file))
  })
})
