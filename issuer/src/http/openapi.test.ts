/**
 * GET /openapi.json (issue 15): an OpenAPI 3.1 document of every route the issuer app registers (public and admin),
 * with request schemas generated from the zod schemas the handlers check requests with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApiPath } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ISSUER, makeFixture } from '../test-helpers/holder.js'

let f: Fixture
let doc: { openapi: string; info: { title: string; version: string }; servers: { url: string }[]; paths: Record<string, Record<string, Op>> }
interface Op {
  operationId: string
  summary: string
  parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }
  responses: Record<string, unknown>
  security?: Record<string, unknown>[]
}
beforeAll(async () => {
  f = await makeFixture()
  const r = await f.app.request('/openapi.json')
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')).toMatch(/^application\/json/)
  doc = (await r.json()) as typeof doc
})
afterAll(async () => {
  await f.close()
})

/** (METHOD, OpenAPI path) of every handler the app registers; middleware (`app.use`, method ALL) excluded. */
function registered(): string[] {
  return [...new Set(f.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${openApiPath(r.path)}`))].sort()
}
function documented(): string[] {
  return Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document: openapi 3.1.x, info, servers = the issuer identifier, paths', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(doc.servers).toEqual([{ url: ISSUER }])
    for (const [p, ops] of Object.entries(doc.paths)) {
      expect(p.startsWith('/')).toBe(true)
      for (const op of Object.values(ops)) {
        expect(typeof op.summary).toBe('string')
        expect(Object.keys(op.responses).length).toBeGreaterThan(0)
        // Every path template has its path parameter (OpenAPI 3.1 §4.8.12.1: required: true).
        const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
        expect((op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name)).toEqual(names)
        expect((op.parameters ?? []).filter((x) => x.in === 'path').every((x) => x.required)).toBe(true)
      }
    }
  })
  it('describes every route the app registers, and nothing it does not', () => {
    const reg = registered()
    expect(reg.length).toBeGreaterThan(25)
    expect(reg).toContain('GET /admin/users/{id}')
    expect(reg).toContain('POST /credential')
    expect(documented()).toEqual(reg)
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId))
    expect(new Set(ids).size).toBe(ids.length)
  })
  it('request schemas come from the zod schemas that check the requests', () => {
    const addUser = doc.paths['/admin/users']!.post!.requestBody!.content['application/json']!.schema
    expect(addUser).toMatchObject({ type: 'object', required: ['id', 'claims'], properties: { password: { type: 'string', minLength: 8, maxLength: 256 } } })
    const patch = doc.paths['/admin/users/{id}']!.patch!.requestBody!.content['application/json']!.schema
    expect(patch).toMatchObject({ additionalProperties: false, properties: { password: { anyOf: expect.any(Array) } } })
    const token = doc.paths['/token']!.post!.requestBody!.content['application/x-www-form-urlencoded']!.schema as { anyOf: Array<{ properties: { grant_type: { const: string } } }> }
    expect(token.anyOf.map((s) => s.properties.grant_type.const)).toEqual(['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'authorization_code'])
    const par = doc.paths['/par']!.post!.requestBody!.content['application/x-www-form-urlencoded']!.schema
    expect(par).toMatchObject({ properties: { code_challenge_method: { const: 'S256' } } })
    const list = doc.paths['/admin/users']!.get!.parameters!
    expect(list.find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } })
    expect(JSON.stringify(doc)).not.toContain('$schema')
  })
  it('admin operations require the admin token; public metadata does not', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) expect(p.startsWith('/admin/') ? op.security : [{ adminToken: [] }]).toEqual([{ adminToken: [] }])
    }
    expect(doc.paths['/.well-known/openid-credential-issuer']!.get!.security).toBeUndefined()
  })
})
