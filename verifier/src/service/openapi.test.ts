/**
 * GET /openapi.json of the verifier service (issue 15): an OpenAPI 3.1 document of every route the app registers,
 * the direct_post vp_token described by the zod schema the response parser checks it with.
 */
import { describe, expect, it } from 'vitest'
import { openApiPath } from '@e2eid/shared'
import { createHttpClient } from '../http.js'
import { createTrustStore } from '../trust/trust-store.js'
import { createVerifierApp } from './app.js'

const walletOrigins = ['https://wallet.example']
const app = createVerifierApp({ publicUrl: 'https://verifier.example', trust: createTrustStore({ http: createHttpClient({}), authorities: [] }), walletOrigins, policy: { credentialTypes: ['https://issuer.example/vct/x'] } })

describe('verifier GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every route the app registers, and nothing else', async () => {
    const res = await app.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; info: { title: string; version: string }; servers: unknown; paths: Record<string, Record<string, { responses: object }>> }
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(doc.servers).toEqual([{ url: 'https://verifier.example' }])
    const registered = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${openApiPath(r.path)}`))].sort()
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()
    expect(registered).toEqual(expect.arrayContaining(['POST /response', 'POST /requests', 'GET /results/{id}', 'GET /requests/{id}/page']))
    expect(documented).toEqual(registered)
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0)
  })
  it('the direct_post vp_token schema is zVpToken: query ids to 1..16 presentations', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, Record<string, unknown>> } }> } }>>
    }
    const form = doc.paths['/response']!.post!.requestBody.content['application/x-www-form-urlencoded']!.schema
    expect(form.properties.vp_token).toMatchObject({
      type: 'string',
      contentMediaType: 'application/json',
      contentSchema: { type: 'object', additionalProperties: { type: 'array', minItems: 1, maxItems: 16 } },
    })
  })
})
