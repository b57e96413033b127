/**
 * @module sd-cwt/reveal
 * Applies disclosures to a claims set (§7 nesting validation, §9 step 8, Appendix G): a table of
 * Redacted Claim Hash → disclosure; walk the claims depth-first from the unredacted ones; each `simple(59)`
 * digest in a map and each `60(digest)` array element is replaced by its disclosure (whose value is walked in
 * turn) and the disclosure is used up. Disclosure order is free.
 *
 * Rejections: a disclosure no digest asks for (extra or orphan) ERR_SDCWT_UNUSED_DISCLOSURE; the same
 * disclosure twice ERR_SDCWT_DUPLICATE_DISCLOSURE; a digest listed twice ERR_SDCWT_DUPLICATE_DIGEST; a revealed
 * label already in its map ERR_SDCWT_DUPLICATE_CLAIM; a claim disclosure at an array position or an element
 * disclosure at a map ERR_SDCWT_DISCLOSURE_KIND_MISMATCH; a tagged map key ERR_SDCWT_TAGGED_KEY; other bad
 * labels ERR_SDCWT_INVALID_KEY; tags 58/62 after issuance ERR_SDCWT_PREISSUANCE_TAG; a redaction out of place
 * ERR_SDCWT_MISPLACED_REDACTION; a top-level iss/aud/exp/nbf/iat/cti/cnf/cnonce revealed from a disclosure
 * ERR_SDCWT_REDACTED_MANDATORY; in holder mode a digest without a disclosure ERR_SDCWT_MISSING_DISCLOSURE.
 */
import { E2eidError } from '../errors.js'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { hexEncode } from '../encoding/hex.js'
import { CborTag } from '../cbor/types.js'
import { NEVER_REDACTED, REDACTED_CLAIM_KEYS, TAG_REDACTED_ELEMENT, TAG_TO_BE_DECOY, TAG_TO_BE_REDACTED } from './constants.js'
import type { Disclosure } from './disclosure.js'
import { decodeDisclosure, isClaimLabel } from './disclosure.js'
import { redactedClaimHash } from './digest.js'

/** A claim path segment: a map label (int or text) or an array position. */
export type ClaimPathSegment = string | number

/** One disclosure and where it landed. */
export interface RevealedDisclosure {
  /** Position in the list given to {@link revealClaims}. */
  readonly index: number
  readonly disclosure: Disclosure
  readonly digest: Uint8Array
  /** Path of the revealed claim in the output; for a decoy, the path of the map or array that listed it. */
  readonly path: readonly ClaimPathSegment[]
  /** Index of the disclosure that revealed the enclosing value, when nested. */
  readonly parent: number | undefined
}

/** A digest left without a disclosure (verifier mode: the claim stays hidden). */
export interface UndisclosedDigest {
  readonly digest: Uint8Array
  /** Path of the map or array that holds the digest. */
  readonly container: readonly ClaimPathSegment[]
  readonly place: 'map' | 'array'
}

/** Result of {@link revealClaims}. */
export interface RevealResult {
  /** The claims with every matched redaction replaced and every remaining one removed (fresh Maps/arrays). */
  readonly claims: Map<unknown, unknown>
  readonly disclosures: readonly RevealedDisclosure[]
  readonly undisclosed: readonly UndisclosedDigest[]
}

/** Options for {@link revealClaims}. */
export interface RevealOptions {
  hash: HashAlgorithm
  provider: Pick<CryptoProvider, 'digest'>
  /** `holder`: every digest needs a disclosure (§6.2). `verifier`: unmatched digests are dropped (§9 step 10). */
  mode: 'holder' | 'verifier'
  /** Maximum nesting of the revealed claims (arrays, maps, tags). Default 32. */
  maxDepth?: number
}

interface Entry {
  readonly index: number
  readonly disclosure: Disclosure
  readonly digest: Uint8Array
  used: boolean
  /** The next entry whose digest has the same key (a chain, compared in full). */
  next: Entry | undefined
}

/**
 * The digest table: entries keyed by a small integer made of the digest's first 30 bits (no string per digest:
 * `String.fromCharCode.apply` over each 32-byte digest, twice per disclosure, was ~5 % of an MLS leaf check
 * without signatures), each key holding a chain of entries told apart by their full bytes. A shared
 * prefix (chance or crafted) only lengthens a chain; matching is always on the whole digest.
 */
class DigestTable {
  readonly byKey = new Map<number, Entry>()
  /** In disclosure order. */
  readonly entries: Entry[] = []
  constructor(readonly digestLength: number) {}

  static key(d: Uint8Array): number {
    // 30 bits keep the key a small integer (V8 Smi) on every platform.
    return ((d[0]! << 22) | (d[1]! << 14) | (d[2]! << 6) | (d[3]! >> 2)) & 0x3fffffff
  }

  get(d: Uint8Array): Entry | undefined {
    // Every entry's digest has the hash's length; anything else (e.g. a 65-byte string) cannot match.
    if (d.length !== this.digestLength) return undefined
    for (let e = this.byKey.get(DigestTable.key(d)); e !== undefined; e = e.next) if (sameBytes(e.digest, d)) return e
    return undefined
  }

  /** False when an entry with the same digest is already there. */
  add(e: Entry): boolean {
    const k = DigestTable.key(e.digest)
    const first = this.byKey.get(k)
    if (first === undefined) this.byKey.set(k, e)
    else {
      let last = first
      for (let x: Entry | undefined = first; x !== undefined; x = x.next) {
        if (sameBytes(x.digest, e.digest)) return false
        last = x
      }
      last.next = e
    }
    this.entries.push(e)
    return true
  }
}

/** Digests are public: a plain early-exit comparison (no constant-time need). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

class Walker {
  readonly revealed: RevealedDisclosure[] = []
  readonly undisclosed: UndisclosedDigest[] = []
  constructor(
    readonly table: DigestTable,
    readonly mode: 'holder' | 'verifier',
    readonly maxDepth: number,
  ) {}

  take(digest: unknown, container: readonly ClaimPathSegment[], place: 'map' | 'array'): Entry | undefined {
    if (!(digest instanceof Uint8Array)) throw new E2eidError('ERR_SDCWT_MALFORMED', 'a Redacted Claim Hash must be a byte string')
    const e = this.table.get(digest)
    if (e === undefined) {
      if (this.mode === 'holder') throw new E2eidError('ERR_SDCWT_MISSING_DISCLOSURE', `no disclosure for the digest ${hexEncode(digest)} at ${container.join('.') || '(top)'}`)
      this.undisclosed.push({ digest, container, place })
      return undefined
    }
    if (e.used) throw new E2eidError('ERR_SDCWT_DUPLICATE_DIGEST', `the digest ${hexEncode(digest)} is listed twice`)
    e.used = true
    return e
  }

  value(v: unknown, path: ClaimPathSegment[], parent: number | undefined, depth: number): unknown {
    if (depth > this.maxDepth) throw new E2eidError('ERR_SDCWT_TOO_DEEP', `claims nest deeper than ${this.maxDepth}`)
    if (v instanceof Map) return this.map(v, path, parent, depth)
    if (Array.isArray(v)) return this.array(v, path, parent, depth)
    if (v instanceof CborTag) {
      if (v.tag === TAG_TO_BE_REDACTED || v.tag === TAG_TO_BE_DECOY) throw new E2eidError('ERR_SDCWT_PREISSUANCE_TAG', `tag ${v.tag} may only appear before issuance`)
      if (v.tag === TAG_REDACTED_ELEMENT) throw new E2eidError('ERR_SDCWT_MISPLACED_REDACTION', 'tag 60 may only replace an array element')
      return new CborTag(v.tag, this.value(v.value, path, parent, depth + 1))
    }
    if (v === REDACTED_CLAIM_KEYS) throw new E2eidError('ERR_SDCWT_MISPLACED_REDACTION', 'simple(59) may only be a map key')
    return v
  }

  /** A map entry's or array element's value: only containers get a path of their own (most claims are scalars). */
  child(v: unknown, path: ClaimPathSegment[], segment: ClaimPathSegment, parent: number | undefined, depth: number): unknown {
    if (v instanceof Map || Array.isArray(v) || v instanceof CborTag) return this.value(v, [...path, segment], parent, depth)
    if (depth > this.maxDepth) throw new E2eidError('ERR_SDCWT_TOO_DEEP', `claims nest deeper than ${this.maxDepth}`)
    if (v === REDACTED_CLAIM_KEYS) throw new E2eidError('ERR_SDCWT_MISPLACED_REDACTION', 'simple(59) may only be a map key')
    return v
  }

  map(m: Map<unknown, unknown>, path: ClaimPathSegment[], parent: number | undefined, depth: number): Map<unknown, unknown> {
    const out = new Map<unknown, unknown>()
    // Labels are ints or text strings; a Set keeps 1 and "1" apart, as the claim map does.
    const labels = new Set<unknown>()
    for (const k of m.keys()) {
      if (k === REDACTED_CLAIM_KEYS) continue
      if (k instanceof CborTag) throw new E2eidError('ERR_SDCWT_TAGGED_KEY', 'a claim map key may not be tagged (§5.3)')
      if (!isClaimLabel(k)) throw new E2eidError('ERR_SDCWT_INVALID_KEY', `claim map key ${String(k)} is not an int or a text string of at most 255 bytes`)
      labels.add(k)
    }
    // forEach, not for-of with destructuring: no [key, value] entry array per claim.
    m.forEach((v, k) => {
      if (k !== REDACTED_CLAIM_KEYS) {
        out.set(k, this.child(v, path, k as ClaimPathSegment, parent, depth + 1))
        return
      }
      if (!Array.isArray(v)) throw new E2eidError('ERR_SDCWT_MALFORMED', 'the value of simple(59) must be an array of digests')
      for (const digest of v) {
        const e = this.take(digest, path, 'map')
        if (e === undefined) continue
        const d = e.disclosure
        if (d.kind === 'decoy') {
          this.revealed.push({ index: e.index, disclosure: d, digest: e.digest, path, parent })
          continue
        }
        if (d.kind !== 'claim') throw new E2eidError('ERR_SDCWT_DISCLOSURE_KIND_MISMATCH', 'an array-element disclosure matched a map digest')
        const key = d.key!
        if (labels.has(key)) throw new E2eidError('ERR_SDCWT_DUPLICATE_CLAIM', `disclosed claim ${String(key)} is already in its map`)
        if (path.length === 0 && typeof key === 'number' && NEVER_REDACTED.has(key)) {
          throw new E2eidError('ERR_SDCWT_REDACTED_MANDATORY', `claim ${key} must never be redacted (§6)`)
        }
        labels.add(key)
        const childPath = [...path, key]
        this.revealed.push({ index: e.index, disclosure: d, digest: e.digest, path: childPath, parent })
        out.set(key, this.value(d.value, childPath, e.index, depth + 1))
      }
    })
    return out
  }

  array(a: unknown[], path: ClaimPathSegment[], parent: number | undefined, depth: number): unknown[] {
    const out: unknown[] = []
    for (const item of a) {
      if (item instanceof CborTag && item.tag === TAG_REDACTED_ELEMENT) {
        const e = this.take(item.value, path, 'array')
        if (e === undefined) continue
        const d = e.disclosure
        if (d.kind === 'decoy') {
          this.revealed.push({ index: e.index, disclosure: d, digest: e.digest, path, parent })
          continue
        }
        if (d.kind !== 'element') throw new E2eidError('ERR_SDCWT_DISCLOSURE_KIND_MISMATCH', 'a map-claim disclosure matched an array digest')
        const childPath = [...path, out.length]
        this.revealed.push({ index: e.index, disclosure: d, digest: e.digest, path: childPath, parent })
        out.push(this.value(d.value, childPath, e.index, depth + 1))
      } else {
        out.push(this.child(item, path, out.length, parent, depth + 1))
      }
    }
    return out
  }
}

/**
 * Matches `disclosures` (each the content of an `sd_claims` byte string, as received) against the digests in
 * `claims` at any depth and returns the revealed claims. Never mutates its input.
 */
export function revealClaims(claims: Map<unknown, unknown>, disclosures: readonly (Uint8Array | Disclosure)[], options: RevealOptions): RevealResult {
  let table: DigestTable | undefined
  disclosures.forEach((item, index) => {
    const disclosure = item instanceof Uint8Array ? decodeDisclosure(item) : item
    const digest = redactedClaimHash(disclosure.bytes, options.hash, options.provider)
    table ??= new DigestTable(digest.length)
    if (!table.add({ index, disclosure, digest, used: false, next: undefined })) throw new E2eidError('ERR_SDCWT_DUPLICATE_DISCLOSURE', `disclosure ${index} is presented twice`)
  })
  table ??= new DigestTable(-1)
  const w = new Walker(table, options.mode, options.maxDepth ?? 32)
  const out = w.map(claims, [], undefined, 0)
  for (const e of table.entries) {
    if (!e.used) throw new E2eidError('ERR_SDCWT_UNUSED_DISCLOSURE', `disclosure ${e.index} matches no digest (extra or orphan disclosure)`)
  }
  return { claims: out, disclosures: w.revealed.sort((a, b) => a.index - b.index), undisclosed: w.undisclosed }
}
