/**
 * @module trust/trust-store
 * Trust anchors: several authorities at once, each with its own key sources (configured keys, a JWKS URL,
 * a COSE_KeySet URL, SD-JWT VC JWT VC Issuer Metadata, or a DID). Fetched key sets are cached with bounds
 * (entries and lifetime); concurrent lookups of one source share one fetch. Deny by default: an issuer that
 * no authority names is untrusted, whatever keys it points to.
 */
import { E2eidError, parsePublicJwk, parseWith } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { BoundedCache } from '../cache.js'
import type { HttpClient } from '../http.js'
import { createDidResolver, resolveDidAssertionKeys } from '../did/resolver.js'
import { decodeCoseKeySet } from './cose-key-set.js'
import type { IssuerKeys, KeySource, PresentationFormat, TrustStore, TrustedAuthority } from './types.js'
import { zJwkSet, zJwtVcIssuerMetadata } from './z-key-sets.js'
import { keyMaterial } from './withdrawn.js'

/** Options for {@link createTrustStore}. */
export interface TrustStoreOptions {
  authorities: readonly TrustedAuthority[]
  /** The verifier's HTTP client (all key fetches go through it). */
  http: HttpClient
  /** Resolve did:web on localhost/127.0.0.1 over plain HTTP (tests, local demos). Default false. */
  insecureLoopback?: boolean
  /** Bounds of the key-set cache (default 100 entries, 300 s). */
  cache?: { maxEntries?: number; ttlSeconds?: number }
  /** Clock in Unix seconds (for the cache). */
  now?: () => number
  /**
   * When a token names a kid that a fetched key set lacks (the issuer rotated its keys), refetch that set once if
   * it is older than this many seconds (default 30; bounds how often a stranger's kid can make us fetch).
   */
  minRefreshSeconds?: number
  /**
   * How long a failed key fetch (network error, HTTP error, invalid document) is remembered, in seconds (default 30;
   * 0 turns it off). Within it, tokens naming that authority are refused at once with the same error instead of
   * fetching again, so that a down authority is not hammered by every presentation that names it.
   */
  negativeCacheSeconds?: number
}

/** A key with the id it is known by. */
interface NamedKey {
  kid: string | undefined
  jwk: PublicJwk
}

/** The JWT VC Issuer Metadata URL of an issuer identifier (SD-JWT VC §2.5.1). Throws ERR_VERIFY_ISSUER_METADATA_INVALID. */
export function jwtVcIssuerMetadataUrl(issuer: string): string {
  let url: URL
  try {
    url = new URL(issuer)
  } catch (e) {
    throw new E2eidError('ERR_VERIFY_ISSUER_METADATA_INVALID', 'issuer identifier is not a URL', { cause: e })
  }
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    throw new E2eidError('ERR_VERIFY_ISSUER_METADATA_INVALID', 'issuer identifier must have no query or fragment')
  }
  const path = url.pathname.replace(/\/+$/, '')
  return `${url.origin}/.well-known/jwt-vc-issuer${path}`
}

function jwkSetKeys(value: unknown, what: string): NamedKey[] {
  const set = parseWith(zJwkSet, value, 'ERR_VERIFY_KEY_SET_INVALID', () => `${what} is not a JWK Set`)
  const out: NamedKey[] = []
  for (const k of set.keys) {
    if (k.use !== undefined && k.use !== 'sig') continue
    if ('d' in k) throw new E2eidError('ERR_VERIFY_KEY_SET_INVALID', `${what} contains a private key`)
    try {
      const jwk = parsePublicJwk(k)
      out.push({ kid: jwk.kid, jwk })
    } catch {
      // Keys of unsupported types (RSA, other curves) are not candidates.
    }
  }
  return out
}

/**
 * Creates a trust store over the given authorities.
 *
 * @example
 * const trust = createTrustStore({ http, authorities: [{ issuer: 'https://issuer.example', sources: [{ type: 'jwt_vc_issuer' }] }] })
 */
export function createTrustStore(options: TrustStoreOptions): TrustStore {
  const byIssuer = new Map<string, TrustedAuthority>()
  for (const a of options.authorities) {
    if (byIssuer.has(a.issuer)) throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', `authority ${a.issuer} is configured twice`)
    byIssuer.set(a.issuer, a)
  }
  const http = options.http
  const cacheOptions = { ...options.cache, ...(options.now === undefined ? {} : { now: options.now }) }
  const cache = new BoundedCache<NamedKey[]>(cacheOptions)
  const inflight = new Map<string, Promise<NamedKey[]>>()
  // Negative cache: failed fetches, kept briefly.
  const negativeSeconds = options.negativeCacheSeconds ?? 30
  const failures = new BoundedCache<unknown>({ maxEntries: cacheOptions.maxEntries, ttlSeconds: negativeSeconds, ...(options.now === undefined ? {} : { now: options.now }) })
  let didResolver: ReturnType<typeof createDidResolver> | undefined

  function cached(key: string, load: () => Promise<NamedKey[]>): Promise<NamedKey[]> {
    const hit = cache.get(key)
    if (hit !== undefined) return Promise.resolve(hit)
    const failed = failures.get(key)
    if (failed !== undefined) return Promise.reject(failed)
    const pending = inflight.get(key)
    if (pending !== undefined) return pending
    const p = load()
      .then(
        (keys) => {
          cache.set(key, keys)
          return keys
        },
        (e: unknown) => {
          if (negativeSeconds > 0) failures.set(key, e)
          throw e
        },
      )
      .finally(() => inflight.delete(key))
    inflight.set(key, p)
    return p
  }

  function cacheKeyOf(issuer: string, source: KeySource): string | undefined {
    switch (source.type) {
      case 'keys':
        return undefined
      case 'jwks_uri':
        return `jwks:${source.uri}`
      case 'cose_key_set_uri':
        return `cose:${source.uri}`
      case 'jwt_vc_issuer':
        return `jwt-vc-issuer:${issuer}`
      case 'did':
        return `did:${issuer}`
    }
  }

  async function loadSource(issuer: string, source: KeySource): Promise<NamedKey[]> {
    switch (source.type) {
      case 'keys':
        return source.keys.map((k) => {
          const jwk = parsePublicJwk(k)
          return { kid: jwk.kid, jwk }
        })
      case 'jwks_uri':
        return cached(`jwks:${source.uri}`, async () => jwkSetKeys(await http.getJson(source.uri), source.uri))
      case 'cose_key_set_uri':
        return cached(`cose:${source.uri}`, async () => {
          const { bytes } = await http.get(source.uri, 'application/cose-key-set, application/cbor')
          return decodeCoseKeySet(bytes).map((k) => ({ kid: k.kid, jwk: k.jwk }))
        })
      case 'jwt_vc_issuer':
        return cached(`jwt-vc-issuer:${issuer}`, async () => {
          const url = jwtVcIssuerMetadataUrl(issuer)
          const metadata = parseWith(zJwtVcIssuerMetadata, await http.getJson(url), 'ERR_VERIFY_ISSUER_METADATA_INVALID', () => `${url} is not JWT VC Issuer Metadata`)
          // SD-JWT VC §2.5.1: `issuer` MUST be identical to `iss`, else the metadata MUST NOT be used.
          if (metadata.issuer !== issuer) {
            throw new E2eidError('ERR_VERIFY_ISSUER_METADATA_INVALID', `metadata issuer ${metadata.issuer} is not ${issuer}`)
          }
          if (metadata.jwks !== undefined) return jwkSetKeys(metadata.jwks, url)
          const jwksUri = metadata.jwks_uri!
          return jwkSetKeys(await http.getJson(jwksUri), jwksUri)
        })
      case 'did':
        return cached(`did:${issuer}`, async () => {
          didResolver ??= createDidResolver({ http, insecureLoopback: options.insecureLoopback === true })
          const keys = await resolveDidAssertionKeys(didResolver, issuer)
          return keys.map((k) => ({ kid: k.id, jwk: k.jwk }))
        })
    }
  }

  // Withdrawn keys, by authority: kid → since, and the material of every loaded key with such a kid.
  const withdrawnKids = new Map<string, Map<string, number>>()
  const withdrawnMaterial = new Map<string, Map<string, number>>()
  for (const a of options.authorities) {
    if (a.withdrawn === undefined || a.withdrawn.length === 0) continue
    const kids = new Map<string, number>()
    for (const w of a.withdrawn) {
      if (typeof w.kid !== 'string' || w.kid === '' || !Number.isSafeInteger(w.since) || w.since < 0) {
        throw new E2eidError('ERR_VERIFY_CONFIG_INVALID', `authority ${a.issuer}: a withdrawn key needs a kid and a since (UNIX seconds)`)
      }
      kids.set(w.kid, Math.min(w.since, kids.get(w.kid) ?? w.since))
    }
    withdrawnKids.set(a.issuer, kids)
    withdrawnMaterial.set(a.issuer, new Map())
  }
  function noteWithdrawn(iss: string, keys: readonly NamedKey[]): void {
    const kids = withdrawnKids.get(iss)
    if (kids === undefined) return
    const material = withdrawnMaterial.get(iss)!
    for (const k of keys) {
      const since = k.kid === undefined ? undefined : kids.get(k.kid)
      if (since !== undefined) material.set(keyMaterial(k.jwk), since)
    }
  }
  function withdrawnSince(iss: string | undefined, key: PublicJwk): number | undefined {
    if (iss === undefined) return undefined
    const byKid = key.kid === undefined ? undefined : withdrawnKids.get(iss)?.get(key.kid)
    return byKid ?? withdrawnMaterial.get(iss)?.get(keyMaterial(key))
  }

  async function issuerKeys(query: { iss: string | undefined; kid: string | undefined; format: PresentationFormat; purpose?: 'credential' | 'status_list' }): Promise<IssuerKeys> {
    const { iss, format } = query
    const authority = iss === undefined ? undefined : byIssuer.get(iss)
    if (iss === undefined || authority === undefined) {
      throw new E2eidError('ERR_VERIFY_ISSUER_UNTRUSTED', `issuer ${JSON.stringify(iss ?? null)} is not a trusted authority`)
    }
    if (authority.formats !== undefined && !authority.formats.includes(format)) {
      throw new E2eidError('ERR_VERIFY_ISSUER_UNTRUSTED', `issuer ${iss} is not trusted for ${format}`)
    }
    // A relative DID URL kid ("#key-1") names a key of the issuer's own DID document.
    let kid = query.kid
    if (kid !== undefined && kid.startsWith('#') && iss.startsWith('did:')) kid = iss + kid
    const load = async (): Promise<NamedKey[]> => {
      const all: NamedKey[] = []
      for (const source of authority.sources) all.push(...(await loadSource(iss, source)))
      noteWithdrawn(iss, all)
      return all
    }
    let selected = selectByKid(await load(), kid)
    if (selected.length === 0 && kid !== undefined) {
      // Key rotation: a kid we do not know yet may be in a fresher copy of a fetched set.
      let stale = false
      for (const source of authority.sources) {
        const key = cacheKeyOf(iss, source)
        const age = key === undefined ? undefined : cache.age(key)
        if (key !== undefined && age !== undefined && age >= (options.minRefreshSeconds ?? 30)) {
          cache.delete(key)
          stale = true
        }
      }
      if (stale) selected = selectByKid(await load(), kid)
    }
    let keys = selected.map((k) => (query.kid === undefined ? k : { ...k, kid: query.kid }))
    if (query.purpose === 'status_list' && keys.length > 0) {
      // A status list signed by a withdrawn key is refused whatever its time.
      const usable = selected.filter((k) => withdrawnSince(iss, k) === undefined)
      if (usable.length === 0) throw new E2eidError('ERR_VERIFY_ISSUER_KEY_WITHDRAWN', `issuer ${iss} withdrew every key that could sign this status list`)
      keys = usable.map((k) => (query.kid === undefined ? k : { ...k, kid: query.kid }))
    }
    if (keys.length === 0) {
      throw new E2eidError('ERR_VERIFY_ISSUER_KEY_UNKNOWN', `issuer ${iss} has no key${kid === undefined ? '' : ` with kid ${JSON.stringify(kid)}`}`)
    }
    return { issuer: iss, keys }
  }

  return { issuerKeys, withdrawnSince }
}

// Keys matching `kid` (keys without a kid may have signed a token that names one). The caller labels the result
// with the kid exactly as the token names it, so that kid-matching verifiers (verifyJwt, shared/sd-jwt) try them.
function selectByKid(all: readonly NamedKey[], kid: string | undefined): PublicJwk[] {
  if (kid === undefined) return all.map((k) => k.jwk)
  const exact = all.filter((k) => k.kid === kid)
  return (exact.length > 0 ? exact : all.filter((k) => k.kid === undefined)).map((k) => k.jwk)
}

/**
 * A trust store that accepts exactly one pinned key for any issuer (the CLI's `--issuer-key FILE`):
 * the signature is the trust decision.
 */
export function pinnedKeyTrustStore(key: PublicJwk): TrustStore {
  const jwk = parsePublicJwk(key)
  return {
    async issuerKeys(query) {
      // The pinned key is the trust decision, whatever kid the token names: label it with that kid.
      return { issuer: query.iss, keys: [query.kid === undefined ? jwk : { ...jwk, kid: query.kid }] }
    },
  }
}

