/**
 * @module service/request-guard
 * Who may create presentation requests: POST /requests is anonymous by default (spec-following
 * frontends and the service's own page need no credentials), rate-limited per client address, and may require
 * `Authorization: Bearer <token>` (RFC 6750 §2.1) when the deployment configures a requests token.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bytesEqual, utf8Encode } from '@e2eid/shared'

/**
 * A fixed-window counter per client address, in memory (per instance), bounded by `maxKeys`: when full, expired
 * windows are swept first, then the oldest tenth, never all at once (so flooding from many addresses cannot reset
 * everyone's counters). The same scheme as the issuer's token endpoint limiter.
 */
export class RequestRateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>()
  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.now()
    let w = this.#windows.get(key)
    if (w === undefined || now - w.start >= this.windowSeconds) {
      if (w !== undefined) this.#windows.delete(key) // re-insert: Map order stays oldest-start first
      else if (this.#windows.size >= this.maxKeys) this.#evict(now)
      w = { start: now, count: 0 }
      this.#windows.set(key, w)
    }
    w.count++
    return w.count > this.limit ? Math.max(1, Math.ceil(w.start + this.windowSeconds - now)) : 0
  }

  #evict(now: number): void {
    for (const [k, v] of this.#windows) {
      if (now - v.start < this.windowSeconds) break
      this.#windows.delete(k)
    }
    if (this.#windows.size >= this.maxKeys) {
      let drop = Math.max(1, Math.floor(this.maxKeys / 10))
      for (const k of this.#windows.keys()) {
        if (drop-- <= 0) break
        this.#windows.delete(k)
      }
    }
  }
}

/**
 * The rate-limit key of a client address: IPv4 as is, IPv6 by its /64, since one host can send from any address of
 * its /64 (RFC 4941 temporary addresses); keyed per address, a single IPv6 host filled every pending session slot.
 * The same rule as the issuer's rateLimitKey (issuer/src/http/client-address.ts).
 */
export function rateLimitKey(addr: string): string {
  if (!addr.includes(':')) return addr
  let a = addr.replace(/%.*$/, '')
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a)
  if (v4 !== null) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number) as [number, number, number, number]
    if (/^::ffff:$/i.test(a.slice(0, v4.index))) return v4.slice(1).join('.') // IPv4-mapped: the IPv4 address
    a = `${a.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`
  }
  const [head = '', tail] = a.split('::')
  const h = head === '' ? [] : head.split(':')
  const t = tail === undefined || tail === '' ? [] : tail.split(':')
  const parts = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t]
  if (parts.length !== 8 || !parts.every((p) => /^[0-9a-f]{1,4}$/i.test(p))) return addr
  return `${parts.slice(0, 4).map((p) => parseInt(p, 16).toString(16)).join(':')}::/64`
}

/** The client's address as @hono/node-server saw it ('local' for in-process requests). */
function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'local'
}

/** An OAuth-style error body with the stable code. */
export function serviceError(c: Context, status: 401 | 429 | 503, error: string, code: string, description: string, headers: Record<string, string> = {}): Response {
  for (const [k, v] of Object.entries(headers)) c.header(k, v)
  return c.json({ error, error_description: description, code }, status)
}

/** Options of {@link requestsGuard}. */
export interface RequestsGuardOptions {
  /** When set, POST /requests needs `Authorization: Bearer <token>` (401 invalid_token otherwise). */
  token?: string | undefined
  limiter: RequestRateLimiter
}

/** Middleware for POST /requests: the bearer token (when configured), then the per-address rate limit (429). */
export function requestsGuard(o: RequestsGuardOptions): MiddlewareHandler {
  const expected = o.token === undefined ? undefined : utf8Encode(o.token)
  return async (c, next) => {
    if (expected !== undefined) {
      const given = /^Bearer ([\x21-\x7E]+)$/.exec(c.req.header('authorization') ?? '')?.[1]
      // Constant time in the token's content.
      if (given === undefined || !bytesEqual(utf8Encode(given), expected)) {
        return serviceError(c, 401, 'invalid_token', 'ERR_VERIFY_REQUESTS_UNAUTHORIZED', 'creating a request needs the service\'s requests token (Authorization: Bearer)', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
      }
    }
    const wait = o.limiter.hit(rateLimitKey(clientAddress(c.env)))
    if (wait > 0) return serviceError(c, 429, 'too_many_requests', 'ERR_VERIFY_RATE_LIMITED', 'too many requests from this address, retry later', { 'Retry-After': String(wait) })
    await next()
    return undefined
  }
}
