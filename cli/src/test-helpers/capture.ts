/**
 * A CliIo that records what a command prints, for the CLI tests: `io` to pass to `main`, the chunks written to
 * stdout (`out`) and stderr (`err`), and `json()`, stdout parsed as the one JSON object the contracts print.
 */
import type { CliIo } from '../io.js'

export interface CapturedIo {
  io: CliIo
  out: string[]
  err: string[]
  json(): Record<string, unknown>
}

/** `isTTY`: pretend stdout is a terminal. */
export function capture(isTTY = false): CapturedIo {
  const out: string[] = []
  const err: string[] = []
  return {
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), isTTY },
    out,
    err,
    json: () => JSON.parse(out.join('')) as Record<string, unknown>,
  }
}
