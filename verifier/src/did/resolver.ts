/**
 * @module did/resolver
 * The verifier's DID resolver: the shared did:web / did:key / did:jwk resolution of `@e2eid/shared` (the one the
 * wallet uses too), with did:web documents fetched through the verifier's HTTP client (URL policy, size and time
 * bounds).
 */
import type { Resolver } from 'did-resolver'
import { createDidResolver as createSharedDidResolver } from '@e2eid/shared'
import type { HttpClient } from '../http.js'

export { resolveDidAssertionKeys } from '@e2eid/shared'

/** Options for {@link createDidResolver}. */
export interface DidResolverOptions {
  http: HttpClient
  /** Resolve did:web on localhost/127.0.0.1 over plain HTTP (tests only). Default false. */
  insecureLoopback?: boolean
}

/** A did-resolver `Resolver` for did:web, did:key and did:jwk, fetching did:web through `options.http`. */
export function createDidResolver(options: DidResolverOptions): Resolver {
  return createSharedDidResolver({ fetchJson: (url) => options.http.getJson(url), insecureLoopback: options.insecureLoopback === true })
}
