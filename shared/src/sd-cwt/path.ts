/**
 * @module sd-cwt/path
 * Claim paths, the one syntax the CLI and the wallet use to select claims: labels joined with dots, integer
 * labels in decimal, array positions as numbers — `email`, `address.country`, `503.country`, `roles.1`.
 * A segment in double quotes is a JSON string and always a text label (`"503"`, `"a.b"`). A bare decimal segment
 * names an integer label, an array position, or — when the map has no such integer label — the text label
 * with those characters.
 */
import type { ClaimPathSegment } from './reveal.js'

/** A parsed claim path. */
export type ClaimPath = readonly ClaimPathSegment[]

/** The SD-CWT dotted form lives in claim-path.ts with the other claim path forms. Errors: ERR_SDCWT_PATH_INVALID. */
export { parseSdCwtClaimPath as parseClaimPath, formatSdCwtClaimPath as formatClaimPath } from '../claim-path.js'
