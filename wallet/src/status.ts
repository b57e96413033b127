/**
 * @module status
 * Current status of a stored credential from its Token Status List (draft-ietf-oauth-status-list-20),
 * through the shared status client: the list token must be signed by a key of the credential's
 * issuer (its JWT VC Issuer Metadata); SD-JWT VC credentials accept only JWT status lists
 * (SD-JWT VC: "the Status List Token MUST be a JWT"), SD-CWT ones either form. A credential whose `iss` is a DID
 * (SD-JWT VC §3.5) has its list checked against that DID's assertion keys instead, through the shared DID resolver
 * (a did:web on localhost over plain HTTP only when the credential came from a loopback http issuer).
 */
import { E2eidError, SD_JWT_VC_FORMAT, createStatusClient, decodeJwtUnverified } from '@e2eid/shared'
import type { CryptoProvider, PublicJwk, StatusCheckResult, StatusClient, StatusKeyResolver, StatusListCompression } from '@e2eid/shared'
import { fetchIssuerKeys } from './formats/issuer-keys.js'
import { fetchDidIssuerKeys, isDid } from './formats/did-issuer-keys.js'
import type { StoredCredential } from './storage/schema.js'

/** The JWT status list token's `kid` when it names a DID verification method (a DID URL or `#fragment`). */
function didKidOf(token: { format: 'jwt'; token: string } | { format: 'cwt'; token: Uint8Array }): string | undefined {
  if (token.format !== 'jwt') return undefined
  let kid: unknown
  try {
    kid = decodeJwtUnverified(token.token).header.kid
  } catch {
    return undefined // the status client refuses a malformed token on its own
  }
  return typeof kid === 'string' && (kid.startsWith('did:') || kid.startsWith('#')) ? kid : undefined
}

/** True for an http:// issuer on localhost / 127.0.0.1 / [::1] (a loopback development issuer). */
function isLoopbackHttp(issuer: string): boolean {
  try {
    const u = new URL(issuer)
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
  } catch {
    return false
  }
}

/** Checks credential statuses; one instance caches lists by their `ttl`. */
export class CredentialStatusChecker {
  private readonly clients = new Map<string, StatusClient>()

  constructor(
    private readonly options: { provider: CryptoProvider; fetch: typeof fetch; now: () => number; compression?: StatusListCompression },
  ) {}

  private client(credential: StoredCredential, jwtOnly: boolean): StatusClient {
    const signer = isDid(credential.metadata.iss) ? credential.metadata.iss : credential.issuer
    const key = `${jwtOnly ? 'jwt' : 'any'} ${signer}`
    let c = this.clients.get(key)
    if (c === undefined) {
      const fetchFn = this.options.fetch
      const keyResolver: StatusKeyResolver = isDid(signer)
        ? (_uri, token) => fetchDidIssuerKeys(signer, didKidOf(token), { fetch: fetchFn, insecureLoopback: isLoopbackHttp(credential.issuer) })
        : (): Promise<PublicJwk[]> => fetchIssuerKeys(signer, fetchFn)
      c = createStatusClient({
        provider: this.options.provider,
        fetch: this.options.fetch,
        now: () => Math.floor(this.options.now() / 1000),
        keyResolver,
        ...(jwtOnly ? { formats: ['jwt'] as const } : {}),
        ...(this.options.compression === undefined ? {} : { compression: this.options.compression }),
      })
      this.clients.set(key, c)
    }
    return c
  }

  /** The credential's status; throws ERR_WALLET_NO_STATUS when it carries no status reference. */
  async status(credential: StoredCredential, refresh = false): Promise<StatusCheckResult> {
    if (credential.statusListUri === undefined || credential.statusIdx === undefined) {
      throw new E2eidError('ERR_WALLET_NO_STATUS', 'the credential has no status list reference')
    }
    return this.client(credential, credential.format === SD_JWT_VC_FORMAT).status(
      { uri: credential.statusListUri, idx: credential.statusIdx },
      refresh ? { refresh: true } : {},
    )
  }
}
