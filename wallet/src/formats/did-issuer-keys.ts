/**
 * @module formats/did-issuer-keys
 * Issuer keys from a DID (SD-JWT VC draft -18 §3.5 / §5: when `iss` is a DID, the key is a verification method of
 * its DID document, named by the header `kid` as a DID URL). Resolution is the shared did:jwk / did:key / did:web
 * resolver of `@e2eid/shared`, the one the verifier uses, so the wallet accepts what the verifier will.
 * Only `assertionMethod` keys count (DID Core §5.3.2: the relationship for issuing credentials).
 */
import { E2eidError, createDidResolver, resolveDidAssertionKeys } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { getJson } from './issuer-keys.js'

/** True when `iss` is a DID (then its keys come from the DID document, not from JWT VC Issuer Metadata). */
export function isDid(iss: string | undefined): iss is string {
  return iss !== undefined && iss.startsWith('did:')
}

/** Options of {@link fetchDidIssuerKeys}. */
export interface DidIssuerKeyOptions {
  fetch: typeof fetch
  /** Resolve did:web on localhost/127.0.0.1 over plain HTTP (loopback development and tests). Default false. */
  insecureLoopback?: boolean
}

/**
 * The assertion keys of the DID `iss` that the token's `kid` may name. A relative `kid` (`#key-1`) is resolved
 * against `iss`; an absolute DID URL `kid` must name a method of `iss` itself (ERR_WALLET_ISSUER_MISMATCH
 * otherwise: a key of another DID does not speak for this issuer). Each key is labelled with the token's `kid`
 * so that the kid-matching signature check tries it. Throws ERR_WALLET_ISSUER_KEYS when nothing matches, or the
 * resolver's ERR_DID_* code.
 */
export async function fetchDidIssuerKeys(iss: string, kid: string | undefined, options: DidIssuerKeyOptions): Promise<PublicJwk[]> {
  let methodId: string | undefined
  if (kid !== undefined) {
    methodId = kid.startsWith('#') ? iss + kid : kid
    const hash = methodId.indexOf('#')
    if (!methodId.startsWith('did:') || hash < 0 || methodId.slice(0, hash) !== iss) {
      throw new E2eidError('ERR_WALLET_ISSUER_MISMATCH', `kid ${JSON.stringify(kid)} is not a verification method of ${iss}`)
    }
  }
  const resolver = createDidResolver({
    fetchJson: (url) => getJson(options.fetch, url),
    insecureLoopback: options.insecureLoopback === true,
  })
  const all = await resolveDidAssertionKeys(resolver, iss)
  const chosen = methodId === undefined ? all : all.filter((k) => k.id === methodId)
  if (chosen.length === 0) {
    throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${iss} has no assertionMethod key${kid === undefined ? '' : ` ${JSON.stringify(kid)}`}`)
  }
  return chosen.map((k) => (kid === undefined ? k.jwk : { ...k.jwk, kid }))
}
