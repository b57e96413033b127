/**
 * @module sd-jwt/process
 * RFC 9901 §7.1 steps 3-5: replaces the digests in the issuer-signed payload by the claims of
 * the matching disclosures, recursively, rejecting every malformed or ambiguous structure
 * (sd-jwt-js 0.19.0 misses several of these checks: no alg allow-list, exp before disclosures, key binding only with a nonce).
 */
import type { Disclosure } from './disclosure.js'
import { sdJwtError } from './errors.js'
import { isJsonObject } from './json.js'

/** Deeper nesting than this is refused rather than risking the stack. */
const MAX_SD_JWT_DEPTH = 64

/** The result of processing: the payload without `_sd`, `...` and `_sd_alg`, and where each claim came from. */
export interface ProcessedSdJwt {
  readonly claims: Record<string, unknown>
  /** The disclosures that carry top-level claims, by claim name. */
  readonly topLevelDisclosed: ReadonlySet<string>
}

/**
 * Indexes disclosures by digest. The same disclosure sent twice would make one digest stand for
 * two disclosures: ERR_SDJWT_DISCLOSURE_DUPLICATE (§4: a Holder MUST NOT send one twice).
 */
export function indexDisclosures(disclosures: readonly Disclosure[]): Map<string, Disclosure> {
  const byDigest = new Map<string, Disclosure>()
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) throw sdJwtError('ERR_SDJWT_DISCLOSURE_DUPLICATE', 'the same disclosure was sent twice')
    byDigest.set(d.digest, d)
  }
  return byDigest
}

/** Sets an own property, also for `__proto__` (which JSON.parse yields as an own key; plain assignment would set the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

/** Processes the issuer-signed payload with the given disclosures (§7.1 step 3-5). */
export function processSdJwtPayload(payload: Record<string, unknown>, disclosures: readonly Disclosure[]): ProcessedSdJwt {
  const byDigest = indexDisclosures(disclosures)
  const seen = new Set<string>()
  const used = new Set<string>()
  const topLevelDisclosed = new Set<string>()

  function claim(digest: unknown): Disclosure | undefined {
    if (typeof digest !== 'string') throw sdJwtError('ERR_SDJWT_SD_MALFORMED', 'a digest must be a string')
    // §7.1 step 4: a digest may occur only once, directly or via disclosures.
    if (seen.has(digest)) throw sdJwtError('ERR_SDJWT_DIGEST_DUPLICATE', `digest ${digest} occurs more than once (§7.1 step 4)`)
    seen.add(digest)
    const d = byDigest.get(digest)
    if (d !== undefined) used.add(digest)
    return d // undefined: a decoy or an undisclosed claim, ignored (§7.1 step 3.c)
  }

  function walk(node: unknown, depth: number): unknown {
    if (typeof node !== 'object' || node === null) return node
    if (depth > MAX_SD_JWT_DEPTH) throw sdJwtError('ERR_SDJWT_MALFORMED', `SD-JWT nests deeper than ${MAX_SD_JWT_DEPTH} levels`)
    if (Array.isArray(node)) {
      const out: unknown[] = []
      for (const el of node) {
        if (isJsonObject(el) && Object.hasOwn(el, '...')) {
          // §4.2.4.2: the placeholder object has exactly one key, "...".
          const keys = Object.keys(el)
          if (keys.length !== 1) throw sdJwtError('ERR_SDJWT_SD_MALFORMED', 'an array element digest object must have "..." as its only key')
          const d = claim(el['...'])
          if (d === undefined) continue // §7.1 step 3.d: unmatched array digests are removed
          if (d.name !== undefined) throw sdJwtError('ERR_SDJWT_DISCLOSURE_MALFORMED', 'an array element disclosure must have 2 elements (§7.1 step 3.c.iii.1)')
          out.push(walk(d.value, depth + 1))
        } else {
          out.push(walk(el, depth + 1))
        }
      }
      return out
    }
    const obj = node as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(obj)) {
      if (k === '_sd') continue
      if (k === '...') throw sdJwtError('ERR_SDJWT_SD_MALFORMED', '"..." is only allowed as the key of an array element digest object')
      if (depth === 0 && k === '_sd_alg') continue // §7.1 step 3.f
      setOwn(out, k, walk(obj[k], depth + 1))
    }
    const sd = obj._sd
    if (sd !== undefined) {
      if (!Array.isArray(sd)) throw sdJwtError('ERR_SDJWT_SD_MALFORMED', '_sd must be an array of digests')
      for (const digest of sd) {
        const d = claim(digest)
        if (d === undefined) continue
        if (d.name === undefined) throw sdJwtError('ERR_SDJWT_DISCLOSURE_MALFORMED', 'an object property disclosure must have 3 elements (§7.1 step 3.c.ii.1)')
        // §7.1 step 3.c.ii.3: the name must not already exist at this level.
        if (Object.hasOwn(out, d.name) || Object.hasOwn(obj, d.name)) throw sdJwtError('ERR_SDJWT_CLAIM_COLLISION', `claim ${JSON.stringify(d.name)} is disclosed and already present at its level`)
        if (depth === 0) topLevelDisclosed.add(d.name)
        setOwn(out, d.name, walk(d.value, depth + 1))
      }
    }
    return out
  }

  const claims = walk(payload, 0) as Record<string, unknown>
  // §7.1 step 5: every disclosure must be referenced from the payload or another referenced disclosure.
  if (used.size !== byDigest.size) {
    throw sdJwtError('ERR_SDJWT_DISCLOSURE_UNREFERENCED', `${byDigest.size - used.size} disclosure(s) are not referenced by any digest (§7.1 step 5)`)
  }
  return { claims, topLevelDisclosed }
}
