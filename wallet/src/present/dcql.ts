/**
 * @module present/dcql
 * Matching a DCQL query (OpenID4VP 1.0 §6) against the wallet's credentials, holder side.
 * For each Credential Query the wallet picks a credential of the right format (and `vct`), then
 * the claims to disclose: all listed claims, or, with `claim_sets`, the satisfiable option that
 * discloses the FEWEST selectively disclosable claims (privacy first; ties go to the verifier's
 * order, §6.4.1 "first option"). Claims values (`values`) are matched exactly (§6.3).
 */
import { E2eidError, dcqlCredentialSets, resolveDcqlClaimsQuery } from '@e2eid/shared'
import { z } from 'zod'
import type { ClaimPath } from '../formats/types.js'
import type { StoredCredential } from '../storage/schema.js'

const zPathSegment = z.union([z.string(), z.number().int().nonnegative(), z.null()])
const zClaimsQuery = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  path: z.array(zPathSegment).min(1),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
})
const zCredentialQuery = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/),
  format: z.string().min(1),
  meta: z.record(z.string(), z.unknown()).default({}),
  multiple: z.boolean().optional(),
  claims: z.array(zClaimsQuery).min(1).optional(),
  claim_sets: z.array(z.array(z.string()).min(1)).min(1).optional(),
  require_cryptographic_holder_binding: z.boolean().optional(),
})

/** A DCQL query (the parts a holder acts on). */
export const zDcqlQuery = z.object({
  credentials: z.array(zCredentialQuery).min(1),
  credential_sets: z
    .array(z.object({ options: z.array(z.array(z.string()).min(1)).min(1), required: z.boolean().optional() }))
    .optional(),
})
export type DcqlQuery = z.infer<typeof zDcqlQuery>

/** One credential chosen for one Credential Query, with the claims to disclose. */
export interface DcqlMatch {
  queryId: string
  credentialId: string
  paths: ClaimPath[]
}

function isDisclosable(c: StoredCredential, path: ClaimPath): boolean {
  // A path costs a disclosure when it, or one of its parents, is selectively disclosable.
  return c.disclosablePaths.some((d) => d.length <= path.length && d.every((seg, i) => String(seg) === String(path[i])))
}

function vctMatches(c: StoredCredential, meta: Record<string, unknown>): boolean {
  const values = meta.vct_values
  if (values === undefined) return true
  return Array.isArray(values) && values.includes(c.metadata.vct)
}

type CredentialQuery = z.infer<typeof zCredentialQuery>

function pathsFor(q: CredentialQuery, c: StoredCredential): ClaimPath[] | undefined {
  if (q.claims === undefined) return []
  // The paths a claims query discloses, or undefined when the credential cannot satisfy it (§6.3: `values`).
  const resolve = (cq: z.infer<typeof zClaimsQuery>): ClaimPath[] | undefined => {
    return resolveDcqlClaimsQuery(c.claims, cq)
  }
  const ok = (cq: z.infer<typeof zClaimsQuery>): boolean => resolve(cq) !== undefined
  const asPaths = (cqs: ReadonlyArray<z.infer<typeof zClaimsQuery>>): ClaimPath[] => cqs.flatMap((cq) => resolve(cq)!)
  if (q.claim_sets === undefined) return q.claims.every(ok) ? asPaths(q.claims) : undefined
  const byId = new Map(q.claims.map((cq) => [cq.id, cq]))
  let best: ClaimPath[] | undefined
  let bestCost = Infinity
  for (const option of q.claim_sets) {
    const cqs = option.map((id) => byId.get(id))
    if (cqs.some((cq) => cq === undefined)) throw new E2eidError('ERR_WALLET_DCQL_INVALID', 'claim_sets names an unknown claim id')
    if (!cqs.every((cq) => ok(cq!))) continue
    const paths = asPaths(cqs as Array<z.infer<typeof zClaimsQuery>>)
    const cost = paths.filter((p) => isDisclosable(c, p)).length
    if (cost < bestCost) {
      best = paths
      bestCost = cost
    }
  }
  return best
}

/**
 * Resolves a DCQL query against `credentials`. Returns one match per satisfied Credential Query;
 * throws ERR_WALLET_DCQL_UNSATISFIED when a required query (or credential set) cannot be met,
 * ERR_WALLET_DCQL_INVALID for a malformed query.
 */
export function matchDcql(query: unknown, credentials: readonly StoredCredential[]): DcqlMatch[] {
  const parsed = zDcqlQuery.safeParse(query)
  if (!parsed.success) throw new E2eidError('ERR_WALLET_DCQL_INVALID', `DCQL query is invalid: ${parsed.error.issues[0]?.message ?? ''}`)
  const q = parsed.data
  const matches = new Map<string, DcqlMatch>()
  for (const cq of q.credentials) {
    let best: DcqlMatch | undefined
    for (const c of credentials) {
      if (c.format !== cq.format || !vctMatches(c, cq.meta)) continue
      const paths = pathsFor(cq, c)
      if (paths === undefined) continue
      const cost = paths.filter((p) => isDisclosable(c, p)).length
      const bestCost = best === undefined ? Infinity : best.paths.filter((p) => isDisclosable(credentials.find((x) => x.id === best!.credentialId)!, p)).length
      if (cost < bestCost) best = { queryId: cq.id, credentialId: c.id, paths }
    }
    if (best !== undefined) matches.set(cq.id, best)
  }
  const chosen = new Set<string>()
  for (const set of dcqlCredentialSets(q)) {
    const option = set.options.find((o) => o.every((id) => matches.has(id)))
    if (option === undefined) {
      if (set.required !== false) throw new E2eidError('ERR_WALLET_DCQL_UNSATISFIED', 'no credential in the wallet satisfies the request')
      continue
    }
    option.forEach((id) => chosen.add(id))
  }
  return [...chosen].map((id) => matches.get(id)!)
}
