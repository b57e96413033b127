/**
 * @module admin/offers
 * The admin API's view of {@link createCredentialOffer}: the JSON `e2eid issuer offer --json` prints.
 */
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { createCredentialOffer } from '../offer/create-offer.js'

export const zOfferRequest = z.object({
  user_id: z.string().min(1).max(128),
  credential_configuration_id: z.string().min(1).max(128),
  /** Default: true for the pre-authorized code flow (the offer alone must not be a bearer secret). */
  tx_code: z.boolean().optional(),
  flow: z.enum(['pre-authorized_code', 'authorization_code']).default('pre-authorized_code'),
})

/** Admin offer response. `offer_uri` is by reference; `offer_uri_by_value` carries the offer itself. */
export interface AdminOfferResponse {
  offer_uri: string
  tx_code: string | null
  credential_configuration_id: string
  offer_uri_by_value: string
  offer_id: string
  expires_at: number
}

export async function adminCreateOffer(ctx: IssuerContext, body: z.infer<typeof zOfferRequest>): Promise<AdminOfferResponse> {
  const o = await createCredentialOffer(ctx, { userId: body.user_id, credentialConfigurationIds: [body.credential_configuration_id], txCode: body.tx_code ?? body.flow === 'pre-authorized_code', flow: body.flow })
  return {
    offer_uri: o.offerUri,
    tx_code: o.txCode,
    credential_configuration_id: body.credential_configuration_id,
    offer_uri_by_value: o.offerUriByValue,
    offer_id: o.offerId,
    expires_at: o.expiresAt,
  }
}
