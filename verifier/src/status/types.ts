/**
 * @module status/types
 * How the verifier asks for the status of a credential (draft-ietf-oauth-status-list §8).
 */
import type { PublicJwk } from '@e2eid/shared'
import type { StatusReference } from '../formats/types.js'
import type { PresentationFormat } from '../trust/types.js'

/** The status of a credential as read from a verified Status List Token. */
export interface StatusResult {
  /** The status value (§7: 0 VALID, 1 INVALID, 2 SUSPENDED, …). */
  status: number
  /** True when answered from a cached list rather than a fresh fetch. */
  fromCache: boolean
  /** True when a refresh failed and a cached list (before its `exp`) answered: only under 'grace-until-exp'. */
  offline?: boolean
  /** The Status List Token's uri (the credential's `status_list.uri`). */
  uri?: string
  /** When the answering list was fetched (Unix seconds): with `fromCache`, how current the verdict's status is. */
  fetchedAt?: number
}

/** Context of one status lookup. */
export interface StatusLookup {
  ref: StatusReference
  /** Keys of the authority that issued the credential: the list must be signed by one of them (§8.3 step 3, §11.3). */
  issuerKeys: readonly PublicJwk[]
  /** Format of the referenced credential (SD-JWT VC requires a JWT list, §6.1 / SD-JWT VC §2.2.2). */
  format: PresentationFormat
  /** Answer from a cached, verified list until its `exp` when a fresh fetch fails (policy 'grace-until-exp'). */
  graceUntilExp: boolean
}

/** Answers the status of a referenced credential; throws ERR_STATUS_* when it cannot. */
export interface StatusChecker {
  status(lookup: StatusLookup): Promise<StatusResult>
}
