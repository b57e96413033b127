/**
 * @module formats/issuer-keys
 * Finding the issuer's public keys on receipt: JWT VC Issuer Metadata
 * (draft-ietf-oauth-sd-jwt-vc §2.5 / -18 §4): GET `https://<host>/.well-known/jwt-vc-issuer<path>`,
 * `issuer` MUST equal the Credential Issuer Identifier, keys inline (`jwks`) or by `jwks_uri`.
 * The project's issuer signs SD-CWT and SD-JWT VC with the same keys, so the wallet uses this
 * document for both formats. Responses are size-capped and parsed with zod.
 */
import { E2eidError, parsePublicJwk, readStreamCapped } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { z } from 'zod'

const MAX_BYTES = 256 * 1024

const zJwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())).max(100) })
const zIssuerMetadata = z.object({ issuer: z.string(), jwks: zJwks.optional(), jwks_uri: z.string().optional() })

/** `https://host/.well-known/jwt-vc-issuer/path` for issuer `https://host/path` (trailing `/` removed). */
export function jwtVcIssuerMetadataUrl(issuer: string): string {
  let u: URL
  try {
    u = new URL(issuer)
  } catch (e) {
    throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `issuer ${issuer} is not a URL`, { cause: e })
  }
  const path = u.pathname.replace(/\/+$/, '')
  return `${u.origin}/.well-known/jwt-vc-issuer${path}`
}

/** GETs `url` as JSON (no redirects, size-capped); throws ERR_WALLET_ISSUER_KEYS. Also fetches did:web documents. */
export async function getJson(fetchFn: typeof fetch, url: string): Promise<unknown> {
  let res: Response
  try {
    res = await fetchFn(url, { headers: { Accept: 'application/json' }, redirect: 'error' })
  } catch (e) {
    throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `could not fetch ${url}`, { cause: e })
  }
  if (!res.ok) throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} answered HTTP ${res.status}`)
  // The size is checked while reading (the stream is cancelled past the cap), not after buffering the whole body.
  const tooLarge = () => new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} is larger than ${MAX_BYTES} bytes`)
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > MAX_BYTES) {
    res.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  const buf = res.body === null ? new Uint8Array(0) : await readStreamCapped(res.body.getReader(), MAX_BYTES, tooLarge)
  try {
    return JSON.parse(new TextDecoder().decode(buf)) as unknown
  } catch (e) {
    throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} is not JSON`, { cause: e })
  }
}

/** The issuer's public signing keys from its JWT VC Issuer Metadata; unsupported keys are skipped. */
export async function fetchIssuerKeys(issuer: string, fetchFn: typeof fetch): Promise<PublicJwk[]> {
  const url = jwtVcIssuerMetadataUrl(issuer)
  const parsed = zIssuerMetadata.safeParse(await getJson(fetchFn, url))
  if (!parsed.success) throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} is not JWT VC Issuer Metadata`)
  // §4.3: the `issuer` value MUST be identical to the `iss` value; otherwise the data MUST NOT be used.
  if (parsed.data.issuer !== issuer) throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} is for issuer ${parsed.data.issuer}, not ${issuer}`)
  if ((parsed.data.jwks === undefined) === (parsed.data.jwks_uri === undefined)) {
    throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} must have exactly one of jwks and jwks_uri`)
  }
  let jwks = parsed.data.jwks
  if (jwks === undefined) {
    const r = zJwks.safeParse(await getJson(fetchFn, parsed.data.jwks_uri!))
    if (!r.success) throw new E2eidError('ERR_WALLET_ISSUER_KEYS', 'jwks_uri did not return a JWK Set')
    jwks = r.data
  }
  const keys: PublicJwk[] = []
  for (const k of jwks.keys) {
    try {
      keys.push(parsePublicJwk(k))
    } catch {
      // Keys of other types (RSA, encryption keys) are not ours to use.
    }
  }
  if (keys.length === 0) throw new E2eidError('ERR_WALLET_ISSUER_KEYS', `${url} lists no usable signing key`)
  return keys
}
