/**
 * Issue 15: "`--help` of every subcommand lists each option with a sentence; `e2eid --version`."
 * Walks every (group, subcommand) through `main` with `--help` and `-h`: exit 0, the help on stdout (nothing on
 * stderr), its usage line, and every option of the subcommand's table (the table its parser is built from) with
 * a description of a few words. A parser option added outside a table fails the source scan at the end.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { main } from './main.js'
import { capture } from './test-helpers/capture.js'
import { HELP_OPTION, optionLabel } from './command-help.js'
import type { CommandHelp, OptionTable } from './command-help.js'
import { ISSUER_HELP } from './commands/issuer-help.js'
import { WALLET_HELP } from './commands/wallet-help.js'
import { STATUS_LIST_HELP } from './commands/status-list.js'
import { SD_CWT_HELP } from './commands/sd-cwt.js'
import { VERIFY_HELP } from './commands/verify.js'
import { VERIFIER_SERVE_HELP } from './commands/verifier.js'
import { DEMO_HELP } from './commands/demo.js'
import { UP_HELP } from './commands/up.js'

/** [argv before --help, the subcommand's table] for every subcommand of every group. */
const grouped = (group: string, table: Record<string, CommandHelp>): Array<[string[], CommandHelp]> =>
  Object.entries(table).map(([sub, help]) => [[group, ...sub.split(' ')], help])

const SUBCOMMANDS: Array<[string[], CommandHelp]> = [
  ...grouped('issuer', ISSUER_HELP),
  ...grouped('wallet', WALLET_HELP),
  ...grouped('status-list', STATUS_LIST_HELP),
  ...grouped('sd-cwt', SD_CWT_HELP),
  [['verifier', 'serve'], VERIFIER_SERVE_HELP],
  [['verify'], VERIFY_HELP],
  [['demo'], DEMO_HELP],
  [['up'], UP_HELP],
]

async function run(...argv: string[]) {
  const c = capture()
  const code = await main(argv, c.io)
  return { code, out: c.out.join(''), err: c.err.join('') }
}

const squash = (s: string): string => s.replace(/\s+/g, ' ')

describe('issue 15: e2eid <group> <subcommand> --help lists every option with a sentence', () => {
  it('covers the subcommands the group helps name (issuer, wallet: one line each)', async () => {
    const issuer = (await run('issuer', '--help')).out
    for (const sub of ['serve', 'user add', 'user list', 'user show', 'user update', 'user remove', 'configs', 'offer', 'credentials', 'revoke', 'suspend', 'reinstate', 'keys list', 'keys add', 'keys retire', 'keys compromise']) {
      expect(Object.keys(ISSUER_HELP)).toContain(sub)
      expect(issuer).toContain(sub.split(' ').at(-1))
    }
    const wallet = (await run('wallet', '--help')).out
    for (const sub of ['receive', 'list', 'show', 'present', 'respond', 'status', 'key-package']) {
      expect(Object.keys(WALLET_HELP)).toContain(sub)
      expect(wallet).toMatch(new RegExp(`^  ${sub} `, 'm'))
    }
    expect(Object.keys(SD_CWT_HELP).sort()).toEqual(['inspect', 'issue', 'present', 'verify'])
    expect(Object.keys(STATUS_LIST_HELP).sort()).toEqual(['decode', 'encode'])
  })

  describe.each(SUBCOMMANDS.map(([argv, help]) => [argv.join(' '), argv, help] as const))('e2eid %s', (_name, argv, help) => {
    it.each(['--help', '-h'])('%s: exit 0, usage line, summary and every option of its parser with a sentence', async (flag) => {
      const r = await run(...argv, flag)
      expect(r.code).toBe(0)
      expect(r.err).toBe('')
      expect(r.out.startsWith(`usage: e2eid ${argv.join(' ')}`)).toBe(true)
      expect(squash(r.out)).toContain(squash(help.summary))
      const lines = r.out.split('\n')
      const options: OptionTable = { ...help.options, ...HELP_OPTION }
      for (const [name, o] of Object.entries(options)) {
        // The description is a sentence (a few words), printed beside the option's own line.
        expect(o.desc.trim().split(/\s+/).length, `--${name} needs a sentence`).toBeGreaterThanOrEqual(4)
        expect(lines.some((l) => l.startsWith(`  ${optionLabel(name, o)}`)), `--${name} listed`).toBe(true)
        expect(squash(r.out)).toContain(squash(o.desc))
        if (o.defaultIs !== undefined) expect(squash(r.out)).toContain(squash(`Default: ${o.defaultIs}.`))
      }
    })
  })

  it('`e2eid status-list encode --help` prints encode only (not decode)', async () => {
    const r = await run('status-list', 'encode', '--help')
    expect(r.out).toContain('--bits N')
    expect(r.out).not.toContain('--token')
  })

  it('--help after `--` is an argument, not a help request (getopt)', async () => {
    // `status-list encode -- --help` is parsed (a positional it does not take: a usage error), not answered with help.
    const r = await run('status-list', 'encode', '--bits', '1', '--size', '8', '--', '--help')
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
  })

  it('e2eid --version prints the version', async () => {
    const r = await run('--version')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^e2eid \d+\.\d+\.\d+/)
  })

  it('every command parser is built from a help table: no bare parseArgs option literal in cli/src/commands', () => {
    // A `{ type: 'string' }` (optionally with short/multiple) without `desc` would be a parser option without help.
    const bare = /\{\s*type:\s*'(?:string|boolean)'\s*(?:,\s*(?:short|multiple)\s*:\s*[^,}]+)*\s*\}/
    const dir = new URL('./commands/', import.meta.url)
    const offenders = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .filter((f) => bare.test(readFileSync(new URL(f, dir), 'utf8')))
    expect(offenders).toEqual([])
    for (const f of ['status-list.ts', 'verify.ts', 'verifier.ts', 'demo.ts', 'up.ts']) {
      const src = readFileSync(new URL(f, dir), 'utf8')
      expect(src, f).not.toMatch(/parseCliArgs\(\{[^}]*options:\s*\{/)
    }
  })
})
