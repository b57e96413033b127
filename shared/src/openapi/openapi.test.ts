import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openApiDocument, openApiPath } from './openapi.js'

describe('openApiDocument (OpenAPI 3.1 from zod schemas)', () => {
  it('templates Hono paths and declares their path parameters (§4.8.8, §4.8.12)', () => {
    expect(openApiPath('/admin/keys/:kid/retire')).toBe('/admin/keys/{kid}/retire')
    const doc = openApiDocument({ info: { title: 't', version: '1' }, routes: [{ method: 'post', path: '/a/:x/b/:y', summary: 's', responses: { '204': { description: 'ok' } } }] }) as {
      paths: Record<string, Record<string, { parameters: unknown[] }>>
    }
    expect(doc.paths['/a/{x}/b/{y}']!.post!.parameters).toEqual([
      { name: 'x', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'y', in: 'path', required: true, schema: { type: 'string' } },
    ])
  })
  it('renders request schemas as the input they accept: defaults and optionals are not required', () => {
    const doc = openApiDocument({
      info: { title: 't', version: '1' },
      routes: [{
        method: 'get', path: '/q', summary: 's', query: z.object({ n: z.coerce.number().int().default(3), id: z.string() }),
        body: { schema: z.object({ a: z.string().min(2) }).strict(), mediaType: 'application/json' }, responses: { '200': { description: 'ok' } },
      }],
    }) as { openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string; required: boolean }>; requestBody: unknown }>> }
    expect(doc.openapi).toBe('3.1.1')
    const op = doc.paths['/q']!.get!
    expect(op.parameters.map((p) => [p.name, p.required])).toEqual([['n', false], ['id', true]])
    expect(op.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { type: 'object', properties: { a: { type: 'string', minLength: 2 } }, required: ['a'], additionalProperties: false } } } })
  })
  it('refuses a route listed twice', () => {
    const r = { method: 'get' as const, path: '/x', summary: 's', responses: { '200': { description: 'ok' } } }
    expect(() => openApiDocument({ info: { title: 't', version: '1' }, routes: [r, r] })).toThrow(/listed twice/)
  })
})
