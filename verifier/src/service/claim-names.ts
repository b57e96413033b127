/**
 * @module service/claim-names
 * Names for the verdict page: an SD-CWT's claims are keyed by CWT labels (RFC 8392 §4: 1 iss, 2 sub, 3 aud, 4 exp,
 * 5 nbf, 6 iat, 7 cti; RFC 8747 §3: 8 cnf; SD-CWT -06 §6: 11 vct, 39 cnonce; status-list §6.3: 65535 status), which
 * the JSON view writes as "1", "4", …; the page shows the name beside the label. NumericDate claims (exp, nbf, iat;
 * RFC 8392 §2, RFC 7519 §2) are shown in UTC beside the number.
 */

/** CWT claim labels with registered names (IANA "CBOR Web Token (CWT) Claims"). */
export const CWT_CLAIM_NAMES: Readonly<Record<string, string>> = {
  '1': 'iss',
  '2': 'sub',
  '3': 'aud',
  '4': 'exp',
  '5': 'nbf',
  '6': 'iat',
  '7': 'cti',
  '8': 'cnf',
  '11': 'vct',
  '39': 'cnonce',
  '65535': 'status',
}

/** Claims whose value is a NumericDate (seconds since the epoch). */
const DATE_CLAIMS = new Set(['exp', 'nbf', 'iat'])

/** The display name of a top-level claim key, and the CWT label it came from (undefined for text keys). */
export function claimName(key: string): { name: string; label: string | undefined } {
  const name = CWT_CLAIM_NAMES[key]
  return name === undefined ? { name: key, label: undefined } : { name, label: key }
}

/** `2026-12-08 00:04:21 UTC` for a Unix time in seconds; undefined when it is not a representable date. */
export function utcDate(seconds: number): string | undefined {
  if (!Number.isFinite(seconds)) return undefined
  const d = new Date(seconds * 1000)
  if (Number.isNaN(d.getTime())) return undefined
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** The readable date of a date claim's value (exp, nbf, iat), or undefined for other claims and values. */
export function claimDate(name: string, value: unknown): string | undefined {
  return DATE_CLAIMS.has(name) && typeof value === 'number' ? utcDate(value) : undefined
}
