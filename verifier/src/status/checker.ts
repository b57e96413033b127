/**
 * @module status/checker
 * The verifier's StatusChecker over shared/status-list's client (draft-ietf-oauth-status-list §8): the list is
 * fetched through the verifier's HTTP client (URL policy, the one injected fetch), and must be signed by a key of
 * the authority that issued the credential (§8.3 step 3, §11.3: never trust the transport or the provider).
 * One status client per (authority keys, format), so cached lists are never shared across trust decisions.
 * SD-JWT VC credentials accept only JWT lists (SD-JWT VC §2.2.2.2).
 *
 * A list that does not verify with those keys: ERR_STATUS_LIST_SIGNATURE_INVALID; otherwise malformed:
 * ERR_STATUS_LIST_INVALID (or the status client's own ERR_STATUS_LIST_* code).
 * A list older (by `iat`) than one already seen for the same uri is a replay: ERR_STATUS_LIST_STALE.
 * Unreachable lists fail closed (ERR_STATUS_UNAVAILABLE) unless the lookup allows grace: then a cached list that
 * was verified earlier answers until its `exp` (the status client's offline answer), and says so (`offline`).
 */
import { E2eidError, SD_JWT_VC_FORMAT, createStatusClient, createWebCryptoProvider, decodeCoseSign1, decodeJwtUnverified, isE2eidError } from '@e2eid/shared'
import type { FetchedStatusListToken, PublicJwk } from '@e2eid/shared'
import { kidToString } from '../trust/kid.js'
import type { CryptoProvider, StatusClient } from '@e2eid/shared'
import type { HttpClient } from '../http.js'
import type { StatusChecker, StatusLookup, StatusResult } from './types.js'

/** Options of {@link createStatusChecker}. */
export interface StatusCheckerOptions {
  http: HttpClient
  provider?: CryptoProvider
  /** Clock in Unix seconds. */
  now?: () => number
  /** Clock skew for the list's `exp`/`iat` (default 0). */
  skew?: number
  /** Clamp of the list's `ttl` (defaults of the status client: 30 s … 86 400 s). */
  minTtl?: number
  maxTtl?: number
  /** Largest accepted list token (default 8 MiB). */
  maxBytes?: number
  timeoutMs?: number
  /** Most status clients (one per authority and format) kept (default 32). */
  maxClients?: number
  /** Local freshness policy (§8.3 step 4b): refuse a list whose `iat` is older than this many seconds. */
  maxListAgeSeconds?: number
}

// Codes that mean "could not get a list" (as opposed to "got a bad list").
const UNREACHABLE = new Set(['ERR_STATUS_LIST_FETCH_FAILED', 'ERR_STATUS_LIST_TIMEOUT', 'ERR_STATUS_LIST_HTTP_STATUS', 'ERR_STATUS_LIST_UNAVAILABLE'])

/** The kid a fetched (not yet verified) list token names, to label configured keys that have none. */
function tokenKid(token: FetchedStatusListToken): string | undefined {
  try {
    if (token.format === 'jwt') {
      const kid = decodeJwtUnverified(token.token).header.kid
      return typeof kid === 'string' ? kid : undefined
    }
    const msg = decodeCoseSign1(token.token, { maxBytes: 16 * 1024 * 1024 })
    const kid = msg.protectedHeaders.get(4) ?? msg.unprotectedHeaders.get(4)
    return kid instanceof Uint8Array || typeof kid === 'string' ? kidToString(kid) : undefined
  } catch {
    return undefined // the verification proper reports what is wrong with the token
  }
}

// Keys known without a kid (configured, pinned) may sign a list that names one; kid-matching verifiers need the label.
function labelKeys(keys: readonly PublicJwk[], token: FetchedStatusListToken): PublicJwk[] {
  const kid = tokenKid(token)
  return keys.map((k) => (k.kid === undefined && kid !== undefined ? { ...k, kid } : k))
}

/** Creates the status checker used by {@link verifyPresentation}. */
export function createStatusChecker(options: StatusCheckerOptions): StatusChecker {
  const provider = options.provider ?? createWebCryptoProvider()
  const clients = new Map<string, StatusClient>()
  // Newest `iat` seen per list uri: a list older than one already seen is a replay (e.g. a provider serving a
  // signed list from before a revocation while it is still unexpired).
  const newestIat = new Map<string, number>()
  const maxClients = options.maxClients ?? 32
  const fetchThrough: typeof globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    // The URL policy applies to every status fetch too; redirects are refused so that it cannot be sidestepped
    // (a redirect target would never pass through this function).
    options.http.assertAllowed(url)
    return options.http.fetch(url, { ...init, redirect: 'error' })
  }

  function clientFor(lookup: StatusLookup): StatusClient {
    const keys = lookup.issuerKeys.map((k) => JSON.stringify([k.kty, k.crv, k.x, 'y' in k ? k.y : ''])).sort()
    const id = `${lookup.format}|${keys.join(',')}`
    let c = clients.get(id)
    if (c === undefined) {
      if (clients.size >= maxClients) clients.delete(clients.keys().next().value as string)
      const keys = lookup.issuerKeys
      c = createStatusClient({
        keyResolver: (_uri, token) => labelKeys(keys, token),
        provider,
        fetch: fetchThrough,
        formats: lookup.format === SD_JWT_VC_FORMAT ? ['jwt'] : ['jwt', 'cwt'],
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.skew === undefined ? {} : { skew: options.skew }),
        ...(options.minTtl === undefined ? {} : { minTtl: options.minTtl }),
        ...(options.maxTtl === undefined ? {} : { maxTtl: options.maxTtl }),
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.maxListAgeSeconds === undefined ? {} : { maxAge: options.maxListAgeSeconds }),
      })
      clients.set(id, c)
    }
    return c
  }

  return {
    async status(lookup: StatusLookup): Promise<StatusResult> {
      try {
        options.http.assertAllowed(lookup.ref.uri)
      } catch (e) {
        throw new E2eidError('ERR_STATUS_URL_NOT_ALLOWED', `status list URL not allowed: ${lookup.ref.uri}`, { cause: e })
      }
      let r
      try {
        r = await clientFor(lookup).status({ uri: lookup.ref.uri, idx: lookup.ref.idx })
      } catch (e) {
        if (isE2eidError(e) && (UNREACHABLE.has(e.code) || e.code.startsWith('ERR_VERIFY_'))) {
          throw new E2eidError('ERR_STATUS_UNAVAILABLE', `the status list at ${lookup.ref.uri} is unavailable (${e.code})`, { cause: e })
        }
        if (isE2eidError(e) && !e.code.startsWith('ERR_STATUS_')) {
          // A list that does not verify with the authority's keys (e.g. one the provider signed) or is malformed.
          const sig = /SIGNATURE|KEY_NOT_FOUND/.test(e.code)
          throw new E2eidError(sig ? 'ERR_STATUS_LIST_SIGNATURE_INVALID' : 'ERR_STATUS_LIST_INVALID', `the status list at ${lookup.ref.uri} is not acceptable (${e.code}: ${e.message})`, { cause: e })
        }
        throw e
      }
      const seen = newestIat.get(lookup.ref.uri)
      if (seen !== undefined && r.claims.iat < seen) {
        throw new E2eidError('ERR_STATUS_LIST_STALE', `the status list at ${lookup.ref.uri} is older than one already seen (iat ${r.claims.iat} < ${seen})`)
      }
      if (seen === undefined || r.claims.iat > seen) {
        if (newestIat.size >= 4096) newestIat.delete(newestIat.keys().next().value as string)
        newestIat.set(lookup.ref.uri, r.claims.iat)
      }
      const refreshCode = r.refreshError?.code
      if (r.offline && refreshCode !== undefined && !UNREACHABLE.has(refreshCode) && !refreshCode.startsWith('ERR_VERIFY_')) {
        // The refresh got a list, but a bad one (e.g. signed by the provider): an attack, not unavailability, so no
        // grace and the same code as without a cached list (e2e/src/attacks/status-list.test.ts).
        const sig = /SIGNATURE|KEY_NOT_FOUND/.test(refreshCode)
        throw new E2eidError(sig ? 'ERR_STATUS_LIST_SIGNATURE_INVALID' : refreshCode.startsWith('ERR_STATUS_') ? refreshCode : 'ERR_STATUS_LIST_INVALID', `the status list at ${lookup.ref.uri} is not acceptable (${refreshCode})`, { cause: r.refreshError })
      }
      if (r.offline && !lookup.graceUntilExp) {
        // Fail closed: a list we could not refresh after its ttl says nothing current about the credential.
        throw new E2eidError('ERR_STATUS_UNAVAILABLE', `the status list at ${lookup.ref.uri} could not be refreshed (${r.refreshError?.code ?? 'unknown'})`)
      }
      return { status: r.status, fromCache: r.fromCache, offline: r.offline, uri: lookup.ref.uri, fetchedAt: r.fetchedAt }
    },
  }
}
