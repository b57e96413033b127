/**
 * @module vectors/status-list
 * The golden Token Status List vectors of specs/vectors/status-list/ (draft-ietf-oauth-status-list-20):
 * a `statuslist+jwt` (§5.1) and a `statuslist+cwt` (§5.2) token signed by the issuer's own signers
 * (`createStatusListJwtAdapter` / `createStatusListCwtAdapter` of @e2eid/issuer, as `/status-lists/{id}`
 * serves them) with the test-only Ed25519 issuer key of specs/vectors/sd-cwt/keys.
 *
 * Compressed bytes depend on the zlib build, so the compressed list is an
 * INPUT here (`list.zlib`, made once by node:zlib level 9 as the issuer does): the tokens are signed over those
 * stored bytes, never over a fresh compression, and the generator first checks that they inflate to exactly the
 * list `params.json` describes. `generate.mjs --recompress` remakes `list.zlib` (then every token changes).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { E2eidError, StatusList, base64urlEncode, bytesEqual, decodeCbor, decodeCoseSign1, decodeJwtUnverified, hexEncode, parsePrivateJwk, publicJwkOf, statusTypeName, utf8Decode } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk, StatusListBits, StatusListCompression } from '@e2eid/shared'
import { nodeCompression } from '@e2eid/shared/node'
import { createStatusListCwtAdapter, createStatusListJwtAdapter } from '@e2eid/issuer'
import type { IssuerSigningKey } from '@e2eid/issuer'

/** params.json of specs/vectors/status-list. */
export interface StatusListGoldenParams {
  bits: StatusListBits
  size: number
  /** The entries that are not 0 (VALID), index → status. */
  statuses: Record<string, number>
  iat: number
  exp: number
  ttl: number
  /** `sub` of each token: the URI it is served at. */
  jwt: { uri: string }
  cwt: { uri: string }
}

/** Everything the vectors are made from. */
export interface StatusListGoldenInputs {
  params: StatusListGoldenParams
  issuerKey: PrivateJwk
  /** The stored ZLIB (RFC 1950) compressed list (`list.zlib`). */
  compressed: Uint8Array
}

/** The input files, relative to specs/vectors/status-list. */
export const STATUS_LIST_GOLDEN_INPUT_FILES = ['params.json', 'list.zlib', '../sd-cwt/keys/issuer.private.jwk.json'] as const

/** Reads the inputs from the vector directory; `compressed` is empty when list.zlib does not exist yet. */
export async function readStatusListGoldenInputs(dir: string): Promise<StatusListGoldenInputs> {
  const compressed = await readFile(join(dir, 'list.zlib')).then(
    (b) => new Uint8Array(b),
    () => new Uint8Array(0),
  )
  return {
    params: JSON.parse(await readFile(join(dir, 'params.json'), 'utf8')) as StatusListGoldenParams,
    issuerKey: parsePrivateJwk(JSON.parse(await readFile(join(dir, '../sd-cwt/keys/issuer.private.jwk.json'), 'utf8'))),
    compressed,
  }
}

/** The list `params.json` describes: `size` entries of `bits`, all 0 except `statuses`. */
export function statusListFromParams(p: StatusListGoldenParams): StatusList {
  const list = StatusList.create(p.size, p.bits)
  for (const [i, v] of Object.entries(p.statuses)) list.set(Number(i), v)
  return list
}

/**
 * A compression that "compresses" by handing back the stored bytes, after checking that it is asked for
 * exactly the list they hold; decompression is node:zlib's.
 */
function storedCompression(compressed: Uint8Array, list: StatusList): StatusListCompression {
  return {
    name: 'stored',
    async compress(format, data) {
      if (format !== 'zlib' || !bytesEqual(data, list.bytes)) throw new E2eidError('ERR_CLI_GOLDEN_LIST_MISMATCH', 'asked to compress another list than the stored one')
      return compressed.slice()
    },
    decompress: (format, data, max) => nodeCompression.decompress(format, data, max),
  }
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2) + '\n'

const HEADER_LABELS: Readonly<Record<string, string>> = { '1': 'alg', '4': 'kid', '16': 'typ' }
const CLAIM_LABELS: Readonly<Record<string, string>> = { '1': 'iss', '2': 'sub', '4': 'exp', '6': 'iat', '65533': 'status_list', '65534': 'ttl' }

/**
 * CBOR values as JSON for the decoded views: byte strings as h'…', map keys as text in their CBOR order
 * (labelled "2 (sub)", so that JSON does not reorder integer keys).
 */
function cborJson(v: unknown, labels: Readonly<Record<string, string>> = {}): unknown {
  if (v instanceof Uint8Array) return `h'${hexEncode(v)}'`
  if (v instanceof Map) {
    return Object.fromEntries([...v].map(([k, x]) => {
      const label = labels[String(k)]
      return [typeof k === 'number' ? `${k}${label === undefined ? '' : ` (${label})`}` : String(k), cborJson(x)]
    }))
  }
  if (Array.isArray(v)) return v.map((x) => cborJson(x))
  return v
}

/**
 * Generates every output file from the inputs. With `recompress`, `list.zlib` is remade with node:zlib (level 9,
 * the issuer's compression) and written too; otherwise the stored one is used and must inflate to the list.
 */
export async function generateStatusListGoldenVectors(
  inputs: StatusListGoldenInputs,
  provider: CryptoProvider,
  options: { recompress?: boolean } = {},
): Promise<Map<string, string | Uint8Array>> {
  const p = inputs.params
  const list = statusListFromParams(p)
  const compressed = options.recompress === true ? await nodeCompression.compress('zlib', list.bytes) : inputs.compressed
  if (compressed.length === 0) throw new E2eidError('ERR_CLI_GOLDEN_LIST_MISMATCH', 'list.zlib is missing: run generate.mjs --recompress')
  const inflated = await nodeCompression.decompress('zlib', compressed, list.bytes.length + 1)
  if (!bytesEqual(inflated, list.bytes)) throw new E2eidError('ERR_CLI_GOLDEN_LIST_MISMATCH', 'list.zlib does not inflate to the list of params.json: run generate.mjs --recompress')

  const key = inputs.issuerKey
  const signingKey: IssuerSigningKey = { kid: key.kid ?? '', alg: 'EdDSA', privateJwk: key, publicJwk: publicJwkOf(key) }
  const compression = storedCompression(compressed, list)
  const common = { bits: p.bits, data: list.bytes, iat: p.iat, exp: p.exp, ttl: p.ttl, signingKey, crypto: provider }
  const jwt = (await createStatusListJwtAdapter(compression).sign({ ...common, uri: p.jwt.uri })) as string
  const cwt = (await createStatusListCwtAdapter(compression).sign({ ...common, uri: p.cwt.uri })) as Uint8Array

  const decodedJwt = decodeJwtUnverified(jwt)
  const sign1 = decodeCoseSign1(cwt)
  const statuses = Object.fromEntries(
    Object.entries(p.statuses)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([i, v]) => [i, { status: v, name: statusTypeName(v) }]),
  )
  const files = new Map<string, string | Uint8Array>([
    ['statuslist.jwt', jwt + '\n'],
    ['statuslist.jwt.decoded.json', pretty({ header: decodedJwt.header, payload: decodedJwt.payload })],
    ['statuslist.cwt', cwt],
    ['statuslist.cwt.hex', hexEncode(cwt) + '\n'],
    [
      'statuslist.cwt.decoded.json',
      pretty({
        tag: 18,
        protected: cborJson(sign1.protectedHeaders, HEADER_LABELS),
        unprotected: cborJson(sign1.unprotectedHeaders, HEADER_LABELS),
        kid_utf8: utf8Decode(sign1.unprotectedHeaders.get(4) as Uint8Array),
        payload: cborJson(decodeCbor(sign1.payload!), CLAIM_LABELS),
        signature: cborJson(sign1.signature),
      }),
    ],
    [
      'decoded-list.json',
      pretty({
        bits: p.bits,
        size: list.size,
        byte_length: list.bytes.length,
        note: 'every index not listed in statuses is 0 (VALID)',
        statuses,
        lst_hex: hexEncode(compressed),
        lst_base64url: base64urlEncode(compressed),
      }),
    ],
  ])
  if (options.recompress === true) files.set('list.zlib', compressed)
  return files
}
