/**
 * @module status-list/status-types
 * Status Types (draft-20 §7, IANA "OAuth Status Types").
 */

/** Registered status values. 0x03 and 0x0C-0x0F are application-specific; the rest is reserved. */
export const StatusType = {
  /** 0x00: the token is valid, correct or legal. */
  VALID: 0,
  /** 0x01: revoked, annulled, taken back, recalled or cancelled (final). */
  INVALID: 1,
  /** 0x02: temporarily invalid (needs bits ≥ 2). */
  SUSPENDED: 2,
  /** 0x03: application-specific. */
  APPLICATION_SPECIFIC: 3,
} as const

/** What a status value means (§7.1-7.2). */
export type StatusTypeName = 'VALID' | 'INVALID' | 'SUSPENDED' | 'APPLICATION_SPECIFIC' | 'RESERVED'

/** Names a status value: 0 VALID, 1 INVALID, 2 SUSPENDED, 3 and 0x0C-0x0F APPLICATION_SPECIFIC, else RESERVED. */
export function statusTypeName(value: number): StatusTypeName {
  if (value === 0) return 'VALID'
  if (value === 1) return 'INVALID'
  if (value === 2) return 'SUSPENDED'
  if (value === 3 || (value >= 0x0c && value <= 0x0f)) return 'APPLICATION_SPECIFIC'
  return 'RESERVED'
}
