/**
 * @module oauth/clients
 * Which clients may use the authorization code flow, and where their codes may go.
 * RFC 9700 §2.1 / §4.1.3: redirect URIs are registered and compared by exact string match, never by
 * origin or prefix; an unregistered client is refused (RFC 6749 §5.2 invalid_client) before anything is
 * stored or shown, so an attacker-chosen client_id never reaches the login page. With no `clients`
 * configured, the authorization code flow is closed (the pre-authorized code flow has no redirect).
 */
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'

/** Throws unless `clientId` is registered and `redirectUri` is exactly one of its redirect URIs. */
export function checkClientRedirect(ctx: IssuerContext, clientId: string, redirectUri: string): void {
  const client = Object.hasOwn(ctx.config.clients, clientId) ? ctx.config.clients[clientId] : undefined
  if (client === undefined) {
    throw oauthError('invalid_client', 'unknown client_id: register the client and its redirect URIs in the issuer config (clients)', 'ERR_ISSUER_CLIENT_UNKNOWN')
  }
  if (!client.redirect_uris.includes(redirectUri)) {
    throw oauthError('invalid_request', 'redirect_uri is not registered for this client (exact match)', 'ERR_ISSUER_REDIRECT_URI')
  }
}
