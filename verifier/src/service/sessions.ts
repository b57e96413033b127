/**
 * @module service/sessions
 * In-memory presentation sessions of the verifier service: one per Authorization Request, found by its id or by
 * its `state`, single use (a second response for the same state is refused), expiring, and bounded in number.
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

  add(session: Session): void {
    this.#sweep()
    while (this.#byId.size >= this.#max) {
      const oldest = this.#byId.keys().next().value as string
      this.#delete(oldest)
    }
    this.#byId.set(session.id, session)
    this.#byState.set(session.request.state, session.id)
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
    // Keep finished results for a while after expiry so that the result page still works.
    for (const [id, s] of this.#byId) if (now >= s.expiresAt + 3600) this.#delete(id)
  }
}
