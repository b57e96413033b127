/**
 * @module formats/sd-cwt
 * SD-CWT presentations (an SD-KBT, draft-ietf-spice-sd-cwt-08 §9) through shared/sd-cwt.
 */
import { E2eidError } from '@e2eid/shared'
import type { FormatVerified, FormatVerifyContext } from './types.js'

/** Verifies an SD-CWT KBT. */
export async function verifySdCwtFormat(_bytes: Uint8Array, _ctx: FormatVerifyContext): Promise<FormatVerified> {
  // Wired to shared/sd-cwt once it is exported from @e2eid/shared.
  throw new E2eidError('ERR_VERIFY_FORMAT_UNSUPPORTED', 'SD-CWT verification is not available yet')
}
