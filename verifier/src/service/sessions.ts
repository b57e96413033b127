/**
 * @module service/sessions
 * In-memory presentation sessions of the verifier service: one per Authorization Request, found by its id or by
 * its `state`, single use (a second response for the same state is refused), expiring, and bounded in number.
 * A pending session is never evicted to make room (anonymous requests could otherwise push a
 * victim's request out before her wallet answers it): at capacity the oldest finished session goes, and when every
 * session is pending and live the store is full (the service answers 503 with Retry-After).
 * The id is not a secret (it names the request in URLs); the result is released only with the session's
 * `resultToken` (handed to the frontend that created the request) or its single-use `responseCode`
 * (OpenID4VP 1.0 §8.2, handed to the wallet in the redirect_uri).
 */
import type { AuthorizationRequest } from '../openid4vp/request.js'
import type { DcqlQuery } from '../dcql/z-dcql.js'
import type { JsonObject } from '../claims/json.js'
import type { PresentationFormat } from '../trust/types.js'
import type { StatusResult } from '../status/types.js'

/** One verified credential in a session result. */
export interface SessionPresentation {
  queryId: string
  format: PresentationFormat
  issuer: string | undefined
  credentialType: string | undefined
  claims: JsonObject
  status: StatusResult | 'not-checked'
}

/** The state of a session as shown to the application. */
export type SessionResult =
  | { status: 'pending' }
  | { status: 'verified'; presentations: SessionPresentation[] }
  | { status: 'rejected'; error: { code: string; message: string } }

export interface Session {
  id: string
  request: AuthorizationRequest
  dcqlQuery: DcqlQuery
  createdAt: number
  expiresAt: number
  result: SessionResult
  /** Secret of the frontend that created the request: reads the result (cross-device flow, polling). */
  resultToken: string
  /** §8.2 response_code of the wallet's redirect_uri: set when the response is processed, cleared on first use. */
  responseCode: string | undefined
}

/** A bounded, expiring session store. */
export class SessionStore {
  readonly #byId = new Map<string, Session>()
  readonly #byState = new Map<string, string>()
  readonly #max: number
  readonly #now: () => number

  constructor(max: number, now: () => number) {
    this.#max = max
    this.#now = now
  }

  /**
   * Adds `session`, or returns the seconds until a slot frees (the earliest expiry of a pending session) when
   * the store is full of live pending sessions.
   */
  add(session: Session): { added: true } | { added: false; retryAfterSeconds: number } {
    this.#sweep()
    if (this.#byId.size >= this.#max) {
      // Map order = creation order: the oldest finished session makes room; pending ones are never evicted.
      for (const [id, s] of this.#byId) {
        if (s.result.status !== 'pending') {
          this.#delete(id)
          break
        }
      }
    }
    if (this.#byId.size >= this.#max) {
      let earliest = Infinity
      for (const s of this.#byId.values()) if (s.expiresAt < earliest) earliest = s.expiresAt
      return { added: false, retryAfterSeconds: Math.max(1, Math.ceil(earliest - this.#now())) }
    }
    this.#byId.set(session.id, session)
    this.#byState.set(session.request.state, session.id)
    return { added: true }
  }

  /** Number of sessions held (pending and finished). */
  get size(): number {
    return this.#byId.size
  }

  get(id: string): Session | undefined {
    const s = this.#byId.get(id)
    // Finished sessions stay readable after expiry until swept (the result page); pending ones expire.
    if (s !== undefined && s.result.status === 'pending' && this.#now() >= s.expiresAt) return undefined
    return s
  }

  /** The pending session of `state`; undefined when unknown, expired or already answered. */
  takeByState(state: string): Session | undefined {
    const id = this.#byState.get(state)
    if (id === undefined) return undefined
    const s = this.#byId.get(id)
    if (s === undefined || s.result.status !== 'pending' || this.#now() >= s.expiresAt) return undefined
    // Single use: the state cannot be answered twice.
    this.#byState.delete(state)
    return s
  }

  #delete(id: string): void {
    const s = this.#byId.get(id)
    if (s !== undefined) this.#byState.delete(s.request.state)
    this.#byId.delete(id)
  }

  #sweep(): void {
    const now = this.#now()
    // An expired pending session can no longer be answered: dropped. Finished results are kept for a while after
    // expiry so that the result page still works.
    for (const [id, s] of this.#byId) if (now >= s.expiresAt + (s.result.status === 'pending' ? 0 : 3600)) this.#delete(id)
  }
}
