import { describe, expect, it } from 'vitest'
import { attachDashValues, parseCliArgs } from './parse-args.js'

const options = { credential: { type: 'string' }, url: { type: 'string', short: 'u' }, json: { type: 'boolean' } } as const

describe('CLI arguments: string option values may start with "-" (base64url ids, kids, tokens)', () => {
  it('--credential -Xy… takes the id (strict parseArgs alone calls it ambiguous)', () => {
    const { values } = parseCliArgs({ args: ['--credential', '-Xy9_a', '--json'], options, strict: true })
    expect(values).toEqual({ credential: '-Xy9_a', json: true })
    expect(parseCliArgs({ args: ['-u', '-abc'], options, strict: true }).values.url).toBe('-abc')
    expect(parseCliArgs({ args: ['--credential', '--abc'], options, strict: true }).values.credential).toBe('--abc')
  })

  it('a forgotten value is still a usage error when the next argument is one of the options, or "--"', () => {
    expect(() => parseCliArgs({ args: ['--credential', '--json'], options, strict: true })).toThrow(/ambiguous|argument/)
    expect(() => parseCliArgs({ args: ['--url', '-u', 'x'], options, strict: true })).toThrow()
    expect(attachDashValues(['--credential', '--', '-x'], options)).toEqual(['--credential', '--', '-x'])
  })

  it('everything else is left as parseArgs sees it', () => {
    const args = ['--credential=-a', '--url', 'https://x', '-', 'pos', '--json']
    expect(attachDashValues(args, options)).toEqual(args)
    expect(attachDashValues(['--json', '-x'], options)).toEqual(['--json', '-x'])
  })
})
