/**
 * @module dcql
 * DCQL (OpenID4VP 1.0 §6): the query schema and the matching shared by wallet and verifier.
 */
export { zDcqlQuery, zDcqlCredentialQuery, zDcqlClaimsQuery, zDcqlCredentialSetQuery } from './schema.js'
export type { DcqlQuery, DcqlCredentialQuery, DcqlClaimsQuery, DcqlQueryInput } from './schema.js'
export { resolveDcqlClaimsQuery, dcqlCredentialSets } from './claims.js'
export type { DcqlClaimsQueryLike, DcqlCredentialSetLike } from './claims.js'
