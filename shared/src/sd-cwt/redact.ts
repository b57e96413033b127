/**
 * @module sd-cwt/redact
 * Turns a pre-issuance claims set (§11) into issued claims plus disclosures:
 * - `58(label): value` in a map → the entry is removed, `[salt, value, label]` disclosed, its hash appended to
 *   the map's `simple(59)` array;
 * - `58(value)` as an array element → replaced in place by `60(hash)` of `[salt, value]`;
 * - `62(n): null` in a map or `62(n)` in an array → a decoy `[salt]` whose hash is listed the same way;
 * - a redacted container's own entries are redacted first (nested disclosures), so children precede parents
 *   in the disclosure list, as in the draft's examples.
 * Every digest gets a disclosure, decoys included (-07 §10).
 */
import { E2eidError } from '../errors.js'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborSimple, CborTag } from '../cbor/types.js'
import { NEVER_REDACTED, REDACTED_CLAIM_KEYS, SALT_LENGTH, TAG_REDACTED_ELEMENT, TAG_TO_BE_DECOY, TAG_TO_BE_REDACTED } from './constants.js'
import { isClaimLabel } from './disclosure.js'
import { redactedClaimHash } from './digest.js'

/** What a salt is for (lets tests reproduce the draft's fixed salts; production uses random salts). */
export type SaltContext =
  | { kind: 'claim'; key: number | string; value: unknown }
  | { kind: 'element'; value: unknown }
  | { kind: 'decoy'; decoy: number }

/** Options of {@link redactClaims}. */
export interface RedactOptions {
  hash: HashAlgorithm
  provider: Pick<CryptoProvider, 'digest' | 'randomBytes'>
  /** Salt source; default 16 fresh random bytes from the provider for every disclosure (§6.1, §16.4). */
  salt?: (ctx: SaltContext) => Uint8Array
  /** Encode disclosure values with RFC 8949 §4.2.1 sorted map keys (default true). */
  canonical?: boolean
}

/** Output of {@link redactClaims}. */
export interface RedactResult {
  /** The claims as issued: redactions replaced by `simple(59)` lists and `60(hash)` elements. */
  claims: Map<unknown, unknown>
  /** Every disclosure, encoded (the content of each `sd_claims` byte string), in creation order. */
  disclosures: Uint8Array[]
}

function labelId(k: unknown): string {
  return typeof k === 'string' ? 's' + k : 'n' + String(k)
}

function invalid(message: string): never {
  throw new E2eidError('ERR_SDCWT_INVALID_PREISSUANCE', message)
}

class Redactor {
  readonly disclosures: Uint8Array[] = []
  readonly decoyNumbers = new Set<number>()
  // Random salts are cut from one provider call for several disclosures (one call costs ~5 µs).
  private pool: Uint8Array = new Uint8Array(0)
  private at = 0
  constructor(readonly options: RedactOptions) {}

  private randomSalt(): Uint8Array {
    if (this.at + SALT_LENGTH > this.pool.length) {
      this.pool = this.options.provider.randomBytes(SALT_LENGTH * 8)
      this.at = 0
    }
    this.at += SALT_LENGTH
    return this.pool.subarray(this.at - SALT_LENGTH, this.at)
  }

  salt(ctx: SaltContext): Uint8Array {
    const s = this.options.salt !== undefined ? this.options.salt(ctx) : this.randomSalt()
    if (!(s instanceof Uint8Array) || s.length !== SALT_LENGTH) throw new E2eidError('ERR_SDCWT_SALT_INVALID', `a salt must be ${SALT_LENGTH} bytes`)
    return s
  }

  disclose(items: unknown[]): Uint8Array {
    const bytes = encodeCbor(items, { canonical: this.options.canonical !== false })
    this.disclosures.push(bytes)
    return redactedClaimHash(bytes, this.options.hash, this.options.provider)
  }

  decoy(n: unknown): Uint8Array {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) invalid('62(n) needs an unsigned integer n > 0')
    if (this.decoyNumbers.has(n)) invalid(`decoy number ${n} is used twice`)
    this.decoyNumbers.add(n)
    return this.disclose([this.salt({ kind: 'decoy', decoy: n })])
  }

  value(v: unknown, depth: number): unknown {
    if (depth > 64) invalid('pre-issuance claims nest too deeply')
    if (v instanceof Map) return this.map(v, false, depth)
    if (Array.isArray(v)) return this.array(v, depth)
    if (v instanceof CborTag) {
      if (v.tag === TAG_TO_BE_REDACTED) invalid('58 may wrap a map key or an array element, never a map value')
      if (v.tag === TAG_TO_BE_DECOY) invalid('62 may only be a map key or an array element')
      if (v.tag === TAG_REDACTED_ELEMENT) invalid('tag 60 is not allowed before issuance')
      return new CborTag(v.tag, this.value(v.value, depth + 1))
    }
    if (v instanceof CborSimple && v.value === 59) invalid('simple(59) is not allowed before issuance')
    return v
  }

  map(m: Map<unknown, unknown>, top: boolean, depth: number): Map<unknown, unknown> {
    const seen = new Set<string>()
    for (const k of m.keys()) {
      let label = k
      if (k instanceof CborTag && k.tag === TAG_TO_BE_REDACTED) label = k.value
      else if (k instanceof CborTag && k.tag === TAG_TO_BE_DECOY) continue
      if (!isClaimLabel(label)) invalid(`map key ${String(label)} must be an int, a text string of at most 255 bytes, 58(label) or 62(n)`)
      // k and 58(k) are the same key (§11).
      if (seen.has(labelId(label))) throw new E2eidError('ERR_SDCWT_DUPLICATE_CLAIM', `claim ${String(label)} appears twice (k and 58(k) count as the same key)`)
      seen.add(labelId(label))
      if (top && k !== label && typeof label === 'number' && NEVER_REDACTED.has(label)) {
        throw new E2eidError('ERR_SDCWT_REDACTION_FORBIDDEN', `claim ${label} (iss, aud, exp, nbf, iat, cti, cnf, vct, cnonce, status) must never be redacted`)
      }
    }
    const out = new Map<unknown, unknown>()
    const digests: Uint8Array[] = []
    for (const [k, v] of m) {
      if (k instanceof CborTag && k.tag === TAG_TO_BE_REDACTED) {
        const inner = this.value(v, depth + 1)
        const key = k.value as number | string
        digests.push(this.disclose([this.salt({ kind: 'claim', key, value: inner }), inner, key]))
      } else if (k instanceof CborTag && k.tag === TAG_TO_BE_DECOY) {
        if (v !== null) invalid('the value of a 62(n) key must be null')
        digests.push(this.decoy(k.value))
      } else {
        out.set(k, this.value(v, depth + 1))
      }
    }
    if (digests.length > 0) out.set(REDACTED_CLAIM_KEYS, digests)
    return out
  }

  array(a: unknown[], depth: number): unknown[] {
    return a.map((item) => {
      if (item instanceof CborTag && item.tag === TAG_TO_BE_REDACTED) {
        const inner = this.value(item.value, depth + 1)
        return new CborTag(TAG_REDACTED_ELEMENT, this.disclose([this.salt({ kind: 'element', value: inner }), inner]))
      }
      if (item instanceof CborTag && item.tag === TAG_TO_BE_DECOY) return new CborTag(TAG_REDACTED_ELEMENT, this.decoy(item.value))
      return this.value(item, depth + 1)
    })
  }
}

/**
 * Applies the pre-issuance markers of `claims` (tags 58 and 62). Errors: ERR_SDCWT_INVALID_PREISSUANCE,
 * ERR_SDCWT_DUPLICATE_CLAIM (k with 58(k)), ERR_SDCWT_REDACTION_FORBIDDEN (iss, aud, exp, nbf, iat, cti, cnf,
 * cnonce), ERR_SDCWT_SALT_INVALID.
 */
export function redactClaims(claims: Map<unknown, unknown>, options: RedactOptions): RedactResult {
  if (!(claims instanceof Map)) invalid('claims must be a Map')
  const r = new Redactor(options)
  const out = r.map(claims, true, 0)
  return { claims: out, disclosures: r.disclosures }
}
