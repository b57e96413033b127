/**
 * @module service/openapi-routes
 * Every route of the verifier service, for the OpenAPI 3.1 document served at `/openapi.json`. The direct_post
 * body's `vp_token` is described by {@link zVpToken}, the zod schema `parseDirectPostResponse` checks it with
 * (OpenID4VP 1.0 §8.1); `openapi.test.ts` asserts that every route the app registers is in the document.
 */
import { z } from 'zod'
import { openApiDocument } from '@e2eid/shared'
import type { OpenApiRoute } from '@e2eid/shared'
import { zVpToken } from '../openid4vp/response.js'

const zError = z.object({ error: z.string(), error_description: z.string().optional() })
const errors = { '4XX': { description: 'OAuth-style error', schema: zError } } as const
const html = (description: string) => ({ description, mediaType: 'text/html' })

// OpenID4VP 1.0 §8.2 direct_post: form fields; vp_token is JSON text checked against zVpToken after parsing.
const vpTokenJson = z.toJSONSchema(zVpToken, { io: 'input' }) as Record<string, unknown>
delete vpTokenJson.$schema
const zDirectPost = z.object({
  state: z.string().min(1),
  vp_token: z.string().optional().meta({ contentMediaType: 'application/json', contentSchema: vpTokenJson, description: 'JSON object: Credential Query id → presentations (§8.1)' }),
  error: z.string().optional().describe('wallet error (§8.5); then no vp_token'),
  error_description: z.string().optional(),
})
const zCreated = z.object({
  id: z.string(),
  request: z.record(z.string(), z.unknown()).describe('the Authorization Request (OpenID4VP 1.0 §5)'),
  request_uri: z.string(),
  page: z.string(),
  result: z.string(),
  result_token: z.string().describe('reads the result (Authorization: Bearer)'),
  expires_at: z.number(),
})
const zResponseCode = z.object({ response_code: z.string().optional() })

const TAGS = ['Verifier']

/** The verifier service's routes (Hono paths). */
const VERIFIER_ROUTES: readonly OpenApiRoute[] = [
  { method: 'get', path: '/openapi.json', summary: 'This OpenAPI 3.1 document', tags: TAGS, responses: { '200': { description: 'OpenAPI document', schema: z.record(z.string(), z.unknown()) } } },
  { method: 'get', path: '/', summary: 'Home page (start a request)', tags: TAGS, responses: { '200': html('home page') } },
  {
    method: 'post', path: '/requests', summary: 'Create an OpenID4VP Authorization Request (DCQL, direct_post)', tags: TAGS,
    query: z.object({ html: z.string().optional().describe('present: redirect to the request page (with the result cookie)') }),
    responses: { '201': { description: 'the request', schema: zCreated }, '303': { description: 'redirect to the request page' }, ...errors },
  },
  { method: 'get', path: '/requests/:id', summary: 'The Authorization Request (JSON)', tags: TAGS, responses: { '200': { description: 'request', schema: z.record(z.string(), z.unknown()) }, ...errors } },
  {
    method: 'get', path: '/requests/:id/page', summary: 'Request page: QR code, then the verdict for the holder of the result', tags: TAGS, query: zResponseCode,
    responses: { '200': html('page'), '303': { description: 'response_code exchanged for the result cookie' }, '404': html('unknown request') },
  },
  {
    method: 'get', path: '/results/:id', summary: 'The verdict (result_token as Bearer, or the response_code)', tags: TAGS, query: zResponseCode, security: ['resultToken'],
    responses: { '200': { description: 'verdict', schema: z.record(z.string(), z.unknown()) }, ...errors },
  },
  {
    method: 'post', path: '/response', summary: 'Response URI: the wallet posts its Authorization Response (direct_post, §8.2)', tags: TAGS,
    body: { schema: zDirectPost, mediaType: 'application/x-www-form-urlencoded' },
    responses: { '200': { description: 'redirect_uri with a response_code', schema: z.object({ redirect_uri: z.string() }) }, ...errors },
  },
]

/** The verifier's OpenAPI 3.1 document (`publicUrl` as its server). */
export function verifierOpenApiDocument(publicUrl: string, version = '0.1.0'): Record<string, unknown> {
  return openApiDocument({
    info: { title: 'e2eid verifier', version, description: 'OpenID4VP 1.0 verifier service (DCQL, direct_post)' },
    servers: [{ url: publicUrl }],
    securitySchemes: { resultToken: { type: 'http', scheme: 'bearer', description: 'result_token returned by POST /requests' } },
    routes: VERIFIER_ROUTES,
  })
}
