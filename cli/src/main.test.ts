import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { main } from './main.js'
import { capture } from './test-helpers/capture.js'

describe('e2eid (top level)', () => {
  it('--version prints the version of the @e2eid/cli package and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    for (const flag of ['--version', '-V']) {
      const c = capture()
      expect(await main([flag], c.io)).toBe(0)
      expect(c.out.join('')).toBe(`e2eid ${pkg.version}\n`)
    }
  })

  it('an unknown command is a usage error (exit 2) that shows the usage', async () => {
    const c = capture()
    expect(await main(['no-such-command'], c.io)).toBe(2)
    expect(c.err.join('')).toContain('usage: e2eid <command>')
  })
})
