/**
 * @module context
 * What every issuer operation receives: storage, crypto, clock, configuration and the format
 * adapters. Built once by {@link createIssuerApp}; operations are plain functions of it.
 */
import type { CryptoProvider } from '@e2eid/shared'
import type { IssuerRepository } from './storage/repository.js'
import type { IssuerConfig } from './config/config.js'
import type { CredentialFormatAdapter, StatusListTokenAdapter } from './formats/types.js'
import type { SigningKeyCache } from './keys/signing-key-cache.js'

export interface IssuerContext {
  repo: IssuerRepository
  crypto: CryptoProvider
  /** Current time in whole UNIX seconds (injectable). */
  now: () => number
  config: IssuerConfig
  /** Credential Issuer Identifier, no trailing slash (also the AS issuer: the issuer is its own AS). */
  issuerUrl: string
  /** Adapters by OpenID4VCI format identifier. */
  formats: ReadonlyMap<string, CredentialFormatAdapter>
  /** Status list token signers by form. */
  statusTokens: ReadonlyMap<'cwt' | 'jwt', StatusListTokenAdapter>
  /** Parsed signing keys, cached per context (see keys/signing-key-cache: 5 s TTL for multi-instance convergence). */
  signingKeys: SigningKeyCache
}

/** Absolute URL of an issuer path. */
export function issuerEndpoint(ctx: Pick<IssuerContext, 'issuerUrl'>, path: string): string {
  return `${ctx.issuerUrl}${path}`
}
