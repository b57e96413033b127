/**
 * @module keys/signing-key-cache
 * Per-context cache of the parsed signing keys, so that signing a credential or a status list does not read
 * and parse the key table on every request. The app's own key functions (addSigningKey, retireSigningKey)
 * invalidate it at once; changes made by ANOTHER instance or process on the same database (several issuers on
 * one PostgreSQL, or `e2eid issuer keys` against a running server's database) are picked up when the entry
 * expires: after at most `ttlMs` (default 5 s) every instance signs with the same key again.
 * The TTL runs on a monotonic clock (performance.now), not on the injectable credential clock: it bounds
 * real staleness, which a frozen or shifted test clock must not stretch.
 */
import type { IssuerSigningKey } from '../formats/types.js'

/** A parsed signing key with its lifecycle times (as listSigningKeys returns it). */
export type StoredSigningKey = IssuerSigningKey & { createdAt: number; retiredAt: number | null; compromisedSince?: number | null }

/** Default time a loaded key list is trusted before the database is read again (multi-instance convergence). */
export const SIGNING_KEY_CACHE_TTL_MS = 5000

/** Holds the last loaded key list (newest first) and when it was loaded. */
export class SigningKeyCache {
  private entry: { keys: readonly StoredSigningKey[]; loadedAt: number } | null = null
  private loading: Promise<readonly StoredSigningKey[]> | null = null
  private generation = 0

  constructor(
    readonly ttlMs: number = SIGNING_KEY_CACHE_TTL_MS,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** The cached list when fresh, else the result of `load` (concurrent callers share one load). */
  async get(load: () => Promise<readonly StoredSigningKey[]>): Promise<readonly StoredSigningKey[]> {
    const e = this.entry
    if (e !== null && this.monotonicMs() - e.loadedAt < this.ttlMs) return e.keys
    if (this.loading !== null) return this.loading
    const generation = this.generation
    const startedAt = this.monotonicMs()
    const p = load().then(
      (keys) => {
        // A key added or retired while this load ran may be missing from it: then do not keep it.
        if (generation === this.generation) this.entry = { keys, loadedAt: startedAt }
        if (this.loading === p) this.loading = null
        return keys
      },
      (err: unknown) => {
        if (this.loading === p) this.loading = null
        throw err
      },
    )
    this.loading = p
    return p
  }

  /** Forgets the cached list (called after this instance adds or retires a key). */
  invalidate(): void {
    this.generation++
    this.entry = null
    this.loading = null
  }
}
