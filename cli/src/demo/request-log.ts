/**
 * @module demo/request-log
 * Every HTTP request of the demo goes through one logging fetch, labelled by who sends it, so the
 * story can show (and check) that the verifiers reach the issuer only for status lists and key sets.
 */
import type { LoggedRequest } from './types.js'

/** Paths a verifier may fetch from the issuer: status lists (draft-ietf-oauth-status-list §8) and its key sets. */
const VERIFIER_ALLOWED_PATHS: readonly RegExp[] = [
  /^\/status-lists\/[^/]+$/,
  /^\/\.well-known\/jwt-vc-issuer(\/.*)?$/,
  /^\/\.well-known\/cose-keys$/,
  /^\/\.well-known\/jwks\.json$/,
]

/** True when a verifier request to `path` is a status list or key set fetch. */
export function isAllowedVerifierPath(path: string): boolean {
  return VERIFIER_ALLOWED_PATHS.some((r) => r.test(path))
}

/** A request log and the fetch functions that write to it. */
export interface RequestLog {
  readonly entries: LoggedRequest[]
  /** A fetch that records each request as sent by `who`. */
  fetchFor(who: string): typeof fetch
  /** Requests by senders starting with `prefix`, counted per path (sorted by path). */
  countByPath(prefix: string): Record<string, number>
}

/** Creates a request log over `base` (default: the global fetch). */
export function createRequestLog(base: typeof fetch = (input, init) => globalThis.fetch(input, init)): RequestLog {
  const entries: LoggedRequest[] = []
  return {
    entries,
    fetchFor(who) {
      return async (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET')
        const u = new URL(url)
        const entry: LoggedRequest = { who, method: method.toUpperCase(), origin: u.origin, path: u.pathname, status: 0 }
        entries.push(entry)
        const res = await base(input, init)
        entry.status = res.status
        return res
      }
    },
    countByPath(prefix) {
      const counts = new Map<string, number>()
      for (const e of entries) if (e.who.startsWith(prefix)) counts.set(e.path, (counts.get(e.path) ?? 0) + 1)
      return Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)))
    },
  }
}
