/**
 * @module oauth/authorization-details
 * RFC 9396 `authorization_details` of type `openid_credential` (OpenID4VCI 1.0 §5.1.1) and
 * `scope` values (§5.1.2), both resolved to credential configuration ids.
 */
import { z } from 'zod'
import type { IssuerContext } from '../context.js'
import { parseWith } from '@e2eid/shared'
import { asOAuthError, oauthError } from '../http/oauth-error.js'
import { availableConfiguration, availableConfigurationIds } from '../credential/configurations.js'

const zDetails = z
  .array(
    z.looseObject({
      type: z.literal('openid_credential'),
      credential_configuration_id: z.string().min(1).max(128),
      locations: z.array(z.string()).optional(),
    }),
  )
  .min(1)
  .max(16)

/** Parses `authorization_details` (JSON text) into known configuration ids; invalid_request / unknown ids rejected. */
export function parseAuthorizationDetails(ctx: IssuerContext, text: string): string[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw oauthError('invalid_request', 'authorization_details is not JSON', 'ERR_ISSUER_AUTHORIZATION_DETAILS')
  }
  const details = parseWith(zDetails, json, 'ERR_ISSUER_AUTHORIZATION_DETAILS', () => 'authorization_details must be openid_credential entries', asOAuthError('invalid_request'))
  const ids: string[] = []
  for (const d of details) {
    if (availableConfiguration(ctx, d.credential_configuration_id) === undefined) {
      throw oauthError('invalid_request', `unknown credential configuration ${d.credential_configuration_id}`, 'ERR_ISSUER_UNKNOWN_CONFIGURATION')
    }
    // §5.1.1: locations, when present, must name this issuer.
    if (d.locations !== undefined && !d.locations.includes(ctx.issuerUrl)) {
      throw oauthError('invalid_request', 'authorization_details locations do not name this issuer', 'ERR_ISSUER_AUTHORIZATION_DETAILS')
    }
    if (!ids.includes(d.credential_configuration_id)) ids.push(d.credential_configuration_id)
  }
  return ids
}

/** Resolves a space-separated `scope` to configuration ids; unknown scopes are ignored (§5.1.2). */
export function configurationIdsForScope(ctx: IssuerContext, scope: string): string[] {
  const wanted = new Set(scope.split(' ').filter((s) => s.length > 0))
  return availableConfigurationIds(ctx).filter((id) => {
    const scope = ctx.config.credentialConfigurations[id]!.scope
    return scope !== undefined && wanted.has(scope)
  })
}
