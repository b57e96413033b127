/**
 * @module did/resolver
 * did:web, did:key and did:jwk behind did-resolver's `Resolver`, and the step verifiers and wallets need:
 * from a DID (or a DID URL used as `kid`) to the issuer's assertion keys. One resolver for both sides, so a
 * wallet accepts exactly the DID-issued credentials the verifier will.
 */
import { Resolver, parse } from 'did-resolver'
import { E2eidError } from '../errors.js'
import type { ErrorCode } from '../errors.js'
import { didKeyResolver } from './did-key.js'
import { didJwkResolver } from './did-jwk.js'
import { createDidWebResolver } from './did-web.js'
import type { DidFetchJson } from './did-web.js'
import { assertionKeys } from './document.js'
import type { DidKey } from './document.js'

/** Options for {@link createDidResolver}. */
export interface DidResolverOptions {
  /** Fetches did:web documents (the caller bounds size and time, and maps failures to E2eidError). */
  fetchJson: DidFetchJson
  /** Resolve did:web on localhost/127.0.0.1 over plain HTTP (tests only). Default false. */
  insecureLoopback?: boolean
}

/** A did-resolver `Resolver` for did:web, did:key and did:jwk (nothing else). */
export function createDidResolver(options: DidResolverOptions): Resolver {
  const web = createDidWebResolver(options.fetchJson, { insecureLoopback: options.insecureLoopback === true })
  // did-resolver's own cache is off: callers cache with bounds.
  return new Resolver({ web, key: didKeyResolver, jwk: didJwkResolver }, { cache: false })
}

/**
 * Resolves `did` and returns its assertion keys. Throws ERR_DID_INVALID, ERR_DID_UNSUPPORTED_METHOD,
 * ERR_DID_RESOLUTION_FAILED or ERR_DID_DOCUMENT_INVALID (or the fetch's own code for a did:web fetch failure).
 */
export async function resolveDidAssertionKeys(resolver: Resolver, did: string): Promise<DidKey[]> {
  const parsed = parse(did)
  if (parsed === null || parsed.did !== did) throw new E2eidError('ERR_DID_INVALID', `not a DID: ${JSON.stringify(did)}`)
  if (!['web', 'key', 'jwk'].includes(parsed.method)) {
    throw new E2eidError('ERR_DID_UNSUPPORTED_METHOD', `did:${parsed.method} is not supported`)
  }
  const res = await resolver.resolve(did)
  if (res.didDocument === null || res.didResolutionMetadata.error !== undefined) {
    // document.ts's resolutionFailure stores the code of the E2eidError it caught: a registered code.
    const code = typeof res.didResolutionMetadata.code === 'string' ? (res.didResolutionMetadata.code as ErrorCode) : 'ERR_DID_RESOLUTION_FAILED'
    throw new E2eidError(code, `could not resolve ${did}: ${String(res.didResolutionMetadata.message ?? res.didResolutionMetadata.error)}`)
  }
  return assertionKeys(did, res.didDocument)
}
