/**
 * @module dcql/format-ids
 * Credential format identifiers on the OpenID4VP/OpenID4VCI wire. SD-CWT has none in OpenID4VCI 1.0 or
 * OpenID4VP 1.0 (App. A / B list only jwt_vc_json, ldp_vc, mso_mdoc, dc+sd-jwt); the project defines one
 * in specs/openid4vci-sd-cwt-format.md. The strings live in @e2eid/shared (format-ids.ts), which the issuer
 * and the wallet use too; this module maps them to the verifier's presentation formats.
 */
import { SD_CWT_FORMAT as SD_CWT_FORMAT_ID, SD_JWT_VC_FORMAT as SD_JWT_VC_FORMAT_ID } from '@e2eid/shared'
import type { PresentationFormat } from '../trust/types.js'

/** The OpenID4VP format identifiers (SD-CWT project-defined, SD-JWT VC App. B.3), from @e2eid/shared. */
export { SD_CWT_FORMAT_ID, SD_JWT_VC_FORMAT_ID }

/** The wire format id of a presentation format. */
export function formatIdOf(format: PresentationFormat): string {
  return format === 'sd-cwt' ? SD_CWT_FORMAT_ID : SD_JWT_VC_FORMAT_ID
}

/** The presentation format of a wire id, or undefined for formats this verifier does not handle. */
export function formatFromId(id: string): PresentationFormat | undefined {
  if (id === SD_CWT_FORMAT_ID) return 'sd-cwt'
  if (id === SD_JWT_VC_FORMAT_ID) return SD_JWT_VC_FORMAT_ID
  return undefined
}
