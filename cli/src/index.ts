export { main } from './main.js'
export { defaultIo } from './io.js'
export type { CliIo } from './io.js'
export * from './error-codes.js'
