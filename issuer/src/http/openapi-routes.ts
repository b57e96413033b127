/**
 * @module http/openapi-routes
 * Every route of the issuer app, public and admin, for the OpenAPI 3.1 document served at `/openapi.json`.
 * Request schemas are the zod schemas the handlers check requests with (zPar, the token grants, zNotification,
 * zNewUser, zUserUpdate, zOfferRequest, ...); the credential request is checked by hand for speed (see
 * credential/credential-request.ts), so its schema here describes the same rules. `openapi.test.ts` asserts that
 * every route the app registers is in the document.
 */
import { z } from 'zod'
import { openApiDocument } from '@e2eid/shared'
import type { OpenApiRoute } from '@e2eid/shared'
import { zAuthorizationCodeRequest, zPreAuthorizedRequest } from '../oauth/token.js'
import { zPar } from '../oauth/par.js'
import { zNotification } from '../credential/notification.js'
import { zNewUser, zUserListQuery, zUserUpdate } from '../admin/users.js'
import { zOfferRequest } from '../admin/offers.js'
import { zCompromise, zNewKey, zStatusChange, zUserRemoveQuery } from './admin-routes.js'

const zOAuthError = z.object({
  error: z.string().describe('OAuth 2.0 / OpenID4VCI error code'),
  error_description: z.string().optional(),
  code: z.string().optional().describe('e2eid error code (ERR_...)'),
})
const errors = { '4XX': { description: 'OAuth-style error', schema: zOAuthError } } as const
const json = (description: string) => ({ description, schema: z.record(z.string(), z.unknown()) })

const zUserView = z.object({ id: z.string(), claims: z.record(z.string(), z.unknown()), can_log_in: z.boolean(), created_at: z.number().int() })
const zCredentialSummary = z.object({
  id: z.string(),
  format: z.string(),
  credential_configuration_id: z.string(),
  status: z.enum(['valid', 'revoked', 'suspended', 'application_specific']),
  status_list: z.object({ uri: z.string(), idx: z.number().int() }),
  issued_at: z.number().int(),
  expires_at: z.number().int(),
})
const zKey = z.object({ kid: z.string(), alg: z.string(), created_at: z.number().int(), retired_at: z.number().int().nullable(), public_jwk: z.record(z.string(), z.unknown()) })

// OpenID4VCI 1.0 §8.2 (checked by hand in credential/credential-request.ts; the same rules).
const zCredentialRequest = z.looseObject({
  credential_identifier: z.string().min(1).max(128).optional(),
  credential_configuration_id: z.string().min(1).max(128).optional(),
  proofs: z.object({ jwt: z.array(z.string()).min(1) }).optional(),
  proof: z.object({ proof_type: z.literal('jwt'), jwt: z.string() }).optional().describe('drafts 13-15 form, when accept_legacy_proof is on'),
})
// GET /authorize (RFC 9126 §4): the request_uri from PAR and the client_id.
const zAuthorizeQuery = z.object({ request_uri: z.string(), client_id: z.string() })
// POST /authorize: the login form.
const zLoginForm = z.object({ session: z.string().max(128), username: z.string().max(256), password: z.string() })

const PUBLIC = ['Credential issuer (public)']
const ADMIN = ['Admin']
const adminAuth = ['adminToken']
const token = ['accessToken']

/** The issuer's routes (Hono paths). */
const ISSUER_ROUTES: readonly OpenApiRoute[] = [
  { method: 'get', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', tags: PUBLIC, responses: { '200': json('OpenAPI document') } },
  { method: 'get', path: '/.well-known/openid-credential-issuer', summary: 'Credential Issuer Metadata (OpenID4VCI 1.0 §12.2)', tags: PUBLIC, responses: { '200': json('metadata') } },
  { method: 'get', path: '/.well-known/oauth-authorization-server', summary: 'Authorization server metadata (RFC 8414)', tags: PUBLIC, responses: { '200': json('metadata') } },
  { method: 'get', path: '/.well-known/jwks.json', summary: 'Signing keys as a JWK Set', tags: PUBLIC, responses: { '200': { description: 'JWK Set', mediaType: 'application/jwk-set+json' } } },
  { method: 'get', path: '/.well-known/jwt-vc-issuer', summary: 'SD-JWT VC issuer metadata (draft-ietf-oauth-sd-jwt-vc)', tags: PUBLIC, responses: { '200': json('issuer metadata with jwks') } },
  { method: 'get', path: '/.well-known/did.json', summary: 'did:web document of the issuer', tags: PUBLIC, responses: { '200': json('DID document') } },
  { method: 'get', path: '/.well-known/cose-keys', summary: 'Signing keys as a COSE_KeySet (SD-CWT)', tags: PUBLIC, responses: { '200': { description: 'COSE_KeySet', mediaType: 'application/cose-key-set' } } },
  { method: 'get', path: '/vct/:id', summary: 'Type metadata of a credential configuration', tags: PUBLIC, responses: { '200': json('vct and name'), ...errors } },
  { method: 'get', path: '/offers/:id', summary: 'Credential offer by reference (OpenID4VCI 1.0 §4.1.3)', tags: PUBLIC, responses: { '200': json('credential offer'), ...errors } },
  {
    method: 'post', path: '/par', summary: 'Pushed authorization request (RFC 9126)', tags: PUBLIC,
    body: { schema: zPar, mediaType: 'application/x-www-form-urlencoded' },
    responses: { '201': { description: 'request_uri and expires_in', schema: z.object({ request_uri: z.string(), expires_in: z.number().int() }) }, ...errors },
  },
  {
    method: 'get', path: '/authorize', summary: 'Authorization endpoint: the login page for a pushed request', tags: PUBLIC, query: zAuthorizeQuery,
    responses: { '200': { description: 'login page', mediaType: 'text/html' }, '302': { description: 'redirect to the client' }, ...errors },
  },
  {
    method: 'post', path: '/authorize', summary: 'Login form submission', tags: PUBLIC,
    body: { schema: zLoginForm, mediaType: 'application/x-www-form-urlencoded' },
    responses: { '302': { description: 'redirect with the authorization code' }, '401': { description: 'login page again', mediaType: 'text/html' }, ...errors },
  },
  {
    method: 'post', path: '/token', summary: 'Token endpoint: pre-authorized code or authorization code grant (DPoP)', tags: PUBLIC,
    body: { schema: z.union([zPreAuthorizedRequest, zAuthorizationCodeRequest]), mediaType: 'application/x-www-form-urlencoded' },
    responses: { '200': json('token response (RFC 6749 §5.1)'), ...errors },
  },
  { method: 'post', path: '/nonce', summary: 'Nonce endpoint (OpenID4VCI 1.0 §7)', tags: PUBLIC, responses: { '200': { description: 'c_nonce', schema: z.object({ c_nonce: z.string() }) }, ...errors } },
  {
    method: 'post', path: '/credential', summary: 'Credential endpoint (OpenID4VCI 1.0 §8)', tags: PUBLIC, security: token,
    body: { schema: zCredentialRequest, mediaType: 'application/json' },
    responses: { '200': { description: 'credential response', schema: z.object({ credentials: z.array(z.object({ credential: z.string() })), notification_id: z.string() }) }, ...errors },
  },
  {
    method: 'post', path: '/notification', summary: 'Notification endpoint (OpenID4VCI 1.0 §11)', tags: PUBLIC, security: token,
    body: { schema: zNotification, mediaType: 'application/json' },
    responses: { '204': { description: 'recorded' }, ...errors },
  },
  {
    method: 'get', path: '/status-lists/:id', summary: 'Status list token (draft-ietf-oauth-status-list)', tags: PUBLIC,
    responses: { '200': { description: 'statuslist+jwt or statuslist+cwt', mediaType: 'application/statuslist+jwt' }, ...errors },
  },

  { method: 'post', path: '/admin/users', summary: 'Add a user', tags: ADMIN, security: adminAuth, body: { schema: zNewUser, mediaType: 'application/json' }, responses: { '201': { description: 'created', schema: z.object({ id: z.string() }) }, ...errors } },
  {
    method: 'get', path: '/admin/users', summary: 'List users (ordered by id, paginated)', tags: ADMIN, security: adminAuth, query: zUserListQuery,
    responses: { '200': { description: 'a page; next is the `after` of the following page', schema: z.object({ users: z.array(zUserView), next: z.string().nullable() }) }, ...errors },
  },
  { method: 'get', path: '/admin/users/:id', summary: 'Show a user', tags: ADMIN, security: adminAuth, responses: { '200': { description: 'the user', schema: zUserView }, ...errors } },
  {
    method: 'patch', path: '/admin/users/:id', summary: "Replace a user's claims and/or password (null: no login)", tags: ADMIN, security: adminAuth,
    body: { schema: zUserUpdate, mediaType: 'application/json' }, responses: { '200': { description: 'the user', schema: zUserView }, ...errors },
  },
  {
    method: 'delete', path: '/admin/users/:id', summary: 'Remove a user', tags: ADMIN, security: adminAuth, query: zUserRemoveQuery,
    description: 'Refused (409 ERR_ISSUER_USER_HAS_VALID_CREDENTIALS) while a credential of the user is neither revoked nor expired, unless revoke=true, which revokes them first. Removed credentials keep their status list entries.',
    responses: { '200': { description: 'removed', schema: z.object({ id: z.string(), removed: z.literal(true), revoked: z.array(z.string()), credentials: z.number().int() }) }, ...errors },
  },
  { method: 'get', path: '/admin/users/:id/credentials', summary: 'Credentials issued to a user', tags: ADMIN, security: adminAuth, responses: { '200': { description: 'credentials', schema: z.array(zCredentialSummary) }, ...errors } },
  { method: 'post', path: '/admin/offers', summary: 'Create a credential offer', tags: ADMIN, security: adminAuth, body: { schema: zOfferRequest, mediaType: 'application/json' }, responses: { '201': json('offer_uri, offer_uri_by_value, tx_code, offer_id, expires_at'), ...errors } },
  { method: 'get', path: '/admin/credentials/:id', summary: 'Show an issued credential', tags: ADMIN, security: adminAuth, responses: { '200': { description: 'credential', schema: zCredentialSummary }, ...errors } },
  {
    method: 'post', path: '/admin/credentials/:id/status', summary: 'Revoke, suspend or reinstate a credential', tags: ADMIN, security: adminAuth,
    body: { schema: zStatusChange, mediaType: 'application/json' }, responses: { '200': { description: 'credential', schema: zCredentialSummary }, ...errors },
  },
  { method: 'get', path: '/admin/keys', summary: 'List signing keys', tags: ADMIN, security: adminAuth, responses: { '200': { description: 'keys', schema: z.array(zKey) }, ...errors } },
  { method: 'post', path: '/admin/keys', summary: 'Add a signing key (it signs from now on)', tags: ADMIN, security: adminAuth, body: { schema: zNewKey, mediaType: 'application/json' }, responses: { '201': json('kid, alg, public_jwk'), ...errors } },
  { method: 'post', path: '/admin/keys/:kid/retire', summary: 'Retire a signing key (stays published)', tags: ADMIN, security: adminAuth, responses: { '200': json('kid, retired'), ...errors } },
  {
    method: 'post', path: '/admin/keys/:kid/compromise', summary: 'Withdraw a compromised signing key (unpublished; nothing it signed since `since` verifies)', tags: ADMIN,
    security: adminAuth, body: { schema: zCompromise, mediaType: 'application/json' }, responses: { '200': json('kid, compromised_since'), ...errors },
  },
]

/** The issuer's OpenAPI 3.1 document (`issuerUrl` as its server). */
export function issuerOpenApiDocument(issuerUrl: string, version = '0.1.0'): Record<string, unknown> {
  return openApiDocument({
    info: { title: 'e2eid issuer', version, description: 'OpenID4VCI 1.0 credential issuer and its admin API' },
    servers: [{ url: issuerUrl }],
    securitySchemes: {
      adminToken: { type: 'http', scheme: 'bearer', description: 'the admin token (E2EID_ADMIN_TOKEN or the file serve wrote)' },
      accessToken: { type: 'http', scheme: 'DPoP', description: 'access token from /token, DPoP-bound (RFC 9449) or Bearer' },
    },
    routes: ISSUER_ROUTES,
  })
}
