/**
 * @module commands/status-list
 * `e2eid status-list decode --token FILE [--index N] [--key FILE]`
 * `e2eid status-list encode --bits N --size S [--set IDX=VAL[,IDX=VAL...]]`
 *
 * decode: FILE is a Status List Token (draft-ietf-oauth-status-list-20 §5): JWT text, or a CWT as hex or raw
 * bytes. Prints {"bits","size","status"} for one index, or {"bits","size","statuses":[...]} for all.
 * `--key FILE` (a public JWK, or a JWK Set) verifies the signature and `typ` first; without it nothing is verified.
 * No uri is known here, so `sub` and `exp` are not checked (the status client does that).
 * encode: prints {"lst"}: base64url of the ZLIB-compressed list (zlib level 9).
 *
 * Exit 0 ok; 1 and {"error":{"code","message"}} for bad input; 2 for usage errors.
 */
import { readFile } from 'node:fs/promises'
import { parseCliArgs } from '../parse-args.js'
import { UsageError, fileError, reportError } from '../errors.js'
import {
  COSE_HEADER,
  E2eidError,
  STATUS_LIST_CWT_CLAIM,
  STATUS_LIST_CWT_TYP,
  StatusList,
  assertStatusListBits,
  decodeCbor,
  decodeCoseSign1,
  decodeJwtUnverified,
  decodeStatusListCbor,
  decodeStatusListJson,
  encodeStatusListJson,
  hexDecode,
  isE2eidError,
  normalizeTyp,
  parsePublicJwk,
  verifyCoseSign1,
  verifyJwt,
  STATUS_LIST_JWT_TYP,
  DEFAULT_MAX_STATUS_LIST_TOKEN_BYTES,
} from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { createNodeCryptoProvider, nodeCompression } from '@e2eid/shared/node'
import type { CliIo } from '../io.js'
import { asksForHelp, defineCommand, helpText, parserOptions } from '../command-help.js'

const USAGE = `usage: e2eid status-list decode --token FILE [--index N] [--key FILE]
       e2eid status-list encode --bits N --size S [--set IDX=VAL[,IDX=VAL...]]

decode  prints {"bits","size","status"} (with --index) or {"bits","size","statuses"}
  --token FILE   Status List Token: JWT text, or CWT as hex or raw bytes
  --index N      the entry to print
  --key FILE     public JWK (or JWK Set) of the Status Issuer: verify signature and typ first
encode  prints {"lst"}: base64url of the zlib-compressed list
  --bits N       1, 2, 4 or 8
  --size S       number of entries
  --set I=V,...  statuses to set (repeatable); all others are 0

Run 'e2eid status-list decode --help' or 'e2eid status-list encode --help' for one command's help.
`

/** The options and help of `status-list decode` and `encode`: the one source of their parsers and --help. */
export const STATUS_LIST_HELP = {
  decode: defineCommand({
    usage: 'e2eid status-list decode --token FILE [--index N] [--key FILE]',
    summary:
      'Decodes a Status List Token (draft-ietf-oauth-status-list §5) and prints {"bits","size","status"} for one index (--index) ' +
      'or {"bits","size","statuses":[...]} for all. Without --key nothing is verified; sub and exp are never checked here.',
    options: {
      token: { type: 'string', arg: 'FILE', desc: 'The Status List Token: JWT text, or a CWT as hex or raw bytes; required.' },
      index: { type: 'string', arg: 'N', desc: 'The one entry to print (a non-negative integer).', defaultIs: 'print every entry' },
      key: { type: 'string', arg: 'FILE', desc: "The Status Issuer's public JWK (or a JWK Set): verify the token's signature and typ before decoding.", defaultIs: 'no verification' },
    },
  }),
  encode: defineCommand({
    usage: 'e2eid status-list encode --bits N --size S [--set IDX=VAL[,IDX=VAL...]]',
    summary: 'Builds a status list and prints {"lst"}: base64url of the ZLIB-compressed list (zlib level 9).',
    options: {
      bits: { type: 'string', arg: 'N', desc: 'Bits per status entry: 1, 2, 4 or 8; required.' },
      size: { type: 'string', arg: 'S', desc: 'The number of entries in the list; required.' },
      set: { type: 'string', multiple: true, arg: 'IDX=VAL[,...]', desc: 'Statuses to set, as comma-separated index=value pairs; every other entry is 0.' },
    },
  }),
} as const

const HEX = /^([0-9a-fA-F]{2})+$/
const UINT = /^(0|[1-9][0-9]{0,15})$/

function uint(v: string, flag: string): number {
  if (!UINT.test(v)) throw new UsageError(`${flag} must be a non-negative integer`)
  return Number(v)
}

async function readInput(path: string, what: string, flag: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (e) {
    throw fileError(e, path, flag, `${what} file`)
  }
}

function readKeys(bytes: Uint8Array): PublicJwk[] {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (e) {
    throw new E2eidError('ERR_KEY_INVALID', 'key file is not a JSON JWK', { cause: e })
  }
  const keys = (json as { keys?: unknown }).keys
  return Array.isArray(keys) ? keys.map((k) => parsePublicJwk(k)) : [parsePublicJwk(json)]
}

/** A JWT (text with two dots) or a CWT (hex text or raw bytes). */
function classify(bytes: Uint8Array): { jwt: string } | { cwt: Uint8Array } {
  let text: string | undefined
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim()
  } catch {
    text = undefined
  }
  if (text !== undefined && bytes[0] !== 0xd2) {
    const compact = text.replace(/\s+/g, '')
    if (HEX.test(compact)) return { cwt: hexDecode(compact.toLowerCase()) }
    if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(text)) return { jwt: text }
  }
  if (bytes.length > 0 && bytes[0] !== 0xd2 && text !== undefined) {
    throw new E2eidError('ERR_STATUS_LIST_TOKEN_FORMAT', 'token file is neither a JWT, nor a CWT in hex or raw bytes')
  }
  return { cwt: bytes }
}

async function decodeToken(bytes: Uint8Array, keys: PublicJwk[] | undefined): Promise<StatusList> {
  const provider = createNodeCryptoProvider()
  const opts = { compression: nodeCompression }
  const kind = classify(bytes)
  if ('jwt' in kind) {
    let payload: Record<string, unknown>
    if (keys !== undefined) {
      try {
        ;({ payload } = await verifyJwt(kind.jwt, { keys, provider, typ: STATUS_LIST_JWT_TYP, checkTime: false }))
      } catch (e) {
        if (isE2eidError(e, 'ERR_JWT_TYP_MISMATCH')) throw new E2eidError('ERR_STATUS_LIST_TYP_MISMATCH', e.message, { cause: e })
        throw e
      }
    } else {
      const { header, payload: p } = decodeJwtUnverified(kind.jwt)
      if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(STATUS_LIST_JWT_TYP)) {
        throw new E2eidError('ERR_STATUS_LIST_TYP_MISMATCH', `JWT typ ${JSON.stringify(header.typ)} is not ${STATUS_LIST_JWT_TYP}`)
      }
      payload = p
    }
    if (payload.status_list === undefined) throw new E2eidError('ERR_STATUS_LIST_CLAIM_MISSING', 'token has no "status_list"')
    return decodeStatusListJson(payload.status_list, opts)
  }
  const msg = decodeCoseSign1(kind.cwt, { maxBytes: DEFAULT_MAX_STATUS_LIST_TOKEN_BYTES })
  if (msg.protectedHeaders.get(COSE_HEADER.typ) !== STATUS_LIST_CWT_TYP) {
    throw new E2eidError('ERR_STATUS_LIST_TYP_MISMATCH', `CWT typ is not ${STATUS_LIST_CWT_TYP}`)
  }
  if (keys !== undefined) await verifyCoseSign1(msg, { keys, provider })
  if (msg.payload === null) throw new E2eidError('ERR_STATUS_LIST_CLAIMS_INVALID', 'CWT has no payload')
  const claims = decodeCbor(msg.payload, { maxBytes: DEFAULT_MAX_STATUS_LIST_TOKEN_BYTES })
  if (!(claims instanceof Map)) throw new E2eidError('ERR_STATUS_LIST_CLAIMS_INVALID', 'CWT payload is not a claims map')
  const sl = claims.get(STATUS_LIST_CWT_CLAIM.statusList)
  if (sl === undefined) throw new E2eidError('ERR_STATUS_LIST_CLAIM_MISSING', 'token has no status_list (65533)')
  return decodeStatusListCbor(sl, opts)
}

async function decode(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs({ args: argv, options: parserOptions(STATUS_LIST_HELP.decode.options), strict: true, allowPositionals: false })
  if (values.token === undefined) throw new UsageError('--token FILE is required')
  const index = values.index === undefined ? undefined : uint(values.index, '--index')
  const keys = values.key === undefined ? undefined : readKeys(await readInput(values.key, 'key', '--key'))
  const list = await decodeToken(await readInput(values.token, 'token', '--token'), keys)
  if (index !== undefined) {
    io.stdout(JSON.stringify({ bits: list.bits, size: list.size, status: list.get(index) }))
  } else {
    const statuses = new Array<number>(list.size)
    for (let i = 0; i < list.size; i++) statuses[i] = list.get(i)
    io.stdout(JSON.stringify({ bits: list.bits, size: list.size, statuses }))
  }
  return 0
}

async function encode(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs({ args: argv, options: parserOptions(STATUS_LIST_HELP.encode.options), strict: true, allowPositionals: false })
  if (values.bits === undefined || values.size === undefined) throw new UsageError('--bits and --size are required')
  const bits = uint(values.bits, '--bits')
  const size = uint(values.size, '--size')
  const pairs: [number, number][] = []
  for (const group of values.set ?? []) {
    for (const item of group.split(',')) {
      const m = /^([^=]+)=(.+)$/.exec(item.trim())
      if (m === null) throw new UsageError(`--set expects IDX=VAL, got ${JSON.stringify(item)}`)
      pairs.push([uint(m[1]!, '--set index'), uint(m[2]!, '--set value')])
    }
  }
  assertStatusListBits(bits)
  const list = StatusList.create(size, bits)
  for (const [i, v] of pairs) list.set(i, v)
  const { lst } = await encodeStatusListJson(list, { compression: nodeCompression })
  io.stdout(JSON.stringify({ lst }))
  return 0
}

/** Runs `e2eid status-list`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === '--help' || sub === '-h' || asksForHelp(rest)) {
    io.stdout(sub === 'decode' || sub === 'encode' ? helpText(STATUS_LIST_HELP[sub]) : USAGE)
    return 0
  }
  try {
    if (sub === 'decode') return await decode(rest, io)
    if (sub === 'encode') return await encode(rest, io)
    throw new UsageError(sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`)
  } catch (e) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed flags
    const code = (e as { code?: unknown }).code
    const usage = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? new UsageError((e as Error).message) : e
    return reportError(io, usage, { command: 'e2eid status-list', usage: USAGE })
  }
}
