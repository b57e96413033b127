/**
 * @module sd-cwt/digest
 * Redacted Claim Hash (§3): the hash, under `sd_alg`, of the disclosure *as a CBOR byte
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
  return provider.digest(hash, wrapBstr(disclosure))
}
