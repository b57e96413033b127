/**
 * @module status-list/encode
 * The StatusList structure in JSON (draft-20 §4.2: `{bits, lst: base64url(zlib)}`) and CBOR
 * (§4.3: text keys, `lst` raw zlib bytes) forms, to and from {@link StatusList}.
 */
import { E2eidError } from '../errors.js'
import { base64urlDecode, base64urlEncode } from '../encoding/base64url.js'
import type { StatusListCompression } from './compression.js'
import { DEFAULT_MAX_DECOMPRESSED_BYTES, webCompression } from './compression.js'
import { StatusList, assertStatusListBits } from './list.js'

/** JSON StatusList (§4.2). */
export interface StatusListJson {
  bits: number
  lst: string
  aggregation_uri?: string
}

/** CBOR StatusList (§4.3) as plain values (the CWT layer turns it into a text-keyed map). */
export interface StatusListCborValue {
  bits: number
  lst: Uint8Array
  aggregation_uri?: string
}

/** Options shared by the decoders. */
export interface DecodeStatusListOptions {
  /** Compression backend (default: Web Compression Streams; pass `nodeCompression` on servers). */
  compression?: StatusListCompression
  /** Cap on the decompressed byte array (default 16 MiB). */
  maxDecompressedBytes?: number
}

/** Options for the encoders. */
export interface EncodeStatusListOptions {
  compression?: StatusListCompression
  aggregationUri?: string
}

/** Compresses the list's bytes as ZLIB (§4.1 step 4). */
export async function compressStatusList(list: StatusList, compression: StatusListCompression = webCompression): Promise<Uint8Array> {
  return compression.compress('zlib', list.bytes)
}

/** Inflates a ZLIB `lst` into a {@link StatusList} of `bits` (size = bytes * 8 / bits). */
export async function decompressStatusList(lst: Uint8Array, bits: unknown, options: DecodeStatusListOptions = {}): Promise<StatusList> {
  assertStatusListBits(bits)
  const compression = options.compression ?? webCompression
  const bytes = await compression.decompress('zlib', lst, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES)
  return new StatusList(bytes, bits)
}

/** Encodes the JSON StatusList (§4.2). */
export async function encodeStatusListJson(list: StatusList, options: EncodeStatusListOptions = {}): Promise<StatusListJson> {
  const out: StatusListJson = { bits: list.bits, lst: base64urlEncode(await compressStatusList(list, options.compression)) }
  if (options.aggregationUri !== undefined) out.aggregation_uri = options.aggregationUri
  return out
}

/** Encodes the CBOR StatusList value (§4.3). */
export async function encodeStatusListCbor(list: StatusList, options: EncodeStatusListOptions = {}): Promise<StatusListCborValue> {
  const out: StatusListCborValue = { bits: list.bits, lst: await compressStatusList(list, options.compression) }
  if (options.aggregationUri !== undefined) out.aggregation_uri = options.aggregationUri
  return out
}

function asObject(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new E2eidError('ERR_STATUS_LIST_INVALID', 'StatusList must be an object')
  }
  return v as Record<string, unknown>
}

/** Decodes an untrusted JSON StatusList (§4.2): `bits`, base64url `lst` without padding, optional `aggregation_uri`. */
export async function decodeStatusListJson(value: unknown, options: DecodeStatusListOptions = {}): Promise<StatusList> {
  const o = asObject(value)
  if (typeof o.lst !== 'string') throw new E2eidError('ERR_STATUS_LIST_INVALID', 'StatusList "lst" must be a string')
  if (o.aggregation_uri !== undefined && typeof o.aggregation_uri !== 'string') {
    throw new E2eidError('ERR_STATUS_LIST_INVALID', 'StatusList "aggregation_uri" must be a string')
  }
  assertStatusListBits(o.bits)
  let lst: Uint8Array
  try {
    lst = base64urlDecode(o.lst)
  } catch (e) {
    throw new E2eidError('ERR_STATUS_LIST_INVALID', 'StatusList "lst" is not base64url without padding', { cause: e })
  }
  return decompressStatusList(lst, o.bits, options)
}

/**
 * Decodes a CBOR StatusList (§4.3) already decoded from CBOR: a Map (or object) with text keys
 * `bits`, `lst` (bstr) and optional `aggregation_uri`.
 */
export async function decodeStatusListCbor(value: unknown, options: DecodeStatusListOptions = {}): Promise<StatusList> {
  const get = (k: string): unknown => (value instanceof Map ? value.get(k) : asObject(value)[k])
  if (!(value instanceof Map)) asObject(value)
  const lst = get('lst')
  if (!(lst instanceof Uint8Array)) throw new E2eidError('ERR_STATUS_LIST_INVALID', 'StatusList "lst" must be a byte string')
  const agg = get('aggregation_uri')
  if (agg !== undefined && typeof agg !== 'string') throw new E2eidError('ERR_STATUS_LIST_INVALID', 'StatusList "aggregation_uri" must be a text string')
  return decompressStatusList(lst, get('bits'), options)
}
