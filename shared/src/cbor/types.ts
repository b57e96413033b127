/**
 * @module cbor/types
 * The value model of the e2eid CBOR profile (RFC 8949):
 *
 * | CBOR                         | JavaScript                                   |
 * |------------------------------|----------------------------------------------|
 * | unsigned / negative integer  | `number` when a safe integer, else `bigint`  |
 * | byte string                  | `Uint8Array`                                 |
 * | text string                  | `string`                                     |
 * | array                        | `unknown[]`                                  |
 * | map                          | `Map<unknown, unknown>` (insertion order)    |
 * | tag                          | {@link CborTag}                              |
 * | false / true / null / undef. | `false` / `true` / `null` / `undefined`      |
 * | other simple values          | {@link CborSimple} (interned, usable as Map key) |
 * | float                        | `number`                                     |
 */
import { E2eidError } from '../errors.js'

/** A tagged data item, e.g. `new CborTag(18, [...])` for COSE_Sign1 or `new CborTag(60, digest)`. */
export class CborTag {
  /** The tag number (RFC 8949 §3.4). */
  readonly tag: number
  /** The tagged content. */
  readonly value: unknown

  constructor(tag: number, value: unknown) {
    if (!Number.isSafeInteger(tag) || tag < 0) throw new E2eidError('ERR_CBOR_UNSUPPORTED', `invalid tag number ${String(tag)}`)
    this.tag = tag
    this.value = value
  }
}

const simpleCache = new Map<number, CborSimple>()

/**
 * A CBOR simple value other than false/true/null/undefined, e.g. `simple(59)` (SD-CWT redacted_claim_keys).
 * Instances are interned: `new CborSimple(59) === new CborSimple(59)`, so a decoded `simple(59)` map key can be
 * looked up with `map.get(new CborSimple(59))`.
 */
export class CborSimple {
  /** The simple value number: 0..19 or 32..255 (20..23 are false/true/null/undefined; 24..31 are reserved). */
  readonly value!: number

  constructor(value: number) {
    const cached = simpleCache.get(value)
    if (cached !== undefined) return cached
    if (!Number.isInteger(value) || value < 0 || value > 255 || (value >= 20 && value <= 31)) {
      throw new E2eidError('ERR_CBOR_UNSUPPORTED', `simple(${String(value)}) cannot be represented as CborSimple`)
    }
    this.value = value
    Object.freeze(this)
    simpleCache.set(value, this)
  }

  toString(): string {
    return `simple(${this.value})`
  }
}
