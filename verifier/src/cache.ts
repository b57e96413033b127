/**
 * @module cache
 * A small bounded TTL cache (least recently used evicted first) for fetched key sets and DID documents,
 * so that a hostile or chatty issuer cannot grow the verifier's memory without limit.
 */

/** Options for {@link BoundedCache}. */
export interface BoundedCacheOptions {
  /** Most entries kept (default 100). */
  maxEntries?: number
  /** Lifetime of an entry in seconds (default 300). */
  ttlSeconds?: number
  /** Clock in Unix seconds (inject in tests). */
  now?: () => number
}

/** LRU cache with a time-to-live; `get` of an expired entry returns undefined. */
export class BoundedCache<V> {
  readonly #map = new Map<string, { value: V; expires: number; stored: number }>()
  readonly #max: number
  readonly #ttl: number
  readonly #now: () => number

  constructor(options: BoundedCacheOptions = {}) {
    this.#max = Math.max(1, options.maxEntries ?? 100)
    this.#ttl = options.ttlSeconds ?? 300
    this.#now = options.now ?? (() => Date.now() / 1000)
  }

  get size(): number {
    return this.#map.size
  }

  get(key: string): V | undefined {
    const hit = this.#map.get(key)
    if (hit === undefined) return undefined
    if (this.#now() >= hit.expires) {
      this.#map.delete(key)
      return undefined
    }
    // Refresh recency.
    this.#map.delete(key)
    this.#map.set(key, hit)
    return hit.value
  }

  set(key: string, value: V): void {
    this.#map.delete(key)
    const now = this.#now()
    this.#map.set(key, { value, expires: now + this.#ttl, stored: now })
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as string
      this.#map.delete(oldest)
    }
  }

  /** Seconds since `key` was stored, or undefined when absent. */
  age(key: string): number | undefined {
    const hit = this.#map.get(key)
    return hit === undefined ? undefined : this.#now() - hit.stored
  }

  delete(key: string): void {
    this.#map.delete(key)
  }
}
