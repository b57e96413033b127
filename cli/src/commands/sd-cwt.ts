/**
 * @module commands/sd-cwt
 * `e2eid sd-cwt issue|present|verify|inspect` (draft-ietf-spice-sd-cwt-08). Argument parsing, files
 * and output only; the work is in `sd-cwt/ops.ts`. Exit codes: 0 ok, 1 invalid input (stdout
 * `{"error":{"code","message"}}`), 2 usage (unknown flag, missing flag, malformed flag value, unreadable file).
 */
import { readFile } from 'node:fs/promises'
import { parseCliArgs } from '../parse-args.js'
import { HELP_OPTION, defineCommand, helpText, parserOptions } from '../command-help.js'
import type { OptionTable } from '../command-help.js'
import { E2eidError, hexEncode } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import type { CliIo } from '../io.js'
import { UsageError, fileError, reportError, toCliError } from '../errors.js'
import { parsePrivateKeyFile, parsePublicKeyFile, parseTokenFile } from './sd-cwt/files.js'
import { renderInspection } from './sd-cwt/view.js'
import { inspectToken, issueFromClaimsFile, presentSdCwt, splitPaths, verifyKbt, VERIFY_SKEW_SECONDS } from './sd-cwt/ops.js'
import { KEY_BINDING_OPTIONS, cnonceFromFlag, maxKbtAgeFlag } from './presentation-nonce.js'

const GROUP_USAGE = `usage: e2eid sd-cwt <issue|present|verify|inspect> [options]

  issue     issue an SD-CWT from a claims file (prints hex)
  present   build a Key Binding Token disclosing chosen claims (prints hex)
  verify    verify a KBT and print the disclosed claims as JSON
  inspect   diagnostic view of an SD-CWT or a KBT (nothing is verified)

Run 'e2eid sd-cwt <subcommand> --help' for its options. Profile: specs/sd-cwt-profile.md
`

const PATH_NOTE = `PATH: labels joined with dots, integer labels in decimal, array positions as numbers:
  email   address.country   503.country   roles.1   "a.b" (a quoted segment is a text label)`

/** The options and help of every `e2eid sd-cwt` subcommand: the one source of its parser and its --help. */
export const SD_CWT_HELP = {
  issue: defineCommand({
    usage: 'e2eid sd-cwt issue --claims FILE --issuer-key FILE --holder-key FILE [--decoys N] [--now UNIX]',
    summary: "Issues an SD-CWT (typ 293, sd_alg SHA-256, cnf = the holder's COSE_Key) and prints it as hex.",
    options: {
      claims: {
        type: 'string',
        arg: 'FILE',
        desc:
          'A JSON file {"claims": {...}, "redact": [PATH, ...], "decoys": {PATH: N}, "validFor": SECONDS}: keys "1", "-2" are integer labels ' +
          '("\\"1\\"" is the text label 1), {"bstr": "<base64url>"} is a byte string, {"tag": N, "value": V} a tag; "redact" lists what the ' +
          'holder may withhold (a container and something inside it: nested); "validFor" sets exp = now + SECONDS. Required.',
      },
      'issuer-key': { type: 'string', arg: 'FILE', desc: "The issuer's private key: JWK (its kid goes into the protected header) or COSE_Key; required." },
      'holder-key': { type: 'string', arg: 'FILE', desc: "The holder's key, public or private: JWK or COSE_Key (hex or raw CBOR); it becomes cnf. Required." },
      decoys: { type: 'string', arg: 'N', desc: 'The number of decoy digests in the top-level claims map (0 to 1000).', defaultIs: '0' },
      now: { type: 'string', arg: 'UNIX', desc: 'The issue time in Unix seconds (iat, and the base of validFor).', defaultIs: 'now' },
    },
    notes: PATH_NOTE,
  }),
  present: defineCommand({
    usage: 'e2eid sd-cwt present --sd-cwt FILE --holder-key FILE --disclose PATH[,PATH...] --aud STR [--nonce HEX|TEXT] [--now UNIX]',
    summary:
      'Builds a Key Binding Token (typ 294) that carries the SD-CWT with only the disclosures needed for the PATHs, signs it with the ' +
      'holder key and prints it as hex. Disclosing a nested claim discloses the containers above it; a disclosed container is shown ' +
      'whole. --disclose "" discloses nothing.',
    options: {
      'sd-cwt': { type: 'string', arg: 'FILE', desc: 'The SD-CWT as issued (hex, whitespace allowed, or raw CBOR); required.' },
      'holder-key': { type: 'string', arg: 'FILE', desc: "The holder's private key (JWK or COSE_Key); it must be the SD-CWT's cnf key. Required." },
      disclose: { type: 'string', multiple: true, arg: 'PATHS', desc: 'The claims to disclose, as comma-separated PATHs, e.g. email,address.country,roles.1; required.' },
      aud: { type: 'string', arg: 'STR', desc: 'The verifier, put in the KBT as aud; required and not empty.' },
      nonce: { type: 'string', arg: 'HEX|TEXT', desc: "The verifier's nonce, put in the KBT as cnonce: hex bytes, or if not hex the UTF-8 text.", defaultIs: 'no cnonce' },
      now: { type: 'string', arg: 'UNIX', desc: 'The KBT iat in Unix seconds.', defaultIs: 'now' },
    },
    notes: PATH_NOTE,
  }),
  verify: defineCommand({
    usage: 'e2eid sd-cwt verify --kbt FILE --issuer-key FILE --aud STR [--nonce HEX|TEXT | --any-nonce] [--max-kbt-age N] [--now UNIX]',
    summary:
      `Verifies a presentation (draft-ietf-spice-sd-cwt-08 §9, key binding always required; clock skew ${VERIFY_SKEW_SECONDS} s; the KBT iat ` +
      'at most --max-kbt-age s old); nonce and age rules are those of `e2eid verify`. Exit 0: stdout is the Validated Disclosed Claims Set ' +
      'as one JSON object (integer labels as decimal strings, byte strings as unpadded base64url, other tags as {"tag": N, "value": V}). ' +
      'Exit 1: {"error":{"code","message"}}.',
    options: {
      kbt: { type: 'string', arg: 'FILE', desc: 'The KBT (hex, whitespace allowed, or raw CBOR); required.' },
      'issuer-key': { type: 'string', arg: 'FILE', desc: 'The trusted issuer public key: JWK or COSE_Key (hex or raw CBOR); required.' },
      aud: { type: 'string', arg: 'STR', desc: 'This verifier; the KBT aud must equal it. Required.' },
      nonce: {
        type: 'string',
        arg: 'HEX|TEXT',
        desc: 'The nonce this verifier issued (hex, or if not hex its UTF-8 text); the KBT cnonce must equal it. Without it a KBT carrying a cnonce is refused (ERR_VERIFY_NONCE_UNEXPECTED).',
      },
      ...KEY_BINDING_OPTIONS,
    },
  }),
  inspect: defineCommand({
    usage: 'e2eid sd-cwt inspect FILE [--json]',
    summary:
      'Prints a diagnostic-notation view of an SD-CWT or a KBT (hex or raw CBOR): headers, claims as signed, each redaction and where it ' +
      'is listed, each disclosure with its digest, and the claims the disclosures reveal. Nothing is verified (no signatures, no times).',
    options: { json: { type: 'boolean', desc: 'Print the same view as one JSON object.' } },
  }),
} as const

const ISSUE_USAGE = helpText(SD_CWT_HELP.issue)
const PRESENT_USAGE = helpText(SD_CWT_HELP.present)
const VERIFY_USAGE = helpText(SD_CWT_HELP.verify)
const INSPECT_USAGE = helpText(SD_CWT_HELP.inspect)

type Values = Record<string, string | boolean | string[] | undefined>

/** Parses with the options of a help table (and -h/--help), so every parsed option has its help. */
function parse(argv: string[], table: OptionTable, positionals = false): { values: Values; positionals: string[] } {
  try {
    const r = parseCliArgs({ args: argv, options: parserOptions({ ...table, ...HELP_OPTION }), strict: true, allowPositionals: positionals })
    return { values: r.values as Values, positionals: r.positionals }
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
}

function required(values: Values, ...names: string[]): void {
  const missing = names.filter((n) => values[n] === undefined)
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((n) => '--' + n).join(', ')}`)
}

function str(values: Values, name: string): string {
  const v = values[name]
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`)
  return v
}

function unixSeconds(values: Values): number {
  const v = values.now
  if (v === undefined) return Math.floor(Date.now() / 1000)
  if (typeof v !== 'string' || !/^[0-9]{1,12}$/.test(v)) throw new UsageError('--now must be Unix seconds (a non-negative integer)')
  return Number(v)
}

// The same --nonce as `e2eid verify`: hex bytes, or when not hex the UTF-8 bytes of the text.
function nonce(values: Values): Uint8Array | undefined {
  const v = values.nonce
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v === '') throw new UsageError('--nonce needs a value')
  return cnonceFromFlag(v)
}

/** A missing or unreadable file is a failure (exit 1, ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE naming the flag). */
async function readInput(path: string, what: string, flag: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (e) {
    throw fileError(e, path, flag, what)
  }
}

async function issue(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, SD_CWT_HELP.issue.options)
  if (values.help === true) return help(io, ISSUE_USAGE)
  required(values, 'claims', 'issuer-key', 'holder-key')
  const now = unixSeconds(values)
  let decoys = 0
  if (values.decoys !== undefined) {
    if (typeof values.decoys !== 'string' || !/^[0-9]{1,4}$/.test(values.decoys) || Number(values.decoys) > 1000) throw new UsageError('--decoys must be an integer from 0 to 1000')
    decoys = Number(values.decoys)
  }
  const claimsBytes = await readInput(str(values, 'claims'), 'claims file', '--claims')
  const issuerBytes = await readInput(str(values, 'issuer-key'), 'issuer key file', '--issuer-key')
  const holderBytes = await readInput(str(values, 'holder-key'), 'holder key file', '--holder-key')
  return invalidInput(io, async () => {
    let claimsText: string
    try {
      claimsText = new TextDecoder('utf-8', { fatal: true }).decode(claimsBytes)
    } catch (e) {
      throw new E2eidError('ERR_CLI_CLAIMS_INVALID', 'the claims file is not UTF-8', { cause: e })
    }
    const sdCwt = await issueFromClaimsFile({
      claimsText,
      issuerKey: parsePrivateKeyFile(issuerBytes),
      holderKey: parsePublicKeyFile(holderBytes),
      decoys,
      now,
      provider: createNodeCryptoProvider(),
    })
    io.stdout(hexEncode(sdCwt) + '\n')
  })
}

async function present(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, SD_CWT_HELP.present.options)
  if (values.help === true) return help(io, PRESENT_USAGE)
  required(values, 'sd-cwt', 'holder-key', 'disclose', 'aud')
  const now = unixSeconds(values)
  const cnonce = nonce(values)
  const aud = str(values, 'aud')
  if (aud.length === 0) throw new UsageError('--aud must not be empty')
  const sdCwtBytes = await readInput(str(values, 'sd-cwt'), 'SD-CWT file', '--sd-cwt')
  const keyBytes = await readInput(str(values, 'holder-key'), 'holder key file', '--holder-key')
  return invalidInput(io, async () => {
    const disclose = (values.disclose as string[]).flatMap((v) => splitPaths(v))
    const kbt = await presentSdCwt({
      sdCwt: parseTokenFile(sdCwtBytes),
      holderKey: parsePrivateKeyFile(keyBytes),
      disclose,
      aud,
      now,
      provider: createNodeCryptoProvider(),
      ...(cnonce === undefined ? {} : { cnonce }),
    })
    io.stdout(hexEncode(kbt) + '\n')
  })
}

async function verify(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, SD_CWT_HELP.verify.options)
  if (values.help === true) return help(io, VERIFY_USAGE)
  required(values, 'kbt', 'issuer-key', 'aud')
  const now = values.now === undefined ? Date.now() / 1000 : unixSeconds(values)
  const cnonce = nonce(values)
  const anyNonce = values['any-nonce'] === true
  if (cnonce !== undefined && anyNonce) throw new UsageError('give --nonce or --any-nonce, not both')
  let maxKbtAge: number
  try {
    maxKbtAge = maxKbtAgeFlag(typeof values['max-kbt-age'] === 'string' ? values['max-kbt-age'] : undefined)
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
  const kbtBytes = await readInput(str(values, 'kbt'), 'KBT file', '--kbt')
  const keyBytes = await readInput(str(values, 'issuer-key'), 'issuer key file', '--issuer-key')
  return invalidInput(io, async () => {
    const claims = await verifyKbt({
      kbt: parseTokenFile(kbtBytes),
      issuerKey: parsePublicKeyFile(keyBytes),
      aud: str(values, 'aud'),
      now,
      provider: createNodeCryptoProvider(),
      maxKbtAge,
      refuseUnexpectedNonce: !anyNonce,
      ...(cnonce === undefined ? {} : { cnonce }),
    })
    io.stdout(JSON.stringify(claims) + '\n')
  })
}

async function inspect(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, SD_CWT_HELP.inspect.options, true)
  if (values.help === true) return help(io, INSPECT_USAGE)
  if (positionals.length !== 1) throw new UsageError('inspect takes exactly one FILE')
  const bytes = await readInput(positionals[0]!, 'token file', 'the FILE argument')
  return invalidInput(io, () => {
    const token = parseTokenFile(bytes)
    const provider = createNodeCryptoProvider()
    const view = inspectToken(token, provider)
    if (values.json === true) {
      const { text: _text, ...rest } = view
      io.stdout(JSON.stringify(rest, null, 2) + '\n')
    } else io.stdout(renderInspection(token, view, provider) + '\n')
    return Promise.resolve()
  })
}

function help(io: CliIo, usage: string): number {
  io.stdout(usage)
  return 0
}

/** Runs `body`; an E2eidError (or any other failure) becomes exit 1 and `{"error":{"code","message"}}` on stdout. */
async function invalidInput(io: CliIo, body: () => Promise<void>): Promise<number> {
  try {
    await body()
    return 0
  } catch (e) {
    if (e instanceof UsageError) throw e
    io.stdout(JSON.stringify(toCliError(e).toJSON()) + '\n')
    return 1
  }
}

const SUBCOMMANDS: Record<string, { run: (argv: string[], io: CliIo) => Promise<number>; usage: string }> = {
  issue: { run: issue, usage: ISSUE_USAGE },
  present: { run: present, usage: PRESENT_USAGE },
  verify: { run: verify, usage: VERIFY_USAGE },
  inspect: { run: inspect, usage: INSPECT_USAGE },
}

/** Runs `e2eid sd-cwt <subcommand> ...`; returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io[sub === undefined ? 'stderr' : 'stdout'](GROUP_USAGE)
    return sub === undefined ? 2 : 0
  }
  const cmd = SUBCOMMANDS[sub]
  if (cmd === undefined) {
    io.stderr(`e2eid sd-cwt: unknown subcommand '${sub}'\n\n${GROUP_USAGE}`)
    return 2
  }
  try {
    return await cmd.run(rest, io)
  } catch (e) {
    return reportError(io, e, { command: `e2eid sd-cwt ${sub}`, usage: cmd.usage })
  }
}
