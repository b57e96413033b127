/**
 * @module wallet
 * The holder wallet: storage (Dexie), holder keys, OpenID4VCI receipt, presentations with a
 * preview of what will be disclosed, and the presentation history. Browser-safe; the Node CLI
 * adds file persistence through `@e2eid/wallet/node`.
 */
import { E2eidError, createWebCryptoProvider, parsePublicJwk } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk } from '@e2eid/shared'
import type { ClaimPath, ClaimPathInput, CredentialFormatHandler, HolderSigner, PresentationPreview } from './formats/types.js'
import type { HolderKeyAlgorithm, WrappingKeySource } from './keys/keystore.js'
import { KeyStore, indexedDbWrappingKey } from './keys/keystore.js'
import type { ReceiveOptions } from './oid4vci/receive.js'
import { receiveCredentialOffer } from './oid4vci/receive.js'
import { addTrustedIssuers, listTrustedIssuers, removeTrustedIssuer } from './oid4vci/issuer-trust.js'
import type { DcqlMatch } from './present/dcql.js'
import { matchDcql } from './present/dcql.js'
import type { StoredCredential, StoredPresentation, WalletDbOptions } from './storage/schema.js'
import { WalletDb } from './storage/schema.js'
import { CredentialStatusChecker } from './status.js'
import type { StatusCheckResult } from '@e2eid/shared'

/** Options of {@link Wallet}. */
export interface WalletOptions {
  /** An open or unopened database (default: `new WalletDb(name, dbOptions)`). */
  db?: WalletDb
  /** Database name (default `e2eid-wallet`). */
  name?: string
  dbOptions?: WalletDbOptions
  /** Crypto (default: WebCrypto + noble). */
  provider?: CryptoProvider
  /** Wrapping key (default: a non-extractable CryptoKey stored in IndexedDB). */
  wrappingKey?: WrappingKeySource
  /** HTTP (default: global fetch). */
  fetch?: typeof fetch
  /** Clock in Unix milliseconds (default Date.now). */
  now?: () => number
  /** Format handlers (SD-CWT, SD-JWT VC). */
  handlers: readonly CredentialFormatHandler[]
  /**
   * Configured trusted Credential Issuer Identifiers (exact), e.g. from a deployment's settings; the wallet
   * also keeps a persisted list ({@link Wallet.trustIssuer}). Secrets go only to trusted issuers.
   */
  trustedIssuers?: readonly string[]
}

/** What to present: claim paths, or a DCQL query; always an audience; a nonce when the verifier gave one. */
export interface PresentOptions {
  /** Claim paths to disclose (strings like `address.country` or arrays). Ignored when `dcql` is given. */
  paths?: ReadonlyArray<string | ClaimPath>
  /** A DCQL query; the wallet picks the claims (and, without `credentialId`, the credential). */
  dcql?: unknown
  aud: string
  nonce?: string
}

/** A presentation ready to send. */
export interface Presentation extends PresentationPreview {
  credentialId: string
  format: string
  /** Hex of the KBT for SD-CWT; compact SD-JWT+KB text for SD-JWT VC. */
  presentation: string
}

/** The holder wallet. */
export class Wallet {
  readonly db: WalletDb
  readonly keys: KeyStore
  readonly provider: CryptoProvider
  private readonly fetchFn: typeof fetch
  private readonly now: () => number
  private readonly handlers: readonly CredentialFormatHandler[]
  private readonly statusChecker: CredentialStatusChecker
  private readonly configuredIssuers: readonly string[]

  constructor(options: WalletOptions) {
    this.db = options.db ?? new WalletDb(options.name, options.dbOptions)
    this.provider = options.provider ?? createWebCryptoProvider()
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.now = options.now ?? Date.now
    this.handlers = options.handlers
    this.configuredIssuers = [...(options.trustedIssuers ?? [])]
    this.statusChecker = new CredentialStatusChecker({ provider: this.provider, fetch: this.fetchFn, now: this.now })
    this.keys = new KeyStore({ db: this.db, provider: this.provider, wrappingKey: options.wrappingKey ?? indexedDbWrappingKey(this.db), now: this.now })
  }

  /**
   * Receives the credentials of an OpenID4VCI offer URI (by value or by reference), checks each
   * one (holder checks of its format) and stores it. Returns the stored credentials. Secrets go only
   * to a trusted issuer (configured, {@link trustIssuer}, or confirmed through `options.confirmIssuer`);
   * otherwise ERR_WALLET_ISSUER_UNTRUSTED.
   */
  async receive(offerUri: string, options: ReceiveOptions & { keyAlg?: HolderKeyAlgorithm } = {}): Promise<StoredCredential[]> {
    return receiveCredentialOffer(
      { db: this.db, keys: this.keys, provider: this.provider, fetch: this.fetchFn, now: this.now, handlers: this.handlers, trustedIssuers: this.configuredIssuers },
      offerUri,
      options,
    )
  }

  /** Trusts Credential Issuers (exact identifiers) from now on: persisted in the wallet's store. */
  async trustIssuer(...issuers: string[]): Promise<void> {
    await addTrustedIssuers(this.db, issuers)
  }

  /** Forgets a persisted trusted issuer (a configured one stays trusted). */
  async untrustIssuer(issuer: string): Promise<void> {
    await removeTrustedIssuer(this.db, issuer)
  }

  /** The trusted Credential Issuers: configured ones, then the persisted list. */
  async trustedIssuers(): Promise<string[]> {
    const persisted = await listTrustedIssuers(this.db)
    return [...this.configuredIssuers, ...persisted.filter((i) => !this.configuredIssuers.includes(i))]
  }

  /** All credentials, newest first. */
  async list(): Promise<StoredCredential[]> {
    return (await this.db.credentials.orderBy('receivedAt').reverse().toArray())
  }

  /** One credential; throws ERR_WALLET_CREDENTIAL_NOT_FOUND. */
  async get(id: string): Promise<StoredCredential> {
    const c = await this.db.credentials.get(id)
    if (c === undefined) throw new E2eidError('ERR_WALLET_CREDENTIAL_NOT_FOUND', `no credential with id ${id}`)
    return c
  }

  /**
   * The credential's current status from its Token Status List (`VALID`, `INVALID`, `SUSPENDED`…),
   * verified with the issuer's keys; cached per the list's `ttl` unless `refresh`.
   */
  async status(id: string, refresh = false): Promise<StatusCheckResult> {
    return this.statusChecker.status(await this.get(id), refresh)
  }

  /** Deletes a credential and its key. */
  async delete(id: string): Promise<void> {
    const c = await this.get(id)
    await this.db.transaction('rw', this.db.credentials, this.db.keys, async () => {
      await this.db.credentials.delete(id)
      await this.db.keys.delete(c.keyId)
    })
  }

  /** The presentations made so far, newest first. */
  async history(credentialId?: string): Promise<StoredPresentation[]> {
    const rows = credentialId === undefined
      ? await this.db.presentations.toArray()
      : await this.db.presentations.where('credentialId').equals(credentialId).toArray()
    return rows.sort((a, b) => b.createdAt - a.createdAt || (b.seq ?? 0) - (a.seq ?? 0))
  }

  /** Matches a DCQL query against the stored credentials (no signing). */
  async matchDcql(query: unknown): Promise<DcqlMatch[]> {
    return matchDcql(query, await this.list())
  }

  private handlerFor(format: string): CredentialFormatHandler {
    const h = this.handlers.find((x) => x.formats.includes(format))
    if (h === undefined) throw new E2eidError('ERR_WALLET_FORMAT_UNSUPPORTED', `credential format ${format} is not supported`)
    return h
  }

  private async resolve(credentialId: string | undefined, request: PresentOptions): Promise<{ credential: StoredCredential; paths: ClaimPathInput[] }> {
    if (request.dcql !== undefined) {
      const all = credentialId === undefined ? await this.list() : [await this.get(credentialId)]
      const matches = matchDcql(request.dcql, all)
      const m = matches[0]
      if (m === undefined) throw new E2eidError('ERR_WALLET_DCQL_UNSATISFIED', 'no credential in the wallet satisfies the request')
      if (matches.length > 1) throw new E2eidError('ERR_WALLET_DCQL_UNSUPPORTED', 'queries needing several credentials: present each match separately')
      return { credential: await this.get(m.credentialId), paths: m.paths }
    }
    if (credentialId === undefined) throw new E2eidError('ERR_WALLET_PATH_INVALID', 'a credential id is needed when no DCQL query is given')
    const paths = [...(request.paths ?? [])]
    for (const p of paths) if (p.length === 0) throw new E2eidError('ERR_WALLET_PATH_INVALID', 'empty claim path')
    // Text paths are parsed by the format's own claim path syntax (shared helpers).
    return { credential: await this.get(credentialId), paths }
  }

  /**
   * Shows exactly what a presentation would disclose, without signing anything: the disclosed
   * selectively-disclosable paths and the claims set the verifier will see.
   */
  async preview(credentialId: string | undefined, request: Omit<PresentOptions, 'aud' | 'nonce'>): Promise<PresentationPreview & { credentialId: string }> {
    const { credential, paths } = await this.resolve(credentialId, { ...request, aud: '' })
    return { credentialId: credential.id, ...this.handlerFor(credential.format).preview(credential.raw, paths) }
  }

  /**
   * Builds the smallest presentation satisfying the request (only the disclosures the requested
   * paths need), signs it with the credential's holder key, and records it in the history.
   */
  async present(credentialId: string | undefined, request: PresentOptions): Promise<Presentation> {
    if (typeof request.aud !== 'string' || request.aud === '') throw new E2eidError('ERR_WALLET_AUD_REQUIRED', 'a presentation needs an audience')
    const { credential, paths } = await this.resolve(credentialId, request)
    const handler = this.handlerFor(credential.format)
    const preview = handler.preview(credential.raw, paths)
    const signer = await this.signerFor(credential)
    const presentation = await handler.present(
      credential.raw,
      { paths, aud: request.aud, ...(request.nonce === undefined ? {} : { nonce: request.nonce }) },
      signer,
      this.now(),
      this.provider,
    )
    await this.db.presentations.add({
      credentialId: credential.id,
      format: credential.format,
      aud: request.aud,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      disclosed: preview.disclosed.map((p) => [...p]),
      presentation,
      createdAt: this.now(),
    })
    return { credentialId: credential.id, format: credential.format, presentation, ...preview }
  }

  /** The holder key of a credential as a signer (the private key stays wrapped until used). */
  async signerFor(credential: StoredCredential): Promise<HolderSigner> {
    const record = await this.keys.get(credential.keyId)
    return {
      alg: record.alg,
      publicJwk: parsePublicJwk(record.publicJwk),
      sign: (data) => this.keys.sign(record.id, data),
      withPrivateKey: <T>(use: (jwk: PrivateJwk) => Promise<T>) => this.keys.withPrivateKey(record, use),
    }
  }
}
