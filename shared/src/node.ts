/**
 * @module @e2eid/shared/node
 * Node-only fast paths (node:crypto). Import from `@e2eid/shared/node`; the main
 * entry stays runtime-agnostic.
 */
export { createNodeCryptoProvider, nodeCryptoProvider } from './crypto/node.js'
export type { NodeCryptoProviderOptions } from './crypto/node.js'
export { createNodeCompression, nodeCompression } from './status-list/node-compression.js'
export type { NodeCompressionOptions } from './status-list/node-compression.js'
export { LOG_LEVELS, createLogger, isLogLevel, prettyLine, redactUrl, redactUrlsIn, requestLog, requestLogging, silentLogger } from './node/logging.js'
export type { CreateLoggerOptions, LoggableContext, Logger } from './node/logging.js'
