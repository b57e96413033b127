/**
 * @module openapi/openapi
 * A small OpenAPI 3.1 generator for the issuer and the verifier service: each service lists its routes once
 * (method, Hono path, summary, the zod schemas that check the query and body, the responses), and the document is
 * generated from those schemas with zod 4's `z.toJSONSchema` (JSON Schema draft 2020-12, the dialect of
 * OpenAPI 3.1, §4.8.24). Request schemas are rendered as the input they accept (`io: 'input'`: defaults optional,
 * coercions as the target type).
 */
import { z } from 'zod'

/** One response of a route. `schema` (a zod schema) describes a JSON body; `mediaType` another body type. */
export interface OpenApiResponse {
  description: string
  schema?: z.ZodType
  /** Default application/json when `schema` is given. */
  mediaType?: string
}

/** One route as the service registers it. */
export interface OpenApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  /** The Hono path (`/admin/users/:id`); path parameters are `{id}` in the document. */
  path: string
  summary: string
  description?: string
  tags?: readonly string[]
  /** Names of security schemes (all required: one requirement object); none = public. */
  security?: readonly string[]
  /** The zod object schema that checks the query string. */
  query?: z.ZodObject
  /** The request body and the zod schema that checks it. */
  body?: { schema: z.ZodType; mediaType: 'application/json' | 'application/x-www-form-urlencoded'; required?: boolean }
  /** Responses by status code ("200", "4XX", ...). */
  responses: Readonly<Record<string, OpenApiResponse>>
}

/** Input of {@link openApiDocument}. */
export interface OpenApiDocumentInput {
  info: { title: string; version: string; description?: string }
  servers?: readonly { url: string }[]
  /** Components.securitySchemes (OpenAPI 3.1 §4.8.27). */
  securitySchemes?: Readonly<Record<string, Record<string, unknown>>>
  routes: readonly OpenApiRoute[]
}

/** `/a/:id/b` → `/a/{id}/b` (OpenAPI path templating, §4.8.8). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // 'any' for what JSON Schema cannot express (refinements, transforms): the check still runs in the handler.
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>
  delete s.$schema
  return s
}

function responses(r: OpenApiRoute['responses']): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [status, res] of Object.entries(r)) {
    const mediaType = res.mediaType ?? (res.schema === undefined ? undefined : 'application/json')
    out[status] = {
      description: res.description,
      ...(mediaType === undefined ? {} : { content: { [mediaType]: res.schema === undefined ? {} : { schema: jsonSchema(res.schema) } } }),
    }
  }
  return out
}

function operation(r: OpenApiRoute): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = []
  for (const m of r.path.matchAll(/:([A-Za-z0-9_]+)/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })
  if (r.query !== undefined) {
    for (const [name, s] of Object.entries(r.query.shape as Record<string, z.ZodType>)) {
      parameters.push({ name, in: 'query', required: !s.safeParse(undefined).success, schema: jsonSchema(s) })
    }
  }
  return {
    summary: r.summary,
    ...(r.description === undefined ? {} : { description: r.description }),
    ...(r.tags === undefined ? {} : { tags: [...r.tags] }),
    operationId: `${r.method}${r.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(r.body === undefined ? {} : { requestBody: { required: r.body.required ?? true, content: { [r.body.mediaType]: { schema: jsonSchema(r.body.schema) } } } }),
    responses: responses(r.responses),
    ...(r.security === undefined || r.security.length === 0 ? {} : { security: [Object.fromEntries(r.security.map((s) => [s, []]))] }),
  }
}

/** Builds the OpenAPI 3.1.1 document of `routes`. Throws on a route listed twice. */
export function openApiDocument(input: OpenApiDocumentInput): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of input.routes) {
    const p = (paths[openApiPath(r.path)] ??= {})
    if (p[r.method] !== undefined) throw new TypeError(`route ${r.method.toUpperCase()} ${r.path} listed twice`)
    p[r.method] = operation(r)
  }
  return {
    openapi: '3.1.1',
    info: { ...input.info },
    ...(input.servers === undefined ? {} : { servers: input.servers.map((s) => ({ ...s })) }),
    paths,
    ...(input.securitySchemes === undefined ? {} : { components: { securitySchemes: { ...input.securitySchemes } } }),
  }
}
