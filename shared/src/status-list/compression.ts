/**
 * @module status-list/compression
 * Compression behind a small interface so the core stays runtime-agnostic: the Web
 * Compression Streams implementation lives here, the node:zlib fast path in `./node-compression.ts`
 * (exported from `@e2eid/shared/node`).
 *
 * Formats: `zlib` = RFC 1950 (Token Status List, draft-20 §4.1 step 4; Compression Streams calls it 'deflate'),
 * `gzip` = RFC 1952 (W3C Bitstring Status List). Decompression always has an output cap: a hostile list can be a
 * decompression bomb.
 */
import { E2eidError } from '../errors.js'
import { readStreamCapped } from '../encoding/stream.js'

/** `zlib` (RFC 1950) or `gzip` (RFC 1952). Raw DEFLATE is never accepted. */
export type CompressionFormat = 'zlib' | 'gzip'

/** Compression used by the status list encoders and decoders. */
export interface StatusListCompression {
  readonly name: string
  compress(format: CompressionFormat, data: Uint8Array): Promise<Uint8Array>
  /**
   * Decompresses one complete stream. Throws ERR_STATUS_LIST_TOO_LARGE past `maxOutputLength` (stopping
   * there, with bounded memory), ERR_STATUS_LIST_TRUNCATED for a cut-off stream and
   * ERR_STATUS_LIST_COMPRESSION_INVALID for anything else malformed (wrong container included).
   */
  decompress(format: CompressionFormat, data: Uint8Array, maxOutputLength: number): Promise<Uint8Array>
}

/** Default cap on a decompressed list: 16 MiB (2^27 entries at 1 bit; W3C bitstring #208 suggests ~2^26). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024

/**
 * Checks the container header before inflating, so a raw DEFLATE or GZIP stream gets a clear error
 * whatever the backend: RFC 1950 §2.2 (CM = 8, CINFO ≤ 7, FCHECK, no preset dictionary) or RFC 1952 §2.3.1.
 */
export function assertCompressionHeader(format: CompressionFormat, data: Uint8Array): void {
  if (data.length < 2) throw new E2eidError('ERR_STATUS_LIST_TRUNCATED', 'compressed data is truncated')
  const a = data[0]!
  const b = data[1]!
  if (format === 'zlib') {
    if ((a & 0x0f) !== 8 || a >> 4 > 7 || ((a << 8) | b) % 31 !== 0) {
      throw new E2eidError('ERR_STATUS_LIST_COMPRESSION_INVALID', 'not a ZLIB (RFC 1950) stream')
    }
    if ((b & 0x20) !== 0) throw new E2eidError('ERR_STATUS_LIST_COMPRESSION_INVALID', 'ZLIB preset dictionaries are not supported')
  } else if (a !== 0x1f || b !== 0x8b || (data.length > 2 && data[2] !== 8)) {
    throw new E2eidError('ERR_STATUS_LIST_COMPRESSION_INVALID', 'not a GZIP (RFC 1952) stream')
  }
}

function assertCap(maxOutputLength: number): void {
  if (!Number.isSafeInteger(maxOutputLength) || maxOutputLength < 0) {
    throw new E2eidError('ERR_STATUS_LIST_TOO_LARGE', 'invalid decompression cap')
  }
}

function webFormat(format: CompressionFormat): 'deflate' | 'gzip' {
  return format === 'zlib' ? 'deflate' : 'gzip'
}

async function pipeThrough(stream: GenericTransformStream, data: Uint8Array, cap: number): Promise<Uint8Array> {
  const writer = (stream.writable as WritableStream<Uint8Array>).getWriter()
  const reader = (stream.readable as ReadableStream<Uint8Array>).getReader()
  let stage = 'write' as 'write' | 'close'
  // Write and read concurrently: writes wait for the reader (backpressure).
  const writing = (async () => {
    await writer.write(data)
    stage = 'close'
    await writer.close()
  })()
  writing.catch(() => undefined)
  try {
    const out = await readStreamCapped(reader, cap, () => new E2eidError('ERR_STATUS_LIST_TOO_LARGE', `decompressed status list exceeds ${cap} bytes`))
    await writing
    return out
  } catch (e) {
    if (e instanceof E2eidError) throw e
    // Node's streams carry zlib codes; browsers throw a TypeError, at flush when the input ended early.
    const code = (e as { code?: unknown }).code
    const truncated = code === 'Z_BUF_ERROR' || (code === undefined && stage === 'close')
    throw truncated
      ? new E2eidError('ERR_STATUS_LIST_TRUNCATED', 'compressed status list is truncated', { cause: e })
      : new E2eidError('ERR_STATUS_LIST_COMPRESSION_INVALID', 'compressed status list is malformed', { cause: e })
  }
}

/**
 * Compression on Web APIs (`CompressionStream` / `DecompressionStream`, browsers and Node ≥ 18).
 * `CompressionStream` has no level parameter, so lists are larger than zlib level 9 output;
 * servers should use the node:zlib implementation.
 */
export function createWebCompression(): StatusListCompression {
  return {
    name: 'web',
    async compress(format, data) {
      if (typeof CompressionStream === 'undefined') throw new E2eidError('ERR_COMPRESSION_UNAVAILABLE', 'CompressionStream is not available')
      return pipeThrough(new CompressionStream(webFormat(format)), data, Number.MAX_SAFE_INTEGER)
    },
    async decompress(format, data, maxOutputLength) {
      assertCap(maxOutputLength)
      assertCompressionHeader(format, data)
      if (typeof DecompressionStream === 'undefined') throw new E2eidError('ERR_COMPRESSION_UNAVAILABLE', 'DecompressionStream is not available')
      return pipeThrough(new DecompressionStream(webFormat(format)), data, maxOutputLength)
    },
  }
}

/** The default (Web API) compression. */
export const webCompression: StatusListCompression = createWebCompression()
