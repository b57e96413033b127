/**
 * @module http/client-address
 * The client address that rate limits key on. It is the TCP peer, unless the peer is one of the
 * configured `trusted_proxies`: then it is the right-most address that is not itself a trusted proxy in the ONE
 * header those proxies write (`trusted_proxy_header`: `X-Forwarded-For`, the default, or `Forwarded`, RFC 7239
 * §5.2 `for=`). The other header is never read: proxies pass a header they do not write through untouched, so
 * the client wrote all of it. Entries further left were written by the client and are never believed; a proxy
 * that could not tell (`for=unknown`, an obfuscated identifier, garbage) leaves the address of the trusted hop
 * that reported it. Rate limits key an IPv6 client on its /64 ({@link rateLimitKey}).
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

/** The forwarding header the trusted proxies write (config `trusted_proxy_header`). */
export type ForwardingHeader = 'x-forwarded-for' | 'forwarded'

/** The client address for a request that came from `peer` with these forwarding headers; only `use` is read. */
export function resolveClientAddress(
  peer: string,
  trusted: TrustedProxies,
  headers: { forwarded?: string; xForwardedFor?: string },
  use: ForwardingHeader = 'x-forwarded-for',
): string {
  if (trusted.size === 0 || !trusted.has(peer)) return normalize(peer)
  const chain =
    use === 'forwarded'
      ? headers.forwarded !== undefined ? forwardedFor(headers.forwarded) : []
      : headers.xForwardedFor !== undefined ? headers.xForwardedFor.split(',').map((s) => stripNode(s.trim())) : []
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

/** The 8 hextets of an IPv6 address (isIP 6), or null. */
function hextets(addr: string): number[] | null {
  let a = addr.replace(/%.*$/, '')
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a)
  if (v4 !== null) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number) as [number, number, number, number]
    a = `${a.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`
  }
  const [head = '', tail] = a.split('::')
  const h = head === '' ? [] : head.split(':')
  const t = tail === undefined || tail === '' ? [] : tail.split(':')
  const parts = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  return parts.length === 8 ? parts.map((p) => parseInt(p, 16)) : null
}

/**
 * The rate-limit key of a client address: an IPv4 address as is; an IPv6 address by its /64, since one host
 * (RFC 4941 temporary addresses, any host on a /64 LAN) can send from any address of its /64.
 */
export function rateLimitKey(addr: string): string {
  if (isIP(addr) !== 6) return addr
  const h = hextets(addr)
  return h === null ? addr : `${h.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`
}

/** A function giving each request's rate-limit key (client address under `trustedProxies`, IPv6 per /64). */
export function clientAddressResolver(trustedProxies: readonly string[], use: ForwardingHeader = 'x-forwarded-for'): (c: Context) => string {
  const trusted = new TrustedProxies(trustedProxies)
  return (c) =>
    rateLimitKey(resolveClientAddress(peerAddress(c.env), trusted, { forwarded: c.req.header('forwarded'), xForwardedFor: c.req.header('x-forwarded-for') }, use))
}
