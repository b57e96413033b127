/**
 * @module sd-cwt/digest
 * Redacted Claim Hash (§3, reference/sd-cwt.md §4): the hash, under `sd_alg`, of the disclosure *as a CBOR byte
 * string, head included* — i.e. of the exact `sd_claims` element (`5821 8350…` → `af375dc3…`). The header-less
 * hash the draft's Figures 8-9 print (`d9df03da…`) is wrong and matches no signed example.
 */
import { E2eidError } from '../errors.js'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { wrapBstr } from '../cbor/encode.js'

const SD_ALGS = new Map<unknown, HashAlgorithm>([
  [-16, 'SHA-256'],
  [-43, 'SHA-384'],
  [-44, 'SHA-512'],
])

/** COSE ids of the hash algorithms accepted as `sd_alg`. */
export const SD_ALG_IDS = { 'SHA-256': -16, 'SHA-384': -43, 'SHA-512': -44 } as const

/** The hash of an `sd_alg` value (undefined → SHA-256, the default). Throws ERR_SDCWT_SD_ALG_UNSUPPORTED otherwise. */
export function sdAlgHash(sdAlg: unknown): HashAlgorithm {
  if (sdAlg === undefined) return 'SHA-256'
  const h = SD_ALGS.get(sdAlg)
  if (h === undefined) throw new E2eidError('ERR_SDCWT_SD_ALG_UNSUPPORTED', `sd_alg ${String(sdAlg)} is not supported (SHA-256 -16, SHA-384 -43, SHA-512 -44)`)
  return h
}

/**
 * Redacted Claim Hash of a disclosure given as the *content* of its byte string (what the CBOR decoder returns
 * for an `sd_claims` element): hash(shortest bstr head || content). The strict decoder only accepts shortest
 * heads, so this is the hash of the received bytes.
 */
export function redactedClaimHash(disclosure: Uint8Array, hash: HashAlgorithm, provider: Pick<CryptoProvider, 'digest'>): Uint8Array {
  return provider.digest(hash, receivedBstr(disclosure) ?? wrapBstr(disclosure))
}

/**
 * When `content` is a view whose buffer holds, right before it, the shortest bstr head of its length (as for
 * every byte string the strict decoder returns), the head and content as one view: what `wrapBstr` would build,
 * without a copy (issue 7). Otherwise undefined. Lengths of 2^16 and more always take the copy.
 */
function receivedBstr(content: Uint8Array): Uint8Array | undefined {
  const n = content.length
  const h = n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 0
  const at = content.byteOffset - h
  if (h === 0 || at < 0) return undefined
  const all = new Uint8Array(content.buffer, at, h + n)
  const ok = h === 1 ? all[0] === (0x40 | n) : h === 2 ? all[0] === 0x58 && all[1] === n : all[0] === 0x59 && all[1] === n >>> 8 && all[2] === (n & 0xff)
  return ok ? all : undefined
}
