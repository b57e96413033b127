/**
 * @module status/interpret
 * Status values (draft-ietf-oauth-status-list §7.1) to verdicts: only VALID (0) is accepted.
 */
import { E2eidError } from '@e2eid/shared'

/** Throws ERR_STATUS_REVOKED (INVALID, 1), ERR_STATUS_SUSPENDED (2) or ERR_STATUS_NOT_VALID (any other non-zero value). */
export function assertStatusValid(status: number): void {
  if (status === 0) return
  if (status === 1) throw new E2eidError('ERR_STATUS_REVOKED', 'the credential is revoked (status INVALID)')
  if (status === 2) throw new E2eidError('ERR_STATUS_SUSPENDED', 'the credential is suspended')
  throw new E2eidError('ERR_STATUS_NOT_VALID', `the credential has status ${status}, not VALID`)
}
