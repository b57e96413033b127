/**
 * @module http/client-address
 * The client address that rate limits key on (issue 14). It is the TCP peer, unless the peer is one of the
 * configured `trusted_proxies`: then it is the right-most address of `Forwarded` (RFC 7239 §5.2 `for=`) or,
 * without that header, of `X-Forwarded-For`, that is not itself a trusted proxy. Entries further left were
 * written by the client and are never believed; a proxy that could not tell (`for=unknown`, an obfuscated
 * identifier, garbage) leaves the address of the trusted hop that reported it.
 */
import { BlockList, isIP } from 'node:net'
import type { Context } from 'hono'
import { E2eidError } from '@e2eid/shared'

/** An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as dual-stack sockets report IPv4 peers) becomes its IPv4 form. */
function normalize(addr: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(addr)
  return m === null ? addr : m[1]!
}

/** The trusted proxies: addresses and CIDR ranges, IPv4 or IPv6. */
export class TrustedProxies {
  private readonly list = new BlockList()
  readonly size: number

  /** Throws ERR_ISSUER_CONFIG_INVALID for an entry that is not an address or a CIDR range. */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [addr = '', prefix, extra] = entry.split('/')
      const a = normalize(addr)
      const v = isIP(a)
      const bits = prefix === undefined ? (v === 4 ? 32 : 128) : Number(prefix)
      if (v === 0 || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || bits > (v === 4 ? 32 : 128)) {
        throw new E2eidError('ERR_ISSUER_CONFIG_INVALID', `issuer config: trusted_proxies: ${JSON.stringify(entry)} is not an IP address or CIDR range`)
      }
      this.list.addSubnet(a, bits, v === 4 ? 'ipv4' : 'ipv6')
    }
    this.size = entries.length
  }

  /** True when `addr` is a trusted proxy. */
  has(addr: string): boolean {
    const a = normalize(addr)
    const v = isIP(a)
    return v !== 0 && this.list.check(a, v === 4 ? 'ipv4' : 'ipv6')
  }
}

/** Returns `entries` when each is an IP address or CIDR range; else ERR_ISSUER_CONFIG_INVALID. */
export function checkTrustedProxies(entries: readonly string[]): string[] {
  void new TrustedProxies(entries)
  return [...entries]
}

/** RFC 7239 §4/§6: the `for=` node of each element, in order; quotes, brackets and ports removed. */
export function forwardedFor(header: string): string[] {
  const out: string[] = []
  for (const element of header.split(',')) {
    let node = ''
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=')
      if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === 'for') node = pair.slice(eq + 1).trim()
    }
    out.push(stripNode(node))
  }
  return out
}

function stripNode(node: string): string {
  let n = node.startsWith('"') && node.endsWith('"') && node.length >= 2 ? node.slice(1, -1) : node
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(n)
  if (v6 !== null) return v6[1]!
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(n)
  if (v4 !== null) n = v4[1]!
  return n
}

/** The client address for a request that came from `peer` with these forwarding headers. */
export function resolveClientAddress(peer: string, trusted: TrustedProxies, headers: { forwarded?: string; xForwardedFor?: string }): string {
  if (trusted.size === 0 || !trusted.has(peer)) return normalize(peer)
  const chain =
    headers.forwarded !== undefined ? forwardedFor(headers.forwarded) : headers.xForwardedFor !== undefined ? headers.xForwardedFor.split(',').map((s) => stripNode(s.trim())) : []
  let last = normalize(peer)
  for (let i = chain.length - 1; i >= 0; i--) {
    const a = normalize(chain[i]!)
    if (isIP(a) === 0) return last // the trusted hop `last` could not name its client
    if (!trusted.has(a)) return a
    last = a
  }
  return last
}

/** The TCP peer as the node server saw it ('local' for in-process requests, e.g. `app.request` in tests). */
export function peerAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'local'
}

/** A function giving each request's client address under `trustedProxies`. */
export function clientAddressResolver(trustedProxies: readonly string[]): (c: Context) => string {
  const trusted = new TrustedProxies(trustedProxies)
  return (c) => resolveClientAddress(peerAddress(c.env), trusted, { forwarded: c.req.header('forwarded'), xForwardedFor: c.req.header('x-forwarded-for') })
}
