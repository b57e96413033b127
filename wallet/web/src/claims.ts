/** Display helpers for claims and claim paths. */
import type { ClaimPath } from '@e2eid/wallet'

/** `address.country`, `nationalities.0` (the wallet's dotted path syntax). */
export function pathText(path: ClaimPath): string {
  return path.map(String).join('.')
}

/** One line per leaf claim: [path, value text], nested objects flattened (arrays shown as JSON). */
export function flattenClaims(claims: Record<string, unknown>, prefix: string[] = []): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const [k, v] of Object.entries(claims)) {
    const p = [...prefix, k]
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...flattenClaims(v as Record<string, unknown>, p))
    else out.push([p.join('.'), valueText(v)])
  }
  return out
}

export function valueText(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v)
  try {
    return JSON.stringify(v)
  } catch {
    return String(v)
  }
}

// Registered JWT/CWT claims (RFC 7519 §4.1, RFC 8392 §3.1, SD-JWT VC §3.2.2) shown apart from the holder's own claims.
// `sub` (2) stays with the personal claims: it identifies the holder to every verifier.
const TECHNICAL = new Set(['iss', 'aud', 'exp', 'nbf', 'iat', 'jti', 'cti', 'cnf', 'status', 'vct', 'vct#integrity', '_sd', '_sd_alg', '1', '3', '4', '5', '6', '7', '8', '11', '65535'])

const CWT_NAMES: Record<string, string> = { '1': 'iss', '2': 'sub', '3': 'aud', '4': 'exp', '5': 'nbf', '6': 'iat', '7': 'cti', '8': 'cnf', '11': 'vct', '65535': 'status' }

/** A claim name for display: SD-CWT integer labels get their registered name (RFC 8392 §3.1). */
export function claimLabel(name: string): string {
  const n = CWT_NAMES[name]
  return n === undefined ? name : `${n} (${name})`
}

/** True for registered JWT/CWT claims (shown apart from the holder's own). */
export function isTechnicalClaim(name: string): boolean {
  return TECHNICAL.has(name)
}

/** The claims a person cares about (not iss/exp/cnf/status…). SD-CWT labels 2 (sub) shows as `sub`. */
export function personalClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !TECHNICAL.has(k)).map(([k, v]) => [k === '2' ? 'sub' : k, v]))
}

/** A Unix time (seconds or milliseconds) as a short UTC date-time. */
export function timeText(t: number | undefined): string {
  if (t === undefined) return '—'
  const ms = t < 1e11 ? t * 1000 : t
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}
