/**
 * @module dcql/format-ids
 * Credential format identifiers on the OpenID4VP/OpenID4VCI wire. SD-CWT has none in OpenID4VCI 1.0 or
 * OpenID4VP 1.0 (App. A / B list only jwt_vc_json, ldp_vc, mso_mdoc, dc+sd-jwt); the project defines one
 * in specs/openid4vci-sd-cwt-format.md, and the issuer uses the same string (issuer/src/config/config.ts
 * `SD_CWT_FORMAT`). This is the one place the verifier names it.
 */
import type { PresentationFormat } from '../trust/types.js'

/** Project-defined format identifier of SD-CWT credentials (the SPICE draft's media type). */
export const SD_CWT_FORMAT_ID = 'application/sd-cwt'
/** OpenID4VP 1.0 App. B.3 format identifier of SD-JWT VC. */
export const SD_JWT_VC_FORMAT_ID = 'dc+sd-jwt'

/** The wire format id of a presentation format. */
export function formatIdOf(format: PresentationFormat): string {
  return format === 'sd-cwt' ? SD_CWT_FORMAT_ID : SD_JWT_VC_FORMAT_ID
}

/** The presentation format of a wire id, or undefined for formats this verifier does not handle. */
export function formatFromId(id: string): PresentationFormat | undefined {
  if (id === SD_CWT_FORMAT_ID) return 'sd-cwt'
  if (id === SD_JWT_VC_FORMAT_ID) return 'dc+sd-jwt'
  return undefined
}
