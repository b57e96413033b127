/**
 * @module http/hardening
 * HTTP hardening of the issuer (issue #8): a fixed-window rate limiter for the token endpoint and the
 * login form, the security headers of every response, and the CORS policy of the public endpoints (any
 * origin, or only the configured wallet page origins).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import { oauthError } from './oauth-error.js'

/**
 * A fixed-window counter per key (client address). In memory: per instance. Memory is bounded by
 * `maxKeys`: when full, expired windows are swept and then the oldest windows are evicted — never all
 * at once, so flooding from many addresses cannot reset everyone's counters.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()
  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Number of clients currently tracked. */
  get size(): number {
    return this.windows.size
  }

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.now()
    let w = this.windows.get(key)
    if (w === undefined || now - w.start >= this.windowSeconds) {
      if (w !== undefined) this.windows.delete(key) // re-insert: Map order stays oldest-start first
      else if (this.windows.size >= this.maxKeys) this.evict(now)
      w = { start: now, count: 0 }
      this.windows.set(key, w)
    }
    w.count++
    return w.count > this.limit ? Math.max(1, w.start + this.windowSeconds - now) : 0
  }

  private evict(now: number): void {
    for (const [k, v] of this.windows) {
      if (now - v.start < this.windowSeconds) break // insertion order = start order: the rest are live
      this.windows.delete(k)
    }
    // Still full of live windows: drop the oldest tenth (closest to expiry anyway).
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.max(1, Math.floor(this.maxKeys / 10))
      for (const k of this.windows.keys()) {
        if (drop-- <= 0) break
        this.windows.delete(k)
      }
    }
  }
}

/** The client's address as the node server saw it ('local' for in-process requests). */
function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'local'
}

/**
 * Middleware: 429 too_many_requests once `limiter` says so, for requests `applies` selects (default all), keyed by
 * `addressOf` (default the TCP peer; the app passes the trusted-proxy-aware resolver of http/client-address.ts).
 */
export function rateLimit(
  limiter: RateLimiter,
  o: { applies?: (c: Context) => boolean; addressOf?: (c: Context) => string } = {},
): MiddlewareHandler {
  const applies = o.applies ?? (() => true)
  const addressOf = o.addressOf ?? ((c: Context) => clientAddress(c.env))
  return async (c, next) => {
    const wait = applies(c) ? limiter.hit(addressOf(c)) : 0
    if (wait > 0) throw oauthError('too_many_requests', 'rate limit exceeded, retry later', 'ERR_ISSUER_RATE_LIMITED', { headers: { 'Retry-After': String(wait) } })
    await next()
  }
}

/** Security headers for every response (JSON APIs and the login page alike). */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    crossOriginResourcePolicy: false,
  })
}

/**
 * CORS for the public, credential-less endpoints (metadata, keys, status lists, offers by reference, /token,
 * /nonce, /credential, /notification, /par). None of them uses cookies or ambient authority: a request is
 * authorized only by what it carries (codes, access tokens bound by DPoP), so any web wallet may call them.
 * With no `origins` configured they answer any origin (`Access-Control-Allow-Origin: *`, never credentials);
 * with `origins` (the config's `wallet_origins`) only those, exactly. Preflights allow the Authorization,
 * DPoP and Content-Type headers. The admin API and the login page never get this middleware.
 *
 * A request (not a preflight) that gets no CORS answer (no Origin header, as from native wallets, or an origin
 * not admitted) runs the handler with at most `Vary: Origin`, set before the handler runs: Hono's cors middleware
 * would add its Access-Control-Expose-Headers and Vary to the finished response, which rebuilds the response
 * object and its headers on every request (~100 µs per request on the bench CPU).
 */
export function walletCors(origins: readonly string[]): MiddlewareHandler {
  const anyOrigin = origins.length === 0
  const admitted = new Set(origins)
  const full = cors({
    origin: anyOrigin ? '*' : (origin) => (admitted.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'DPoP', 'Content-Type'],
    exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce', 'Retry-After'],
    credentials: false,
    maxAge: 600,
  })
  return async (c, next) => {
    const origin = c.req.header('origin')
    if (c.req.method === 'OPTIONS' || (origin !== undefined && (anyOrigin || admitted.has(origin)))) return full(c, next)
    // With `*` the answer does not depend on the Origin header.
    if (!anyOrigin) c.header('Vary', 'Origin', { append: true })
    await next()
  }
}
