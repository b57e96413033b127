/**
 * @module commands/verifier
 * `e2eid verifier serve [--port N] [--host H] [--config FILE]`: runs the OpenID4VP verifier service (see
 * @e2eid/verifier `startVerifierServer` and `zVerifierServiceConfig` for the config file) until Ctrl-C.
 * Without --config it trusts the issuer at $E2EID_ISSUER_URL or http://127.0.0.1:8080 (JWT VC Issuer Metadata and
 * its COSE key set), with loopback HTTP allowed: a local demo setup.
 */
import { readFile } from 'node:fs/promises'
import { parseCliArgs } from '../parse-args.js'
import { E2eidError } from '@e2eid/shared'
import { startVerifierServer } from '@e2eid/verifier'
import type { VerifierServiceConfigInput } from '@e2eid/verifier'
import type { CliIo } from '../io.js'
import { UsageError, fileError, reportError } from '../errors.js'
import { serverLogger } from '../logging.js'
import { HELP_OPTION, LOG_LEVEL_OPTION, defineCommand, helpText, parserOptions } from '../command-help.js'
import { untilStopped } from '../until-stopped.js'

/** The options and help of `e2eid verifier serve`: the one source of its parser and its --help. */
export const VERIFIER_SERVE_HELP = defineCommand({
  usage: 'e2eid verifier serve [--port N] [--host H] [--config FILE] [--requests-token TOKEN] [--log-level LEVEL]',
  summary:
    'Runs the OpenID4VP verifier service until SIGINT or SIGTERM: it creates presentation requests (DCQL, direct_post) and verifies ' +
    'the SD-JWT VC and SD-CWT presentations wallets send. Logs are JSON lines on stdout, one readable line each on a terminal.',
  options: {
    port: { type: 'string', arg: 'N', desc: 'The TCP port to listen on.', defaultIs: '8081' },
    host: { type: 'string', arg: 'H', desc: 'The interface to listen on (0.0.0.0 in a container, behind TLS).', defaultIs: '127.0.0.1' },
    config: {
      type: 'string',
      arg: 'FILE',
      desc: 'The JSON configuration: authorities, policy, dcql_query, public_url (see the verifier README).',
      defaultIs: 'trust the local issuer at $E2EID_ISSUER_URL, else http://127.0.0.1:8080',
    },
    'requests-token': {
      type: 'string',
      arg: 'TOKEN',
      desc: 'Make POST /requests need Authorization: Bearer TOKEN (at least 16 characters); $E2EID_VERIFIER_REQUESTS_TOKEN also sets it and keeps it out of the process list.',
      defaultIs: 'no token needed',
    },
    ...LOG_LEVEL_OPTION,
    ...HELP_OPTION,
  },
})

const USAGE = helpText(VERIFIER_SERVE_HELP)

/**
 * The configuration used without --config: trust the local issuer, accept the credential types of its default
 * configurations (`<issuer>/vct/<configuration id>`, the issuer's default vct) in either format. The request asks
 * for SD-CWT too (`request_sd_cwt`), so that the local story shows both formats; a verifier's default asks for
 * SD-JWT VC only (third-party wallets refuse a query naming the project-defined SD-CWT format).
 */
export function localDemoConfig(issuerUrl: string): VerifierServiceConfigInput {
  const iss = issuerUrl.replace(/\/+$/, '')
  return {
    authorities: [{ issuer: iss, jwt_vc_issuer: true, cose_key_set_uri: `${iss}/.well-known/cose-keys` }],
    policy: { credential_types: [`${iss}/vct/mimi_identity_sd_jwt`, `${iss}/vct/mimi_identity_sd_cwt`] },
    request_sd_cwt: true,
    allow_insecure_loopback: true,
  }
}

/** Runs `e2eid verifier …`. */
export async function run(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const [sub, ...rest] = argv
  if (sub !== 'serve') {
    if (sub === '--help' || sub === '-h') io.stdout(USAGE)
    else io.stderr(sub === undefined ? USAGE : `e2eid verifier: unknown subcommand '${sub}'\n\n${USAGE}`)
    return sub === '--help' || sub === '-h' ? 0 : 2
  }
  let running
  try {
    let values
    try {
      values = parseCliArgs({ args: rest, options: parserOptions(VERIFIER_SERVE_HELP.options), strict: true }).values
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e))
    }
    if (values.help === true) {
      io.stdout(USAGE)
      return 0
    }
    if (values.port !== undefined && (!/^[0-9]{1,5}$/.test(values.port) || Number(values.port) > 65535)) throw new UsageError('--port must be a port number')
    const logger = serverLogger(values['log-level'], process.env, 'verifier')
    let config: VerifierServiceConfigInput
    if (values.config !== undefined) {
      let text: string
      try {
        text = await readFile(values.config, 'utf8')
      } catch (e) {
        throw fileError(e, values.config, '--config', 'config file')
      }
      try {
        config = JSON.parse(text) as VerifierServiceConfigInput
      } catch (e) {
        throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', `config file ${values.config} is not JSON: ${e instanceof Error ? e.message : String(e)}`, { hint: 'see the verifier README for the configuration file' })
      }
    } else {
      config = localDemoConfig(process.env.E2EID_ISSUER_URL ?? 'http://127.0.0.1:8080')
    }
    const requestsToken = values['requests-token'] ?? process.env.E2EID_VERIFIER_REQUESTS_TOKEN
    running = await startVerifierServer({
      config,
      port: values.port === undefined ? 8081 : Number(values.port),
      ...(values.host === undefined ? {} : { host: values.host }),
      logger,
      ...(requestsToken === undefined || requestsToken === '' ? {} : { requestsToken }),
    })
  } catch (e) {
    return reportError(io, e, { command: 'e2eid verifier serve', usage: USAGE, fallbackCode: 'ERR_VERIFIER_FAILED' })
  }
  io.stdout(`e2eid verifier listening on ${running.url} (public URL ${running.publicUrl})\n  new request: POST ${running.publicUrl}/requests  ·  page: ${running.publicUrl}/`)
  await untilStopped(signal)
  await running.close()
  return 0
}
