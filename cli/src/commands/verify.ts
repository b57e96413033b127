/**
 * @module commands/verify
 * `e2eid verify --presentation FILE --issuer-key FILE --aud STR [--nonce STR | --any-nonce] [--max-kbt-age N] [--now UNIX]
 *   [--typ STR] [--no-kb] [--status skip|if-present|required] [--allow-insecure-loopback]`
 *
 * Detects the format (an SD-CWT KBT as hex or raw CBOR; an SD-JWT, compact text ending in `~` or in a KB-JWT, or
 * its JWS JSON Serialization of RFC 9901 §8)
 * and verifies it with the one pinned issuer key. Key binding is required unless `--no-kb`. `--typ` overrides the
 * expected typ (defaults: `dc+sd-jwt`; 293/294 for SD-CWT); an SD-JWT typ other than `dc+sd-jwt` / `vc+sd-jwt`
 * (e.g. RFC 9901's `example+sd-jwt`) verifies a plain RFC 9901 SD-JWT, without the SD-JWT VC rules (no vct needed).
 * Nonce and key-binding age as in `e2eid sd-cwt verify` (commands/presentation-nonce.ts): for an SD-CWT,
 * `--nonce` is the KBT `cnonce` as hex, or when not hex its UTF-8 text; without `--nonce` a presentation carrying a
 * nonce is refused unless `--any-nonce`; the key-binding token may be 300 s old unless `--max-kbt-age`.
 * By default no status list is fetched (no network): the result then says nothing about revocation. With
 * `--status if-present|required` the credential's Token Status List is fetched from its `uri` and must be signed by
 * the same issuer key; a revoked or suspended credential, an unreachable or unsigned list exit 1 with its code.
 *
 * Exit 0 and the disclosed claims as one JSON object (SD-JWT: the processed payload; SD-CWT: the Validated
 * Disclosed Claims Set); exit 1 and {"error":{"code","message"}}; exit 2 for usage errors.
 */
import { readFile } from 'node:fs/promises'
import { parseCliArgs } from '../parse-args.js'
import type { PublicJwk } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { createHttpClient, createStatusChecker, detectPresentation, pinnedKeyTrustStore, verifyPresentation } from '@e2eid/verifier'
import type { VerifierContext, VerifierPolicy } from '@e2eid/verifier'
import type { CliIo } from '../io.js'
import { UsageError, fileError, reportError } from '../errors.js'
import { HELP_OPTION, defineCommand, helpText, parserOptions } from '../command-help.js'
import { parsePublicKeyFile } from './sd-cwt/files.js'
import { KEY_BINDING_OPTIONS, cnonceFromFlag, maxKbtAgeFlag, presentationHasNonce, refuseUnexpectedNonce } from './presentation-nonce.js'

/** The options and help of `e2eid verify`: the one source of its parser and its --help. */
export const VERIFY_HELP = defineCommand({
  usage:
    'e2eid verify --presentation FILE --issuer-key FILE --aud STR [--nonce STR | --any-nonce] [--max-kbt-age N]\n' +
    '                    [--now UNIX] [--typ STR] [--no-kb] [--status skip|if-present|required] [--allow-insecure-loopback]',
  summary:
    'Verifies an SD-CWT KBT or an SD-JWT (+KB-JWT) presentation and prints the disclosed claims as JSON: it checks the issuer signature, ' +
    'every disclosure, the validity times (clock skew 60 s) and the key binding (aud, nonce, signed by the cnf key, issued at most ' +
    '--max-kbt-age s before --now), as `e2eid sd-cwt verify` does. With --status if-present or required, it also fetches the status ' +
    'list named by the credential (https only, no redirects), checks that the issuer key signed it, and refuses a credential that is ' +
    'not VALID (ERR_STATUS_REVOKED, ERR_STATUS_SUSPENDED) or whose list cannot be had.',
  options: {
    presentation: {
      type: 'string',
      arg: 'FILE',
      desc: 'The presentation: an SD-CWT KBT (hex or raw CBOR) or an SD-JWT (+KB-JWT) as compact text or its JWS JSON serialization (RFC 9901 §8, Flattened or General); required.',
    },
    'issuer-key': { type: 'string', arg: 'FILE', desc: "The issuer's public key: a JWK (JSON) or, for SD-CWT, a COSE_Key (hex or raw CBOR); required." },
    aud: { type: 'string', arg: 'STR', desc: 'The expected audience of the key-binding token; required.' },
    nonce: {
      type: 'string',
      arg: 'STR',
      desc: 'The expected nonce (SD-JWT: the string; SD-CWT: cnonce as hex, or if not hex its UTF-8 text). Without it a presentation carrying a nonce is refused (ERR_VERIFY_NONCE_UNEXPECTED).',
    },
    ...KEY_BINDING_OPTIONS,
    typ: {
      type: 'string',
      arg: 'STR',
      desc: 'The expected credential typ; another SD-JWT typ (e.g. example+sd-jwt) verifies a plain RFC 9901 SD-JWT, with no vct needed.',
      defaultIs: 'dc+sd-jwt (SD-CWT: 293)',
    },
    'no-kb': { type: 'boolean', desc: 'Do not require key binding (a presentation without a key-binding token is accepted).' },
    status: {
      type: 'string',
      arg: 'MODE',
      desc: "The revocation check through the credential's Token Status List: skip (none), if-present (when the credential names a list) or required (it must name one).",
      defaultIs: 'skip',
    },
    'allow-insecure-loopback': { type: 'boolean', desc: 'Let a status list come over http:// from localhost, 127.0.0.1 or [::1] (local tests only).' },
    ...HELP_OPTION,
  },
})

const USAGE = helpText(VERIFY_HELP)

const STATUS_MODES = ['skip', 'if-present', 'required'] as const
type StatusMode = (typeof STATUS_MODES)[number]

/**
 * Reads an issuer key file: a JWK (or the draft key files' `jwk` member, or a one-key JWK Set), or a
 * COSE_Key as hex text or raw CBOR — the same reader as `e2eid sd-cwt`.
 */
export function parseIssuerKeyFile(bytes: Uint8Array): PublicJwk {
  return parsePublicKeyFile(bytes)
}

function parseNow(v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  if (!/^[0-9]{1,12}$/.test(v)) throw new UsageError('--now must be Unix seconds')
  return Number(v)
}

/** Runs `e2eid verify`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let values
  try {
    values = parseCliArgs({
      args: argv,
      options: parserOptions(VERIFY_HELP.options),
      strict: true,
      allowPositionals: false,
    }).values
  } catch (e) {
    io.stderr(`e2eid verify: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    io.stdout(USAGE)
    return 0
  }
  let now: number | undefined
  let maxKbtAge: number
  try {
    if (values.presentation === undefined || values['issuer-key'] === undefined || values.aud === undefined) {
      throw new UsageError('--presentation, --issuer-key and --aud are required')
    }
    now = parseNow(values.now)
    if (values.nonce !== undefined && values['any-nonce'] === true) throw new UsageError('give --nonce or --any-nonce, not both')
    maxKbtAge = maxKbtAgeFlag(values['max-kbt-age'])
    if (values.status !== undefined && !STATUS_MODES.includes(values.status as StatusMode)) {
      throw new UsageError('--status must be skip, if-present or required')
    }
  } catch (e) {
    io.stderr(`e2eid verify: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`)
    return 2
  }
  try {
    const read = async (path: string, flag: string, what: string): Promise<Uint8Array> => {
      try {
        return new Uint8Array(await readFile(path))
      } catch (e) {
        throw fileError(e, path, flag, what)
      }
    }
    const presentationBytes = await read(values.presentation, '--presentation', 'presentation file')
    const keyBytes = await read(values['issuer-key'], '--issuer-key', 'issuer key file')
    const issuerKey = parseIssuerKeyFile(keyBytes)
    const detected = detectPresentation(presentationBytes)
    const nonce = values.nonce
    const status = (values.status ?? 'skip') as StatusMode
    const policy: VerifierPolicy = {
      aud: values.aud,
      requireKeyBinding: values['no-kb'] !== true,
      keyBindingMaxAgeSeconds: maxKbtAge,
      status,
      ...(now === undefined ? {} : { now: () => now }),
    }
    if (nonce !== undefined) {
      policy.nonce = detected.format === 'sd-cwt' ? cnonceFromFlag(nonce) : nonce
    }
    if (values.typ !== undefined) {
      policy.typ = detected.format === 'sd-cwt' && /^[0-9]{1,9}$/.test(values.typ) ? Number(values.typ) : values.typ
    }
    const input = detected.format === 'sd-cwt' ? detected.bytes : detected.compact
    const provider = createNodeCryptoProvider()
    const context: VerifierContext = { trust: pinnedKeyTrustStore(issuerKey), provider }
    if (status !== 'skip') {
      const http = createHttpClient({ allowInsecureLoopback: values['allow-insecure-loopback'] === true })
      context.status = createStatusChecker({ http, provider, ...(now === undefined ? {} : { now: () => now }) })
    }
    const v = await verifyPresentation(input, policy, context)
    refuseUnexpectedNonce(presentationHasNonce(detected), nonce !== undefined, values['any-nonce'] === true)
    io.stdout(JSON.stringify(v.claims))
    return 0
  } catch (e) {
    return reportError(io, e, { command: 'e2eid verify', usage: USAGE, fallbackCode: 'ERR_VERIFY_FAILED' })
  }
}
