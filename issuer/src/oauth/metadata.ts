/**
 * @module oauth/metadata
 * Credential Issuer Metadata (OpenID4VCI 1.0 §12.2) and Authorization Server Metadata (RFC 8414,
 * OpenID4VCI §12.3). The issuer is its own authorization server, so `authorization_servers` is omitted.
 */
import type { AuthorizationServerMetadata } from '@openid4vc/oauth2'
import type { CredentialIssuerMetadata } from '@openid4vc/openid4vci'
import type { IssuerContext } from '../context.js'
import { issuerEndpoint } from '../context.js'
import type { Oid4vcLibrary } from './library.js'
import { SD_JWT_VC_FORMAT } from '../config/config.js'
import { availableConfigurationIds } from '../credential/configurations.js'

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

/** Default `vct` of a dc+sd-jwt configuration without one. */
function vctOf(ctx: IssuerContext, configurationId: string): string {
  return ctx.config.credentialConfigurations[configurationId]?.vct ?? issuerEndpoint(ctx, `/vct/${configurationId}`)
}

/** Builds `/.well-known/openid-credential-issuer` (validated by the library). */
export function credentialIssuerMetadata(ctx: IssuerContext, lib: Oid4vcLibrary, signingAlg: 'ES256' | 'EdDSA' | 'ES384'): CredentialIssuerMetadata {
  const configs: Record<string, Record<string, unknown>> = {}
  for (const id of availableConfigurationIds(ctx)) {
    const c = ctx.config.credentialConfigurations[id]!
    const adapter = ctx.formats.get(c.format)
    const entry: Record<string, unknown> = {
      format: c.format,
      cryptographic_binding_methods_supported: ['jwk'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...c.proof_signing_alg_values_supported] } },
    }
    if (c.scope !== undefined) entry.scope = c.scope
    if (adapter !== undefined) entry.credential_signing_alg_values_supported = adapter.signingAlgValues(signingAlg)
    if (c.format === SD_JWT_VC_FORMAT) entry.vct = vctOf(ctx, id)
    else if (c.vct !== undefined) entry.vct = c.vct
    const meta: Record<string, unknown> = {}
    if (c.display !== undefined) meta.display = c.display
    if (c.claims !== undefined) meta.claims = c.claims
    if (Object.keys(meta).length > 0) entry.credential_metadata = meta
    configs[id] = entry
  }
  const md: Record<string, unknown> = {
    credential_issuer: ctx.issuerUrl,
    credential_endpoint: issuerEndpoint(ctx, '/credential'),
    nonce_endpoint: issuerEndpoint(ctx, '/nonce'),
    notification_endpoint: issuerEndpoint(ctx, '/notification'),
    credential_configurations_supported: configs,
    display: [{ name: 'e2eid identity authority', locale: 'en-US' }],
  }
  // §12.2.4: batch_size must be 2 or more when present.
  if (ctx.config.batchSize >= 2) md.batch_credential_issuance = { batch_size: ctx.config.batchSize }
  return lib.issuer.createCredentialIssuerMetadata(md as unknown as CredentialIssuerMetadata)
}

/** Builds `/.well-known/oauth-authorization-server` (validated by the library). */
export function authorizationServerMetadata(ctx: IssuerContext, lib: Oid4vcLibrary): AuthorizationServerMetadata {
  return lib.authorizationServer.createAuthorizationServerMetadata({
    issuer: ctx.issuerUrl,
    token_endpoint: issuerEndpoint(ctx, '/token'),
    authorization_endpoint: issuerEndpoint(ctx, '/authorize'),
    pushed_authorization_request_endpoint: issuerEndpoint(ctx, '/par'),
    require_pushed_authorization_requests: true,
    jwks_uri: issuerEndpoint(ctx, '/.well-known/jwks.json'),
    grant_types_supported: ['authorization_code', PRE_AUTHORIZED_GRANT],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    dpop_signing_alg_values_supported: ['ES256', 'EdDSA'],
    token_endpoint_auth_methods_supported: ['none'],
    authorization_details_types_supported: ['openid_credential'],
    scopes_supported: availableConfigurationIds(ctx).flatMap((id) => {
      const scope = ctx.config.credentialConfigurations[id]!.scope
      return scope === undefined ? [] : [scope]
    }),
    'pre-authorized_grant_anonymous_access_supported': true,
    authorization_response_iss_parameter_supported: true,
  } as AuthorizationServerMetadata)
}
