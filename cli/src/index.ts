export { main } from './main.js'
export { defaultIo } from './io.js'
export type { CliIo } from './io.js'
/** The verifier service's configuration without --config (`e2eid verifier serve`): trusts the local issuer. */
export { localDemoConfig } from './commands/verifier.js'
