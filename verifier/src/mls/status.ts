/**
 * @module mls/status
 * Group status re-check on demand: asks a status checker about every member's
 * Token Status List entry (draft-ietf-oauth-status-list §7) and names the members whose
 * credentials are now revoked or suspended, so the application can remove them.
 */
import { E2eidError, SD_JWT_VC_FORMAT } from '@e2eid/shared'
import type { ClientState } from 'ts-mls'
import type { MlsCredentialAuthenticationService } from './authentication-service.js'
import { listMlsMembers } from './group.js'
import type { MlsGroupMember } from './group.js'
import type { MlsStatusChecker } from './types.js'
import type { StatusChecker } from '../status/types.js'
import type { TrustStore } from '../trust/types.js'

/** One member whose credential is no longer valid (or whose status could not be learned). */
export interface MlsStatusFinding {
  readonly leafIndex: number
  /** `sub` (or the basic identity). */
  readonly identity: string | undefined
  readonly issuer: string | undefined
  /** revoked = 0x01 INVALID; suspended = 0x02; other = any other non-zero value; unavailable = the check failed. */
  readonly status: 'revoked' | 'suspended' | 'other' | 'unavailable'
  /** The status value, when one was read. */
  readonly value?: number
  /** Why the check failed (status `unavailable`). */
  readonly error?: E2eidError
  readonly member: MlsGroupMember
}

/** Options of {@link recheckMlsGroupStatus}. */
export interface RecheckMlsGroupStatusParams {
  authService: MlsCredentialAuthenticationService
  state: ClientState
  checkStatus: MlsStatusChecker
  /** Skip the local client's own leaf. Default false. */
  skipOwn?: boolean
}

/**
 * Re-checks the status of every member that has a status reference and returns the members that
 * are not VALID. A failed check is reported as `unavailable` (fail closed: the application decides).
 */
export async function recheckMlsGroupStatus(p: RecheckMlsGroupStatusParams): Promise<MlsStatusFinding[]> {
  const members = await listMlsMembers(p)
  const findings = await Promise.all(
    members.map(async (m): Promise<MlsStatusFinding | undefined> => {
      if (m.status === undefined || (p.skipOwn === true && m.own)) return undefined
      const base = { leafIndex: m.leafIndex, identity: m.identity, issuer: m.issuer, member: m }
      let value: number
      try {
        value = await p.checkStatus(m.status, m)
      } catch (e) {
        const error = e instanceof E2eidError ? e : new E2eidError('ERR_MLS_STATUS_UNAVAILABLE', `status check failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
        return { ...base, status: 'unavailable', error }
      }
      if (value === 0) return undefined
      return { ...base, status: value === 1 ? 'revoked' : value === 2 ? 'suspended' : 'other', value }
    }),
  )
  return findings.filter((f): f is MlsStatusFinding => f !== undefined)
}

/** Options of {@link mlsStatusChecker}. */
export interface MlsStatusCheckerOptions {
  /** Answer from a cached list until its `exp` when a fetch fails (default false: fail closed). */
  graceUntilExp?: boolean
}

/**
 * Adapts the verifier's {@link StatusChecker} (status list fetch, signature check against the
 * issuing authority's keys, cache) to {@link MlsStatusChecker}: the authority's keys come from the
 * trust store by the member's recorded issuer.
 */
export function mlsStatusChecker(checker: StatusChecker, trust: TrustStore, options: MlsStatusCheckerOptions = {}): MlsStatusChecker {
  return async (ref, member) => {
    if (member.kind === 'basic' || member.issuer === undefined) throw new E2eidError('ERR_MLS_STATUS_UNAVAILABLE', 'no issuer to check the status with')
    const format = member.kind === 'sd-cwt' ? 'sd-cwt' : SD_JWT_VC_FORMAT
    const keys = await trust.issuerKeys({ iss: member.issuer, kid: undefined, format, purpose: 'status_list' })
    const r = await checker.status({ ref, issuerKeys: keys.keys, format, graceUntilExp: options.graceUntilExp === true })
    return r.status
  }
}
