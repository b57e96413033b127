/**
 * @module dcql/evaluate
 * Verifier-side DCQL evaluation (OpenID4VP 1.0 §6.4, §8.6): does each verified presentation match its
 * Credential Query (format, meta, claims, claim_sets, holder binding, multiple), and does the set of matched
 * queries satisfy the credential_sets? Claim `values` are checked here too: for the wallet they are a privacy
 * filter, for the verifier a mismatch means the response does not answer the query.
 */
import { E2eidError, dcqlCredentialSets, resolveDcqlClaimsQuery } from '@e2eid/shared'
import type { JsonObject } from '../claims/json.js'
import { claimAliases } from '../policy/policy.js'
import type { PresentationFormat } from '../trust/types.js'
import { formatFromId } from './format-ids.js'
import type { DcqlClaimsQuery, DcqlCredentialQuery, DcqlQuery, DcqlQueryInput } from './z-dcql.js'
import { zDcqlQuery } from './z-dcql.js'

/** What DCQL evaluation needs of a verified presentation. */
export interface DcqlPresentation {
  format: PresentationFormat
  credentialType: string | undefined
  claims: JsonObject
  /** Whether a key-binding proof was verified. */
  keyBound: boolean
}

/** Parses and validates a DCQL query; throws ERR_DCQL_INVALID. */
export function parseDcqlQuery(value: unknown): DcqlQuery {
  const r = zDcqlQuery.safeParse(value)
  if (!r.success) throw new E2eidError('ERR_DCQL_INVALID', `invalid DCQL query: ${r.error.issues[0]?.message ?? 'invalid'}`)
  return r.data
}

/** Validates a DCQL query written by hand (typed input); throws ERR_DCQL_INVALID. */
export function dcqlQuery(input: DcqlQueryInput): DcqlQuery {
  return parseDcqlQuery(input)
}

function claimMatches(cq: DcqlClaimsQuery, p: DcqlPresentation): boolean {
  // SD-CWT claims in their JSON view: an integer selects the label of that number, `sub` aliases label 2.
  return resolveDcqlClaimsQuery(p.claims, cq, { integerSelectsObjectKey: true, aliases: claimAliases(p.format) }) !== undefined
}

/**
 * Checks one presentation against one Credential Query. Throws ERR_DCQL_FORMAT_MISMATCH,
 * ERR_DCQL_META_MISMATCH, ERR_DCQL_HOLDER_BINDING_MISSING, ERR_DCQL_CLAIM_MISSING or ERR_DCQL_CLAIM_SETS_UNSATISFIED.
 */
export function matchCredentialQuery(q: DcqlCredentialQuery, p: DcqlPresentation): void {
  if (formatFromId(q.format) !== p.format) {
    throw new E2eidError('ERR_DCQL_FORMAT_MISMATCH', `query ${q.id} asks for ${q.format}, got ${p.format}`)
  }
  const vcts = (q.meta as { vct_values?: unknown }).vct_values
  if (Array.isArray(vcts) && (p.credentialType === undefined || !vcts.includes(p.credentialType))) {
    throw new E2eidError('ERR_DCQL_META_MISMATCH', `query ${q.id}: credential type ${JSON.stringify(p.credentialType ?? null)} is not in vct_values`)
  }
  // §6.1: require_cryptographic_holder_binding defaults to true.
  if (q.require_cryptographic_holder_binding !== false && !p.keyBound) {
    throw new E2eidError('ERR_DCQL_HOLDER_BINDING_MISSING', `query ${q.id} requires holder binding`)
  }
  if (q.claims === undefined) return
  if (q.claim_sets === undefined) {
    // §6.4.1: without claim_sets every listed claim is requested.
    for (const c of q.claims) {
      if (!claimMatches(c, p)) throw new E2eidError('ERR_DCQL_CLAIM_MISSING', `query ${q.id}: claim ${JSON.stringify(c.path)} is missing or has another value`)
    }
    return
  }
  const ok = new Set(q.claims.filter((c) => claimMatches(c, p)).map((c) => c.id))
  if (!q.claim_sets.some((set) => set.every((id) => ok.has(id)))) {
    throw new E2eidError('ERR_DCQL_CLAIM_SETS_UNSATISFIED', `query ${q.id}: no claim set is satisfied`)
  }
}

/** The outcome of evaluating a response against a DCQL query. */
export interface DcqlEvaluation {
  /** Ids of the Credential Queries answered by a matching presentation. */
  satisfiedQueries: string[]
}

/**
 * Checks a whole vp_token (presentations already verified, keyed by Credential Query id) against the query.
 * Throws ERR_DCQL_UNKNOWN_QUERY_ID, ERR_DCQL_MULTIPLE_NOT_ALLOWED, the per-query codes of
 * {@link matchCredentialQuery}, or ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED.
 */
export function evaluateDcqlResponse(query: DcqlQuery, presented: Readonly<Record<string, readonly DcqlPresentation[]>>): DcqlEvaluation {
  const byId = new Map(query.credentials.map((c) => [c.id, c]))
  const satisfied: string[] = []
  for (const [id, list] of Object.entries(presented)) {
    const q = byId.get(id)
    if (q === undefined) throw new E2eidError('ERR_DCQL_UNKNOWN_QUERY_ID', `vp_token answers unknown query ${id}`)
    if (list.length === 0) throw new E2eidError('ERR_DCQL_RESPONSE_INVALID', `vp_token entry ${id} is empty`)
    if (list.length > 1 && q.multiple !== true) throw new E2eidError('ERR_DCQL_MULTIPLE_NOT_ALLOWED', `query ${id} allows one presentation`)
    for (const p of list) matchCredentialQuery(q, p)
    satisfied.push(id)
  }
  const have = new Set(satisfied)
  // §6.4.2: without credential_sets every Credential Query is required (one set with one option of all ids).
  for (const set of dcqlCredentialSets(query)) {
    if (set.required === false) continue
    if (!set.options.some((option) => option.every((id) => have.has(id)))) {
      const missing = query.credential_sets === undefined ? query.credentials.find((q) => !have.has(q.id)) : undefined
      throw new E2eidError('ERR_DCQL_CREDENTIAL_SETS_UNSATISFIED', missing !== undefined ? `no presentation for query ${missing.id}` : 'no option of a required credential set is satisfied')
    }
  }
  return { satisfiedQueries: satisfied }
}
