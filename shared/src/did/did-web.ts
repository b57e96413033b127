/**
 * @module did/did-web
 * A did-resolver driver for did:web (W3C CCG did:web §3.2): `did:web:host[%3Aport][:path…]` →
 * `https://host[:port]/(path/…|.well-known)/did.json`. The document is fetched through a caller-given
 * `fetchJson` (the verifier's bounded HTTP client, the wallet's capped fetch), so this module stays
 * runtime-agnostic. HTTPS only unless plain HTTP to loopback was explicitly allowed (tests, local demos).
 */
import type { DIDDocument, DIDResolutionResult, DIDResolver } from 'did-resolver'
import { E2eidError } from '../errors.js'
import { resolutionError } from './document.js'

/** GETs a URL and returns its parsed JSON body; throws E2eidError on any failure (bounds are the caller's). */
export type DidFetchJson = (url: string) => Promise<unknown>

/** Options for {@link didWebUrl}. */
export interface DidWebUrlOptions {
  /** Use `http:` for localhost/127.0.0.1 hosts (never for any other host). Default false. */
  insecureLoopback?: boolean
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The URL of the DID document of a did:web method-specific id; throws ERR_DID_INVALID. */
export function didWebUrl(methodSpecificId: string, options: DidWebUrlOptions = {}): string {
  const parts = methodSpecificId.split(':')
  if (parts.some((p) => p.length === 0)) throw new E2eidError('ERR_DID_INVALID', 'did:web has an empty segment')
  let host: string
  try {
    host = decodeURIComponent(parts[0]!)
  } catch (e) {
    throw new E2eidError('ERR_DID_INVALID', 'did:web host is not percent-encoded correctly', { cause: e })
  }
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(host) && !/^\[[0-9a-fA-F:]+\](:[0-9]{1,5})?$/.test(host)) {
    throw new E2eidError('ERR_DID_INVALID', `did:web host ${JSON.stringify(host)} is not a host name`)
  }
  const path = parts.slice(1).map((p) => {
    let seg: string
    try {
      seg = decodeURIComponent(p)
    } catch (e) {
      throw new E2eidError('ERR_DID_INVALID', 'did:web path segment is not percent-encoded correctly', { cause: e })
    }
    if (seg === '.' || seg === '..' || seg.includes('/')) throw new E2eidError('ERR_DID_INVALID', 'did:web path segment is invalid')
    return encodeURIComponent(seg)
  })
  const hostname = host.replace(/:[0-9]{1,5}$/, '')
  const scheme = options.insecureLoopback === true && LOOPBACK.has(hostname.toLowerCase()) ? 'http' : 'https'
  return path.length === 0 ? `${scheme}://${host}/.well-known/did.json` : `${scheme}://${host}/${path.join('/')}/did.json`
}

/** Creates the did:web driver over `fetchJson`. */
export function createDidWebResolver(fetchJson: DidFetchJson, options: DidWebUrlOptions = {}): DIDResolver {
  return async (did, parsed): Promise<DIDResolutionResult> => {
    let doc: unknown
    try {
      doc = await fetchJson(didWebUrl(parsed.id, options))
    } catch (e) {
      return resolutionError(e instanceof E2eidError && e.code === 'ERR_DID_INVALID' ? 'invalidDid' : 'notFound', e)
    }
    if (typeof doc !== 'object' || doc === null || (doc as { id?: unknown }).id !== did) {
      return resolutionError('invalidDidDocument', new E2eidError('ERR_DID_DOCUMENT_INVALID', `did.json is not the document of ${did}`))
    }
    return { didResolutionMetadata: { contentType: 'application/did+json' }, didDocument: doc as DIDDocument, didDocumentMetadata: {} }
  }
}
