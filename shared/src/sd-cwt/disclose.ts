/**
 * @module sd-cwt/disclose
 * Holder-side selection of disclosures by claim path. Disclosing a claim also discloses the containers above
 * it (their disclosures are needed to reach it) and everything inside it (a disclosed claim is shown whole).
 * Decoys are not presented.
 */
import { E2eidError } from '../errors.js'
import type { ClaimPath } from './path.js'
import { formatClaimPath, parseClaimPath } from './path.js'
import type { ClaimPathSegment, RevealResult } from './reveal.js'

function segId(s: ClaimPathSegment): string {
  return typeof s === 'number' ? 'n' + s : 's' + s
}

function pathKey(p: readonly ClaimPathSegment[]): string {
  return p.map(segId).join('\u0000')
}

/** Resolves a path against fully revealed claims; returns it with each segment as the actual key type. */
export function resolveClaimPath(claims: Map<unknown, unknown>, path: ClaimPath): ClaimPathSegment[] {
  let node: unknown = claims
  const out: ClaimPathSegment[] = []
  for (const seg of path) {
    if (node instanceof Map) {
      if (node.has(seg)) out.push(seg)
      else if (typeof seg === 'number' && node.has(String(seg))) out.push(String(seg))
      else throw new E2eidError('ERR_SDCWT_PATH_NOT_FOUND', `no claim at ${formatClaimPath(path)}`)
      node = node.get(out[out.length - 1])
    } else if (Array.isArray(node) && typeof seg === 'number' && seg >= 0 && seg < node.length) {
      out.push(seg)
      node = node[seg]
    } else {
      throw new E2eidError('ERR_SDCWT_PATH_NOT_FOUND', `no claim at ${formatClaimPath(path)}`)
    }
  }
  return out
}

/**
 * Indices (into the SD-CWT's `sd_claims`) of the disclosures needed to show the claims at `paths`, in
 * ascending order. `revealed` must come from holder mode (every disclosure applied). Errors: ERR_SDCWT_PATH_INVALID,
 * ERR_SDCWT_PATH_NOT_FOUND.
 */
export function selectDisclosures(revealed: RevealResult, paths: readonly (string | ClaimPath)[]): number[] {
  const wanted = paths.map((p) => pathKey(resolveClaimPath(revealed.claims, typeof p === 'string' ? parseClaimPath(p) : p)))
  const chosen = new Set<number>()
  for (const d of revealed.disclosures) {
    if (d.disclosure.kind === 'decoy') continue
    const k = pathKey(d.path)
    // Ancestors (k is a prefix of a wanted path) and descendants (a wanted path is a prefix of k).
    if (wanted.some((w) => w === k || w.startsWith(k + '\u0000') || k.startsWith(w + '\u0000') || w === '')) chosen.add(d.index)
  }
  return [...chosen].sort((a, b) => a - b)
}
