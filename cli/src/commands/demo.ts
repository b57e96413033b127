/**
 * @module commands/demo
 * `e2eid demo [--json] [--keep]` (= `npm start`): the whole story in one process, on loopback,
 * with the embedded database. Exit 0 only when every expected verdict happened; 1 otherwise; 2 for usage.
 */
import { parseCliArgs } from '../parse-args.js'
import type { CliIo } from '../io.js'
import { reportError } from '../errors.js'
import { HELP_OPTION, defineCommand, helpText, parserOptions } from '../command-help.js'
import { jsonResult, renderHeader, renderSummary, textReporter } from '../demo/render.js'
import { runDemo } from '../demo/story.js'

/** The options and help of `e2eid demo`: the one source of its parser and its --help. */
export const DEMO_HELP = defineCommand({
  usage: 'e2eid demo [--json] [--keep]',
  summary:
    'Runs the whole e2eid story in one process on 127.0.0.1: an identity authority issues credentials to Alice, Bob and Carol over ' +
    "OpenID4VCI; they form an MLS group and verify each other with selective disclosure; the messaging provider's impersonation " +
    'attempt is refused; Carol is revoked and removed. Exit 0 only when every expected verdict happened.',
  options: {
    json: { type: 'boolean', desc: 'Print only the machine-readable verdict list (one JSON object) instead of the story.' },
    keep: { type: 'boolean', desc: 'Keep the temporary folder (issuer database, wallets) and print where it is.' },
    ...HELP_OPTION,
  },
})

const USAGE = helpText(DEMO_HELP)

/** Runs `e2eid demo`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let values
  try {
    values = parseCliArgs({ args: argv, options: parserOptions(DEMO_HELP.options), strict: true, allowPositionals: false }).values
  } catch (e) {
    io.stderr(`e2eid demo: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    io.stdout(USAGE)
    return 0
  }
  const json = values.json === true
  if (!json) io.stdout(renderHeader())
  let result
  try {
    result = await runDemo({ ...(json ? {} : { reporter: textReporter((s) => io.stdout(s)) }), keep: values.keep === true })
  } catch (e) {
    return reportError(io, e, { command: 'e2eid demo', fallbackCode: 'ERR_DEMO_FAILED' })
  }
  if (json) {
    io.stdout(JSON.stringify(jsonResult(result), null, 2))
  } else {
    io.stdout(renderSummary(result))
  }
  return result.ok ? 0 : 1
}
