/**
 * @module sd-cwt/safe
 * §5.3: header maps and the KBT payload may hold only "safe" values: no tags 58, 60, 62 and no simple values
 * 24-31 or 59 anywhere inside; map labels int or tstr of at most 255 bytes.
 */
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import { CborSimple, CborTag } from '../cbor/types.js'
import { TAG_REDACTED_ELEMENT, TAG_TO_BE_DECOY, TAG_TO_BE_REDACTED } from './constants.js'
import { isClaimLabel } from './disclosure.js'

const UNSAFE_TAGS = new Set([TAG_TO_BE_REDACTED, TAG_REDACTED_ELEMENT, TAG_TO_BE_DECOY])

/** Throws `code` when `v` holds an SD-CWT-only value (tags 58/60/62, simple(59)) or a map label that is not int/tstr. */
export function assertSafe(v: unknown, code: ErrorCode, where: string, labels = true): void {
  if (v instanceof CborSimple) {
    if (v.value === 59 || (v.value >= 24 && v.value <= 31)) throw new E2eidError(code, `${where} holds ${v.toString()}, which is not allowed there`)
  } else if (v instanceof CborTag) {
    if (UNSAFE_TAGS.has(v.tag)) throw new E2eidError(code, `${where} holds tag ${v.tag}, which is not allowed there`)
    assertSafe(v.value, code, where, labels)
  } else if (Array.isArray(v)) {
    for (const x of v) assertSafe(x, code, where, labels)
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      if (labels && !isClaimLabel(k)) throw new E2eidError(code, `${where} has a label that is not an int or a short text string`)
      assertSafe(k, code, where, labels)
      assertSafe(x, code, where, labels)
    }
  }
}
