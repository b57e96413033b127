/**
 * @module status-list/client
 * A status client for verifiers (draft-20 §8): fetches the Status List Token at the reference's
 * uri, verifies its signature with the Status Issuer's trusted keys (the transport and the
 * messaging provider are never trusted), checks `sub` == uri and `exp`, caches it for `ttl`
 * (clamped, §11.5, §13.7), answers from the cache while the list cannot be refreshed until its
 * `exp` (and says so), and coalesces concurrent lookups of one uri into one fetch.
 */
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import type { PublicJwk } from '../crypto/jwk.js'
import type { CryptoProvider } from '../crypto/provider.js'
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import { systemNowSeconds } from '../jose/time.js'
import type { StatusListTokenClaims } from './claims.js'
import type { StatusListCompression } from './compression.js'
import type { FetchedStatusListToken } from './fetch.js'
import { fetchStatusListToken } from './fetch.js'
import type { StatusListReference } from './reference.js'
import { parseStatusListReference } from './reference.js'
import type { StatusTypeName } from './status-types.js'
import { statusTypeName } from './status-types.js'
import { verifyStatusListCwt } from './token-cwt.js'
import type { VerifiedStatusListToken } from './token-jwt.js'
import { verifyStatusListJwt } from './token-jwt.js'

/** Resolves the trusted keys of the Status Issuer for a list uri (e.g. the credential issuer's keys, §11.3). */
export type StatusKeyResolver = (uri: string, token: FetchedStatusListToken) => Promise<readonly PublicJwk[]> | readonly PublicJwk[]

/** Options for {@link createStatusClient}. Give `trustedKeys` or `keyResolver`. */
export interface StatusClientOptions {
  trustedKeys?: readonly PublicJwk[]
  keyResolver?: StatusKeyResolver
  provider: CryptoProvider
  /** Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch
  /** Clock in Unix seconds (default: system clock). */
  now?: () => number
  compression?: StatusListCompression
  /** Cap on a response body (default 8 MiB). */
  maxBytes?: number
  /** Cap on a decompressed list (default 16 MiB). */
  maxDecompressedBytes?: number
  /** Time limit of one fetch, body included (default 10 000 ms). */
  timeoutMs?: number
  /** Formats to accept (default both; SD-JWT VC requires `['jwt']`). */
  formats?: readonly ('jwt' | 'cwt')[]
  algorithms?: readonly SignatureAlgorithm[]
  /** Clock skew in seconds (default 0). */
  skew?: number
  /** Cache time when the token has no `ttl` (default 300 s). */
  defaultTtl?: number
  /** Lower and upper clamp of `ttl` (§11.5; defaults 30 s and 86 400 s). */
  minTtl?: number
  maxTtl?: number
  /** Reject tokens without `exp` (default false). */
  requireExp?: boolean
  /** Local freshness policy on `iat` (§8.3 step 4b), seconds. */
  maxAge?: number
  /**
   * After a failed fetch, wait this many seconds before fetching that uri again (default 10): meanwhile a cached
   * list answers offline, and a uri without one fails with the same error (§11.5: do not flood the Status Provider).
   */
  retryAfterFailure?: number
  /** Lists kept in memory (default 64; least recently used dropped first). */
  maxCachedLists?: number
}

/** Options of one lookup. */
export interface StatusLookupOptions {
  /** Historical resolution (§8.4): the status at this Unix time. Fetched with `?time=`, never cached. */
  time?: number
  /** Ignore a fresh cache entry and fetch (coalesced with other lookups of the same uri). */
  refresh?: boolean
}

/** The answer of {@link StatusClient.status}. */
export interface StatusCheckResult {
  status: number
  name: StatusTypeName
  uri: string
  idx: number
  format: 'jwt' | 'cwt'
  /** The answer came from a cached list (no fetch for this lookup). */
  fromCache: boolean
  /** The list could not be refreshed after its ttl; this is the last verified list, still before its `exp`. */
  offline: boolean
  /** Why the refresh failed, when `offline`. */
  refreshError?: { code: ErrorCode; message: string }
  claims: StatusListTokenClaims
  /** When the list was fetched (Unix seconds). */
  fetchedAt: number
  /** Until when the cached list is used without refetching. */
  freshUntil: number
}

/** A status client; see {@link createStatusClient}. */
export interface StatusClient {
  /** The status of `reference` (the Referenced Token's `status.status_list`). */
  status(reference: StatusListReference, options?: StatusLookupOptions): Promise<StatusCheckResult>
  /** Drops every cached list. */
  clear(): void
}

interface CacheEntry {
  verified: VerifiedStatusListToken
  fetchedAt: number
  freshUntil: number
  /** The last failed refresh, if any since this list was fetched. */
  failure?: { at: number; error: unknown }
}

function codeOf(e: unknown): { code: ErrorCode; message: string } {
  return e instanceof E2eidError ? { code: e.code, message: e.message } : { code: 'ERR_STATUS_LIST_FETCH_FAILED', message: String(e) }
}

/**
 * Creates a status client.
 *
 * Errors of `status()`: the first fetch of a uri fails with the code of what went wrong (ERR_STATUS_LIST_FETCH_FAILED,
 * ERR_STATUS_LIST_TIMEOUT, ERR_STATUS_LIST_HTTP_STATUS, ERR_STATUS_LIST_CONTENT_TYPE, ERR_STATUS_LIST_RESPONSE_TOO_LARGE,
 * signature and claim codes). When a refresh fails, a cached list answers (`offline: true`) until its `exp`; after
 * that, or without `exp`, ERR_STATUS_LIST_UNAVAILABLE (cause: the refresh error). An index past the end:
 * ERR_STATUS_LIST_INDEX_OUT_OF_RANGE.
 *
 * @example
 * const client = createStatusClient({ trustedKeys: [issuerStatusKey], provider })
 * const { status } = await client.status(statusReferenceFromJwtPayload(payload))
 */
export function createStatusClient(options: StatusClientOptions): StatusClient {
  if (options.trustedKeys === undefined && options.keyResolver === undefined) {
    throw new E2eidError('ERR_STATUS_CLIENT_CONFIG', 'a status client needs trustedKeys or a keyResolver')
  }
  const now = options.now ?? systemNowSeconds
  const skew = options.skew ?? 0
  const minTtl = options.minTtl ?? 30
  const maxTtl = options.maxTtl ?? 86_400
  const maxLists = options.maxCachedLists ?? 64
  const retryAfter = options.retryAfterFailure ?? 10
  // Offline answers are allowed only while the cached token has not expired (§8.3 step 4c).
  const usable = (e: CacheEntry, t: number): boolean => e.verified.claims.exp !== undefined && t - skew < e.verified.claims.exp
  const cache = new Map<string, CacheEntry>()
  const inflight = new Map<string, Promise<CacheEntry>>()
  // Failed first fetches, remembered for retryAfterFailure seconds so a broken list is not refetched per lookup.
  const failures = new Map<string, { at: number; error: unknown }>()

  async function load(uri: string, time: number | undefined): Promise<CacheEntry> {
    const fetched = await fetchStatusListToken(uri, {
      fetch: options.fetch,
      formats: options.formats,
      maxBytes: options.maxBytes,
      timeoutMs: options.timeoutMs,
      time,
    })
    const keys = options.keyResolver !== undefined ? await options.keyResolver(uri, fetched) : options.trustedKeys!
    const common = {
      keys,
      provider: options.provider,
      algorithms: options.algorithms,
      compression: options.compression,
      maxDecompressedBytes: options.maxDecompressedBytes,
      uri,
      now,
      skew,
      requireExp: options.requireExp,
      maxAge: options.maxAge,
      time,
    }
    const verified = fetched.format === 'jwt' ? await verifyStatusListJwt(fetched.token, common) : await verifyStatusListCwt(fetched.token, { ...common, maxTokenBytes: options.maxBytes })
    const fetchedAt = now()
    const ttl = Math.min(maxTtl, Math.max(minTtl, verified.claims.ttl ?? options.defaultTtl ?? 300))
    // §13.7: re-fetch after ttl, and never later than exp.
    const freshUntil = Math.min(fetchedAt + ttl, verified.claims.exp ?? Number.POSITIVE_INFINITY)
    return { verified, fetchedAt, freshUntil }
  }

  function refresh(uri: string): Promise<CacheEntry> {
    let p = inflight.get(uri)
    if (p === undefined) {
      p = load(uri, undefined)
        .then((entry) => {
          cache.delete(uri)
          if (cache.size >= maxLists) cache.delete(cache.keys().next().value as string)
          cache.set(uri, entry)
          return entry
        })
        .finally(() => inflight.delete(uri))
      inflight.set(uri, p)
    }
    return p
  }

  function answer(ref: StatusListReference, entry: CacheEntry, fromCache: boolean, refreshError?: unknown): StatusCheckResult {
    const status = entry.verified.list.get(ref.idx)
    const out: StatusCheckResult = {
      status,
      name: statusTypeName(status),
      uri: ref.uri,
      idx: ref.idx,
      format: entry.verified.format,
      fromCache,
      offline: refreshError !== undefined,
      claims: entry.verified.claims,
      fetchedAt: entry.fetchedAt,
      freshUntil: entry.freshUntil,
    }
    if (refreshError !== undefined) out.refreshError = codeOf(refreshError)
    return out
  }

  return {
    async status(reference, lookup = {}) {
      const ref = parseStatusListReference(reference)
      if (lookup.time !== undefined) return answer(ref, await load(ref.uri, lookup.time), false)
      const cached = cache.get(ref.uri)
      const t = now()
      if (cached !== undefined && lookup.refresh !== true) {
        if (t < cached.freshUntil) {
          // keep recently used lists at the end (LRU)
          cache.delete(ref.uri)
          cache.set(ref.uri, cached)
          return answer(ref, cached, true)
        }
        // A refresh failed moments ago: do not hammer the Status Provider (§11.5); answer offline until exp.
        if (cached.failure !== undefined && t < cached.failure.at + retryAfter && usable(cached, t)) {
          return answer(ref, cached, true, cached.failure.error)
        }
      }
      if (cached === undefined && lookup.refresh !== true) {
        const f = failures.get(ref.uri)
        if (f !== undefined && t < f.at + retryAfter) throw f.error
      }
      let entry: CacheEntry
      try {
        entry = await refresh(ref.uri)
        failures.delete(ref.uri)
      } catch (e) {
        if (cached === undefined) {
          if (failures.size >= maxLists) failures.delete(failures.keys().next().value as string)
          failures.set(ref.uri, { at: now(), error: e })
          throw e
        }
        const at = now()
        if (usable(cached, at)) {
          cached.failure = { at, error: e }
          return answer(ref, cached, true, e)
        }
        cache.delete(ref.uri)
        throw new E2eidError('ERR_STATUS_LIST_UNAVAILABLE', `the status list at ${ref.uri} could not be refreshed and the cached one has expired`, { cause: e })
      }
      return answer(ref, entry, false)
    },
    clear() {
      cache.clear()
      failures.clear()
    },
  }
}
