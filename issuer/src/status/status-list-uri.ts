/**
 * @module status/status-list-uri
 * Where a status list token is published: `<issuer>/status-lists/<id>`.
 */
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'

/** The status list token URI referenced by credentials (`status.status_list.uri`). */
export function statusListUri(ctx: Pick<IssuerContext, 'issuerUrl'>, listId: string): string {
  return issuerEndpoint(ctx, `/status-lists/${encodeURIComponent(listId)}`)
}
