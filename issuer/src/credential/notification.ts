/**
 * @module credential/notification
 * The Notification Endpoint (OpenID4VCI 1.0 §11): the wallet reports what became of the credentials
 * of one Credential Response. Idempotent; answers 204.
 */
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'

export const zNotification = z.looseObject({
  notification_id: z.string().min(1).max(128),
  event: z.enum(['credential_accepted', 'credential_failure', 'credential_deleted']),
  event_description: z.string().max(1024).regex(/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/).optional(),
})

/**
 * Records a notification event; invalid_notification_id / invalid_notification_request. A notification
 * id only counts for the user whose credentials it names (another user's token gets invalid_notification_id).
 */
export async function handleNotification(ctx: IssuerContext, userId: string, body: unknown): Promise<void> {
  const parsed = zNotification.safeParse(body)
  if (!parsed.success) throw oauthError('invalid_notification_request', 'notification_id and a known event are required')
  const n = parsed.data
  const known = await ctx.repo.getNotification(n.notification_id)
  const credential = known === null ? null : await ctx.repo.getCredential(known.credentialId)
  if (credential === null || credential.userId !== userId) throw oauthError('invalid_notification_id', 'unknown notification_id')
  const ok = await ctx.repo.recordNotificationEvent(n.notification_id, n.event, n.event_description ?? null, ctx.now())
  if (!ok) throw oauthError('invalid_notification_id', 'unknown notification_id')
}
