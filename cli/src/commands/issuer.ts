import type { CliIo } from '../io.js'

// TODO(owner of this command): not implemented yet.
export async function run(_argv: string[], io: CliIo): Promise<number> {
  io.stderr('e2eid issuer: not implemented yet')
  return 2
}
