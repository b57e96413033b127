/**
 * @module main
 * The `e2eid` command dispatcher. Each command group lives in `commands/<group>.ts`
 * and exports `run(argv, io)`; this file only routes.
 */
import { readFileSync } from 'node:fs'
import type { CliIo } from './io.js'
import { defaultIo } from './io.js'

const USAGE = `usage: e2eid <command> [options]

commands:
  sd-cwt issue|present|verify|inspect   SD-CWT tokens (draft-ietf-spice-sd-cwt-08)
  status-list encode|decode             Token Status Lists
  issuer serve|user|offer|credentials|revoke|suspend|reinstate|keys
                                        the identity authority (OpenID4VCI 1.0) and its administration
  wallet receive|list|show|present|respond|status|key-package
                                        a holder wallet that persists in $E2EID_WALLET_DIR
  verify                                verify an SD-CWT KBT or SD-JWT presentation
  verifier serve                        OpenID4VP verifier service
  demo                                  the whole story (npm start)
  up                                    issuer + verifier + wallet page for trying by hand

Run 'e2eid <command> --help' for a command's options; 'e2eid --version' prints the version.
`

/** The CLI's version, from its package.json (the same file npm publishes). */
function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

type Runner = (argv: string[], io: CliIo) => Promise<number>

// Lazy imports keep `e2eid sd-cwt verify` from loading the issuer's database drivers.
const commands: Record<string, () => Promise<{ run: Runner }>> = {
  'sd-cwt': () => import('./commands/sd-cwt.js'),
  'status-list': () => import('./commands/status-list.js'),
  issuer: () => import('./commands/issuer.js'),
  wallet: () => import('./commands/wallet.js'),
  verify: () => import('./commands/verify.js'),
  verifier: () => import('./commands/verifier.js'),
  demo: () => import('./commands/demo.js'),
  up: () => import('./commands/up.js'),
}

/** Runs the CLI; returns the exit code (0 ok, 1 invalid input, 2 usage). */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [cmd, ...rest] = argv
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io[cmd === undefined ? 'stderr' : 'stdout'](USAGE)
    return cmd === undefined ? 2 : 0
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    io.stdout(`e2eid ${cliVersion()}\n`)
    return 0
  }
  const load = commands[cmd]
  if (load === undefined) {
    io.stderr(`e2eid: unknown command '${cmd}'\n\n${USAGE}`)
    return 2
  }
  const { run } = await load()
  return run(rest, io)
}
