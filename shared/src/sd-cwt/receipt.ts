/**
 * @module sd-cwt/receipt
 * Holder checks on receipt (§6.2): the issuer signature, `cnf` is the holder's own key, a disclosure for every
 * digest (nested and decoys included) and every disclosure used, `sd_alg` supported, `iss` / `sub` present (and
 * as expected when given), times, and the holder's `cnonce` when it sent one.
 */
import { E2eidError } from '../errors.js'
import type { PublicJwk } from '../crypto/jwk.js'
import { bytesEqual } from '../encoding/bytes.js'
import { samePublicKey } from '../cose/key.js'
import { CWT_CLAIM } from './constants.js'
import type { SdCwtCheckOptions, VerifiedSdCwt } from './verify.js'
import { verifyIssuedSdCwt } from './verify.js'

/** Options of {@link checkSdCwtReceipt}. */
export interface SdCwtReceiptOptions extends SdCwtCheckOptions {
  /** The holder's own public key: `cnf` must be this key (ERR_SDCWT_HOLDER_KEY_MISMATCH). */
  holderKey: PublicJwk
  /** When given, `sub` must equal it (ERR_SDCWT_SUB_MISMATCH). */
  expectedSub?: string
  /** The cnonce the holder sent in its credential request: the SD-CWT must carry it (§6). */
  cnonce?: Uint8Array
  /** Minimum number of decoys the holder wants (cardinality hiding, §10). Default 0. */
  minDecoys?: number
}

/** Checks a freshly issued SD-CWT as its holder (§6.2) and returns every claim, fully revealed. */
export async function checkSdCwtReceipt(sdCwt: Uint8Array, options: SdCwtReceiptOptions): Promise<VerifiedSdCwt> {
  const v = await verifyIssuedSdCwt(sdCwt, { ...options, holderKeys: [options.holderKey, ...(options.holderKeys ?? [])], mode: 'holder' })
  if (!samePublicKey(v.holderKey, options.holderKey)) throw new E2eidError('ERR_SDCWT_HOLDER_KEY_MISMATCH', 'the SD-CWT cnf is not the holder key')
  const sub = v.claims.get(CWT_CLAIM.sub)
  if (sub === undefined) throw new E2eidError('ERR_SDCWT_SUB_MISSING', 'the SD-CWT has no sub')
  if (options.expectedSub !== undefined && sub !== options.expectedSub) throw new E2eidError('ERR_SDCWT_SUB_MISMATCH', 'sub is not the expected subject')
  if (options.cnonce !== undefined) {
    const c = v.token.claims.get(CWT_CLAIM.cnonce)
    if (!(c instanceof Uint8Array) || !bytesEqual(c, options.cnonce)) throw new E2eidError('ERR_SDCWT_CNONCE_MISMATCH', 'the SD-CWT does not carry the holder cnonce')
  }
  const decoys = v.disclosures.filter((d) => d.disclosure.kind === 'decoy').length
  if (decoys < (options.minDecoys ?? 0)) throw new E2eidError('ERR_SDCWT_TOO_FEW_DECOYS', `the SD-CWT has ${decoys} decoys, fewer than required`)
  return v
}
