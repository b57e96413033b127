/**
 * @module dcql/claims
 * DCQL matching shared by the holder (which claims to disclose) and the verifier (does the response answer
 * the query): a Claims Query against a credential's claims (OpenID4VP 1.0 §6.3, §6.4.1) and the default
 * credential sets (§6.4.2).
 */
import type { ClaimsPathPointer, ClaimsPathSelectOptions } from '../claim-path.js'
import { selectByClaimsPath } from '../claim-path.js'

/** The parts of a Claims Query this needs. */
export interface DcqlClaimsQueryLike {
  readonly path: ClaimsPathPointer
  readonly values?: readonly (string | number | boolean)[] | undefined
}

/**
 * The concrete paths of the claims a Claims Query selects in `claims`, keeping only those whose value is one of
 * `values` (§6.3, exact match) when given; undefined when none does (the query is not satisfied).
 */
export function resolveDcqlClaimsQuery(claims: unknown, cq: DcqlClaimsQueryLike, o: ClaimsPathSelectOptions = {}): (string | number)[][] | undefined {
  const found = selectByClaimsPath(claims, cq.path, o)
  const values = cq.values
  const matching = values === undefined ? found : found.filter((f) => values.some((x) => x === f.value))
  return matching.length === 0 ? undefined : matching.map((f) => f.path)
}

/** A Credential Set Query (§6.2). */
export interface DcqlCredentialSetLike {
  readonly options: readonly (readonly string[])[]
  readonly required?: boolean | undefined
}

/** The credential sets of a query; §6.4.2: without credential_sets every Credential Query is required (one set, one option). */
export function dcqlCredentialSets(q: { readonly credentials: readonly { readonly id: string }[]; readonly credential_sets?: readonly DcqlCredentialSetLike[] | undefined }): readonly DcqlCredentialSetLike[] {
  return q.credential_sets ?? [{ options: [q.credentials.map((c) => c.id)], required: true }]
}
