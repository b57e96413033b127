/**
 * @module testkit/cli-wallet
 * `e2eid wallet …` run through the CLI's own entry point (`main` of @e2eid/cli, what `node cli/bin/e2eid.js`
 * calls) on a wallet folder of its own (E2EID_WALLET_DIR), over real HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '@e2eid/cli'

interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `e2eid ARGS…` through the CLI's `main` (what `node cli/bin/e2eid.js` calls), capturing its output. */
export async function runCli(...args: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

/** A CLI wallet in a temp folder. */
export interface CliWallet {
  dir: string
  run(...args: string[]): Promise<CliResult>
  close(): Promise<void>
}

export async function cliWallet(): Promise<CliWallet> {
  const dir = await mkdtemp(join(tmpdir(), 'e2eid-interop-wallet-'))
  return {
    dir,
    async run(...args) {
      const out: string[] = []
      const err: string[] = []
      const prev = process.env.E2EID_WALLET_DIR
      process.env.E2EID_WALLET_DIR = dir
      try {
        const code = await main(['wallet', ...args], { stdout: (s) => out.push(s), stderr: (s) => err.push(s) })
        return { code, stdout: out.join('\n'), stderr: err.join('\n') }
      } finally {
        if (prev === undefined) delete process.env.E2EID_WALLET_DIR
        else process.env.E2EID_WALLET_DIR = prev
      }
    },
    close: () => rm(dir, { recursive: true, force: true }),
  }
}
