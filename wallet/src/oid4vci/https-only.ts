/**
 * @module oid4vci/https-only
 * The https:// policy of one receive, passed explicitly.
 *
 * `@openid4vc/utils` 0.4.6 decides whether its URL schemas accept http:// from a process-global
 * switch (`setGlobalConfig({ allowInsecureUrls })`), its only setting. Setting it before a receive
 * and restoring it after an await would race with any other receive (or an issuer embedded in the
 * same process, issuer/src/oauth/library.ts) running meanwhile. So the switch is only ever turned
 * on, once, by the first receive that allows http (loopback development), and never reset; each
 * receive enforces its own policy here: its fetch refuses http:// URLs, and the URLs it acts on
 * without fetching (the offer's issuer, the authorization request it sends the user to) are checked.
 */
import type { ErrorCode } from '@e2eid/shared'
import { E2eidError } from '@e2eid/shared'
import { getGlobalConfig, setGlobalConfig } from '@openid4vc/utils'

/** Lets the library parse http:// URLs from now on (one-way; see the module comment). */
export function allowLibraryHttpUrls(): void {
  const config = getGlobalConfig()
  if (config.allowInsecureUrls !== true) setGlobalConfig({ ...config, allowInsecureUrls: true })
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input
  return input instanceof URL ? input.href : input.url
}

/** `f`, refusing any request to a URL that is not https:// unless `allowHttp`. */
export function httpsOnlyFetch(f: typeof fetch, allowHttp: boolean): typeof fetch {
  if (allowHttp) return f
  return async (input, init) => {
    const url = urlOf(input)
    if (!isHttps(url)) throw new TypeError(`url must be an https:// url: ${url}`)
    return f(input, init)
  }
}

/** Throws E2eidError `code` when `url` is not https:// and http is not allowed. */
export function requireHttps(url: string, allowHttp: boolean, code: ErrorCode, what: string): void {
  if (!allowHttp && !isHttps(url)) throw new E2eidError(code, `${what} must be an https:// url`)
}
