/**
 * @module dcql/z-dcql
 * The DCQL query schema (OpenID4VP 1.0 §6) lives in @e2eid/shared (dcql/schema.ts); re-exported for the verifier's modules.
 */
export { zDcqlQuery } from '@e2eid/shared'
export type { DcqlQuery, DcqlCredentialQuery, DcqlClaimsQuery, DcqlQueryInput } from '@e2eid/shared'
