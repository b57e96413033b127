/**
 * @module dcql/schema
 * Schema of a DCQL query (OpenID4VP 1.0 §6) as the verifier writes and checks it: Credential Queries, Claims Queries, claim_sets and
 * credential_sets, with the cross-reference rules of §6.1-6.4 (unique ids, claim_sets only over claims with
 * ids, credential_sets only over known query ids).
 */
import { z } from 'zod'
import { SD_JWT_VC_FORMAT } from '../format-ids.js'
import { parseClaimsPathPointer } from '../claim-path.js'

const zId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

/** §6.3 Claims Query. */
export const zDcqlClaimsQuery = z.object({
  id: zId.optional(),
  path: z.array(z.union([z.string(), z.number(), z.null()])).min(1).max(32).transform((p) => parseClaimsPathPointer(p, 'ERR_DCQL_INVALID')),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).max(64).optional(),
})

/** §6.1 Credential Query. */
export const zDcqlCredentialQuery = z
  .object({
    id: zId,
    format: z.string().min(1).max(128),
    meta: z.record(z.string(), z.unknown()),
    multiple: z.boolean().optional(),
    trusted_authorities: z.array(z.object({ type: z.string(), values: z.array(z.string()).min(1) })).min(1).optional(),
    require_cryptographic_holder_binding: z.boolean().optional(),
    claims: z.array(zDcqlClaimsQuery).min(1).max(64).optional(),
    claim_sets: z.array(z.array(zId).min(1)).min(1).max(32).optional(),
  })
  .superRefine((q, ctx) => {
    const ids = (q.claims ?? []).map((c) => c.id)
    const defined = ids.filter((i): i is string => i !== undefined)
    if (new Set(defined).size !== defined.length) ctx.addIssue({ code: 'custom', message: `claims ids of ${q.id} are not unique` })
    if (q.claim_sets !== undefined) {
      if (q.claims === undefined || ids.some((i) => i === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'claim_sets needs claims that all have ids' })
      }
      for (const set of q.claim_sets) {
        for (const id of set) if (!defined.includes(id)) ctx.addIssue({ code: 'custom', message: `claim_sets names unknown claim ${id}` })
      }
    }
    if (q.format === SD_JWT_VC_FORMAT) {
      const vcts = (q.meta as { vct_values?: unknown }).vct_values
      // App. B.3.5: meta.vct_values is REQUIRED for dc+sd-jwt.
      if (!Array.isArray(vcts) || vcts.length === 0 || !vcts.every((v) => typeof v === 'string')) {
        ctx.addIssue({ code: 'custom', message: 'dc+sd-jwt queries need meta.vct_values' })
      }
    }
  })

/** §6.2 Credential Set Query. */
export const zDcqlCredentialSetQuery = z.object({
  options: z.array(z.array(zId).min(1)).min(1).max(32),
  required: z.boolean().optional(),
})

/** §6 DCQL query. */
export const zDcqlQuery = z
  .object({
    credentials: z.array(zDcqlCredentialQuery).min(1).max(32),
    credential_sets: z.array(zDcqlCredentialSetQuery).min(1).max(32).optional(),
  })
  .superRefine((q, ctx) => {
    const ids = q.credentials.map((c) => c.id)
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'credential query ids are not unique' })
    for (const set of q.credential_sets ?? []) {
      for (const option of set.options) {
        for (const id of option) if (!ids.includes(id)) ctx.addIssue({ code: 'custom', message: `credential_sets names unknown query ${id}` })
      }
    }
  })

export type DcqlQuery = z.infer<typeof zDcqlQuery>
export type DcqlCredentialQuery = z.infer<typeof zDcqlCredentialQuery>
export type DcqlClaimsQuery = z.infer<typeof zDcqlClaimsQuery>
/** The JSON input form of a DCQL query (paths as plain arrays). */
export type DcqlQueryInput = z.input<typeof zDcqlQuery>
