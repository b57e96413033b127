export { openApiDocument, openApiPath } from './openapi.js'
export type { OpenApiDocumentInput, OpenApiResponse, OpenApiRoute } from './openapi.js'
