/**
 * @module http/abuse-limits
 * Per-endpoint request limits of the issuer: POST /par, GET /authorize, POST /nonce, POST /credential
 * and /admin/* per client address (resolved through `trusted_proxies`), POST /credential per user. These
 * bound load, so they are per instance, in memory; the limits that bound guessing (logins per account,
 * failed admin authentications per address) are in the database, shared by every instance.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { IssuerContext } from '../context.js'
import { oauthError } from './oauth-error.js'
import { RateLimiter } from './hardening.js'
import { clientAddressResolver } from './client-address.js'

/** The limits of one app. */
export interface AbuseLimits {
  /** The client address of a request (the TCP peer, or what a trusted proxy reports). */
  addressOf: (c: Context) => string
  /** Middleware for every route: 429 once the client address is over the limit of the endpoint it calls. */
  perEndpoint: MiddlewareHandler
  /** Counts one credential request of `userId`; throws 429 over its limit. */
  credentialAccount(userId: string): void
}

function limited(wait: number): never {
  throw oauthError('too_many_requests', 'rate limit exceeded, retry later', 'ERR_ISSUER_RATE_LIMITED', { headers: { 'Retry-After': String(wait) } })
}

/** Creates the limiters of `ctx.config.rateLimitsPerMinute`. */
export function createAbuseLimits(ctx: IssuerContext): AbuseLimits {
  const l = ctx.config.rateLimitsPerMinute
  const minute = (n: number) => new RateLimiter(n, 60, ctx.now)
  const byRoute = new Map<string, RateLimiter>([
    ['POST /par', minute(l.par)],
    ['GET /authorize', minute(l.authorize)],
    ['POST /nonce', minute(l.nonce)],
    ['POST /credential', minute(l.credential)],
  ])
  const admin = minute(l.admin)
  const perAccount = minute(l.credentialPerAccount)
  const addressOf = clientAddressResolver(ctx.config.trustedProxies, ctx.config.trustedProxyHeader)
  return {
    addressOf,
    perEndpoint: async (c, next) => {
      const path = c.req.path
      const limiter = path.startsWith('/admin/') ? admin : byRoute.get(`${c.req.method} ${path}`)
      if (limiter !== undefined) {
        const wait = limiter.hit(addressOf(c))
        if (wait > 0) limited(wait)
      }
      await next()
    },
    credentialAccount(userId) {
      const wait = perAccount.hit(userId)
      if (wait > 0) limited(wait)
    },
  }
}
