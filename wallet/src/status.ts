/**
 * @module status
 * Current status of a stored credential from its Token Status List (draft-ietf-oauth-status-list-20),
 * through the shared status client: the list token must be signed by a key of the credential's
 * issuer (its JWT VC Issuer Metadata); SD-JWT VC credentials accept only JWT status lists
 * (SD-JWT VC: "the Status List Token MUST be a JWT"), SD-CWT ones either form.
 */
import { E2eidError, createStatusClient } from '@e2eid/shared'
import type { CryptoProvider, StatusCheckResult, StatusClient, StatusListCompression } from '@e2eid/shared'
import { fetchIssuerKeys } from './formats/issuer-keys.js'
import type { StoredCredential } from './storage/schema.js'

/** Checks credential statuses; one instance caches lists by their `ttl`. */
export class CredentialStatusChecker {
  private readonly clients = new Map<string, StatusClient>()

  constructor(
    private readonly options: { provider: CryptoProvider; fetch: typeof fetch; now: () => number; compression?: StatusListCompression },
  ) {}

  private client(issuer: string, jwtOnly: boolean): StatusClient {
    const key = `${jwtOnly ? 'jwt' : 'any'} ${issuer}`
    let c = this.clients.get(key)
    if (c === undefined) {
      c = createStatusClient({
        provider: this.options.provider,
        fetch: this.options.fetch,
        now: () => Math.floor(this.options.now() / 1000),
        keyResolver: () => fetchIssuerKeys(issuer, this.options.fetch),
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
    return this.client(credential.issuer, credential.format === 'dc+sd-jwt').status(
      { uri: credential.statusListUri, idx: credential.statusIdx },
      refresh ? { refresh: true } : {},
    )
  }
}
