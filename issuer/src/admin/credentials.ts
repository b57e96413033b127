/**
 * @module admin/credentials
 * What was issued to a user, and status changes (revoke, suspend, reinstate). A change is one
 * repository transaction that updates the credential and its status list bits; the next status list
 * token fetched shows it. Revocation is final (draft-ietf-oauth-status-list §7.1: INVALID).
 */
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import type { IssuedCredentialRecord } from '../storage/repository.js'
import { statusListUri } from '../status/status-list-uri.js'

/** Status values of the Token Status List (§7.1). */
export const STATUS = { valid: 0, revoked: 1, suspended: 2 } as const
type StatusName = keyof typeof STATUS | 'application_specific'

function statusName(v: number): StatusName {
  return v === 0 ? 'valid' : v === 1 ? 'revoked' : v === 2 ? 'suspended' : 'application_specific'
}

function formatIdentifier(ctx: IssuerContext, recordFormat: string): string {
  for (const a of ctx.formats.values()) if (a.recordFormat === recordFormat) return a.format
  return recordFormat
}

/** One issued credential as the admin API and `e2eid issuer credentials --json` show it. */
export interface CredentialSummary {
  id: string
  format: string
  credential_configuration_id: string
  status: StatusName
  status_list: { uri: string; idx: number }
  issued_at: number
  expires_at: number
}

export function summarizeCredential(ctx: IssuerContext, r: IssuedCredentialRecord): CredentialSummary {
  return {
    id: r.id,
    // The OpenID4VCI format identifier, as in the metadata and the wallet (not the storage name).
    format: formatIdentifier(ctx, r.format),
    credential_configuration_id: r.credentialConfigurationId,
    status: statusName(r.status),
    status_list: { uri: statusListUri(ctx, r.statusListId), idx: r.statusIdx },
    issued_at: r.issuedAt,
    expires_at: r.expiresAt,
  }
}

/** Credentials issued to `userId` (not_found for an unknown user). */
export async function listUserCredentials(ctx: IssuerContext, userId: string): Promise<CredentialSummary[]> {
  if ((await ctx.repo.getUser(userId)) === null) throw oauthError('not_found', `no user ${userId}`, 'ERR_ISSUER_USER_NOT_FOUND')
  return (await ctx.repo.listCredentials(userId)).map((r) => summarizeCredential(ctx, r))
}

/** Sets a credential's status. Reinstating or suspending a revoked credential is refused (409). */
export async function changeCredentialStatus(ctx: IssuerContext, id: string, to: 'revoked' | 'suspended' | 'valid'): Promise<CredentialSummary> {
  const current = id.length > 128 ? null : await ctx.repo.getCredential(id)
  if (current === null) throw oauthError('not_found', `no credential ${id}`, 'ERR_ISSUER_CREDENTIAL_NOT_FOUND')
  if (current.status === STATUS.revoked && to !== 'revoked') {
    throw oauthError('conflict', 'a revoked credential cannot be suspended or reinstated', 'ERR_ISSUER_CREDENTIAL_REVOKED')
  }
  const updated = await ctx.repo.setCredentialStatus(id, STATUS[to], ctx.now())
  return summarizeCredential(ctx, updated)
}
