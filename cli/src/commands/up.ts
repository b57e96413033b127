/**
 * @module commands/up
 * `e2eid up [--data DIR] [--issuer-port N] [--verifier-port N] [--wallet-port N] [--no-wallet-page] [--wallet-root DIR]`:
 * the issuer, the verifier service and the wallet page together on loopback, a sample user and a ready
 * offer (URI + terminal QR code). Runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything.
 */
import { join } from 'node:path'
import { parseCliArgs } from '../parse-args.js'
import type { CliIo } from '../io.js'
import { UsageError, reportError } from '../errors.js'
import { serverLogger } from '../logging.js'
import { HELP_OPTION, LOG_LEVEL_OPTION, defineCommand, helpText, parserOptions } from '../command-help.js'
import { untilStopped } from '../until-stopped.js'
import { SAMPLE_USER, UP_STATUS_LIST_TTL, defaultDataDir, startUp } from '../demo/up-stack.js'
import type { RunningUp, StartUpOptions } from '../demo/up-stack.js'

/** The options and help of `e2eid up`: the one source of its parser and its --help. */
export const UP_HELP = defineCommand({
  usage:
    'e2eid up [--data DIR] [--issuer-port N] [--verifier-port N] [--wallet-port N] [--no-wallet-page] [--wallet-root DIR]\n' +
    '                [--log-level LEVEL]',
  summary:
    'Starts, on 127.0.0.1, the issuer (embedded SQLite in DIR/issuer), the OpenID4VP verifier service and the browser wallet page; ' +
    'adds a sample user and prints a ready credential offer. Ctrl-C stops everything.',
  options: {
    data: { type: 'string', arg: 'DIR', desc: 'The data folder (the issuer keeps its database, keys and admin token in DIR/issuer).', defaultIs: '$E2EID_HOME, else ~/.e2eid' },
    'issuer-port': { type: 'string', arg: 'N', desc: "The issuer's TCP port.", defaultIs: '8080' },
    'verifier-port': { type: 'string', arg: 'N', desc: "The verifier service's TCP port.", defaultIs: '8081' },
    'wallet-port': { type: 'string', arg: 'N', desc: "The wallet page's TCP port.", defaultIs: '8082' },
    'no-wallet-page': { type: 'boolean', desc: 'Do not serve the browser wallet page.' },
    'wallet-root': { type: 'string', arg: 'DIR', desc: 'Serve the wallet page from DIR.', defaultIs: "the wallet package's build, built on first use" },
    ...LOG_LEVEL_OPTION,
    ...HELP_OPTION,
  },
})

const USAGE = helpText(UP_HELP)

function port(value: string | undefined, name: string, dflt: number): number {
  if (value === undefined) return dflt
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`${name} must be a port number`)
  return Number(value)
}

/** The text `up` prints once everything runs. */
export function renderUp(u: RunningUp): string {
  const lines = [
    'e2eid up: everything runs on this machine (Ctrl-C stops it)',
    '',
    `  issuer        ${u.issuerUrl}`,
    `                data ${join(u.dataDir, 'issuer')}${u.adminTokenFile === null ? '' : `, admin token in ${u.adminTokenFile}`}`,
    `  verifier      ${u.verifierUrl}    (OpenID4VP requests: POST ${u.verifierUrl}/requests, page at /)`,
    u.walletUrl === undefined ? `  wallet page   not started: ${u.walletPageProblem ?? 'disabled'}` : `  wallet page   ${u.walletUrl}`,
    '',
    `Sample user: ${SAMPLE_USER.id} (${u.userCreated ? 'added now' : 'from an earlier run'}; login password "${SAMPLE_USER.password}")`,
    `  ${Object.entries(SAMPLE_USER.claims).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    '',
    `A one-time credential offer for ${SAMPLE_USER.id} (SD-JWT VC${u.offer.tx_code === null ? '' : `, transaction code ${u.offer.tx_code}`}; it can be opened once, within 10 minutes):`,
    '',
    `  ${u.offer.offer_uri}`,
    '',
    u.offerQr,
    'Try it:',
    ...(u.walletUrl === undefined ? [] : [`  · open ${u.walletUrl}, paste the offer${u.offer.tx_code === null ? '' : ` and enter ${u.offer.tx_code}`}, then present it to the verifier`]),
    `  · or in a terminal: npx e2eid wallet receive '${u.offer.offer_uri}'${u.offer.tx_code === null ? '' : ` --tx-code ${u.offer.tx_code}`} --trust-issuer ${u.issuerUrl}`,
    `  · more offers: npx e2eid issuer offer --user ${SAMPLE_USER.id} --config mimi_identity_sd_cwt --url ${u.issuerUrl} --state-dir ${join(u.dataDir, 'issuer')}`,
    `  · revoke: npx e2eid issuer credentials --user ${SAMPLE_USER.id} --url ${u.issuerUrl} --state-dir ${join(u.dataDir, 'issuer')}, then issuer revoke --credential ID (same options);`,
    `    the verifier sees it within ${UP_STATUS_LIST_TTL} s (the status list ttl here; its verdict says when the list was fetched)`,
  ]
  return lines.join('\n')
}

/** Runs `e2eid up` until SIGINT/SIGTERM (or `signal`, for tests). */
export async function run(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let options: StartUpOptions
  try {
    const { values } = parseCliArgs({
      args: argv,
      options: parserOptions(UP_HELP.options),
      strict: true,
    })
    if (values.help === true) {
      io.stdout(USAGE)
      return 0
    }
    options = {
      dataDir: values.data ?? defaultDataDir(),
      issuerPort: port(values['issuer-port'], '--issuer-port', 8080),
      verifierPort: port(values['verifier-port'], '--verifier-port', 8081),
      walletPort: port(values['wallet-port'], '--wallet-port', 8082),
      walletPage: values['no-wallet-page'] !== true,
      ...(values['wallet-root'] === undefined ? {} : { walletPageRoot: values['wallet-root'] }),
      // No service of its own: up-stack names each line's service (issuer, verifier).
      logger: serverLogger(values['log-level'], process.env),
    }
  } catch (e) {
    return reportError(io, e instanceof UsageError || e instanceof TypeError ? new UsageError(e.message) : e, { command: 'e2eid up', usage: USAGE })
  }
  let running: RunningUp
  try {
    running = await startUp(options)
  } catch (e) {
    const portFlags: Record<number, string> = {}
    if (options.walletPort !== undefined && options.walletPort !== 0) portFlags[options.walletPort] = '--wallet-port'
    if (options.verifierPort !== undefined && options.verifierPort !== 0) portFlags[options.verifierPort] = '--verifier-port'
    if (options.issuerPort !== undefined && options.issuerPort !== 0) portFlags[options.issuerPort] = '--issuer-port'
    return reportError(io, e, { command: 'e2eid up', fallbackCode: 'ERR_UP_FAILED', portFlags })
  }
  io.stdout(renderUp(running))
  await untilStopped(signal)
  io.stdout('e2eid up: stopping…')
  await running.close()
  io.stdout('e2eid up: stopped.')
  return 0
}
