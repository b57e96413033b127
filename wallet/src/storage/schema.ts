/**
 * @module storage/schema
 * The wallet's IndexedDB schema through Dexie. Browser-safe: no Node imports. In Node
 * (tests, CLI) pass `fake-indexeddb`'s `IDBFactory`/`IDBKeyRange` through {@link WalletDbOptions}.
 *
 * Versions (Dexie keeps every declared version so an old database upgrades step by step):
 * - v1: credentials (with `receivedAt` as an ISO string and `status` as the raw claim), keys,
 *   issuerMetadata, presentations, meta.
 * - v2: credentials get `receivedAt` as Unix milliseconds and a flattened, indexed
 *   `statusListUri`/`statusIdx` (so a status-list refresh finds every credential on one list);
 *   presentations get an index on `aud`. The upgrade function converts v1 rows.
 */
import { Dexie } from 'dexie'
import type { Table } from 'dexie'

/** Credential formats the wallet stores. The SD-CWT id is the project's private OpenID4VCI format id. */
type CredentialFormat = string

/** A private key wrapped (AES-GCM) by the wallet's non-extractable wrapping key. */
export interface WrappedPrivateKey {
  /** AES-GCM IV, 12 random bytes. */
  iv: Uint8Array
  /** AES-GCM ciphertext + tag of the UTF-8 JSON private JWK. AAD = the key id. */
  ciphertext: Uint8Array
}

/** A holder signature key pair (one per credential; also the MLS signature key). */
export interface StoredKey {
  id: string
  /** JOSE algorithm: `EdDSA` (Ed25519, default) or `ES256` (P-256). */
  alg: 'EdDSA' | 'ES256'
  /** Public JWK (no private members). */
  publicJwk: Record<string, string>
  wrapped: WrappedPrivateKey
  createdAt: number
}

/** The status reference of a credential (Token Status List `status.status_list`). */
export interface StatusReference {
  uri: string
  idx: number
}

/** A received and checked credential, schema v2 (current). */
export interface StoredCredential {
  id: string
  format: CredentialFormat
  /** The credential exactly as the issuer sent it (SD-JWT compact string; SD-CWT base64url of the CBOR). */
  raw: string
  /** Credential Issuer Identifier it came from. */
  issuer: string
  credentialConfigurationId: string
  /** Id of the {@link StoredKey} bound in `cnf`. */
  keyId: string
  /** Every claim with all disclosures applied, JSON-friendly (CBOR labels as strings, bytes as hex). For display. */
  claims: Record<string, unknown>
  /** Selectively disclosable claim paths (JSON arrays of keys/indices), for the presentation preview. */
  disclosablePaths: Array<Array<string | number>>
  statusListUri?: string
  statusIdx?: number
  metadata: CredentialMetadata
  /** Unix milliseconds. */
  receivedAt: number
}

/** Non-claim facts about a credential. */
export interface CredentialMetadata {
  vct?: string
  /**
   * The credential's own `iss` claim. Equal to the row's `issuer` (the Credential Issuer it came from) unless the
   * issuer signs as a DID (SD-JWT VC §3.5); then both are kept and shown.
   */
  iss?: string
  issuedAt?: number
  expiresAt?: number
  notificationId?: string
  /** Display data from the issuer's credential configuration (`credential_metadata.display`). */
  display?: unknown
}

/** Cached Credential Issuer (and AS) metadata. */
export interface StoredIssuerMetadata {
  issuer: string
  credentialIssuer: unknown
  authorizationServers: unknown[]
  fetchedAt: number
}

/** One presentation the wallet made. */
export interface StoredPresentation {
  seq?: number
  credentialId: string
  format: CredentialFormat
  aud: string
  nonce?: string
  /** The claim paths that were disclosed. */
  disclosed: Array<Array<string | number>>
  /** The presentation sent (hex for SD-CWT, compact text for SD-JWT). */
  presentation: string
  createdAt: number
}

/** Small key-value store (e.g. the browser's wrapping CryptoKey). */
export interface MetaRow {
  name: string
  value: unknown
}

/** Schema v1 credential row: kept only for the upgrade path and its test. */
export interface StoredCredentialV1 {
  id: string
  format: CredentialFormat
  raw: string
  issuer: string
  credentialConfigurationId: string
  keyId: string
  claims: Record<string, unknown>
  disclosablePaths: Array<Array<string | number>>
  /** The raw `status` claim, e.g. `{ status_list: { idx, uri } }`. */
  status?: unknown
  metadata: CredentialMetadata
  /** ISO 8601 string. */
  receivedAt: string
}

/** Store definitions per version (Dexie syntax: primary key first, then indexes). */
export const SCHEMA_V1 = {
  credentials: 'id, format, issuer, receivedAt',
  keys: 'id',
  issuerMetadata: 'issuer',
  presentations: '++seq, credentialId, createdAt',
  meta: 'name',
} as const

export const SCHEMA_V2 = {
  credentials: 'id, format, issuer, receivedAt, statusListUri',
  keys: 'id',
  issuerMetadata: 'issuer',
  presentations: '++seq, credentialId, createdAt, aud',
  meta: 'name',
} as const

/** Current schema version. */
export const WALLET_DB_VERSION = 2

/** Options for {@link WalletDb}. */
export interface WalletDbOptions {
  /** An IndexedDB factory (browsers: omit; Node: `new IDBFactory()` from fake-indexeddb). */
  indexedDB?: IDBFactory
  IDBKeyRange?: typeof IDBKeyRange
  /** Declare only up to this version (tests of the upgrade path). Default: {@link WALLET_DB_VERSION}. */
  version?: 1 | 2
}

/** Extracts `{uri, idx}` from a Token Status List `status` claim, or undefined. */
export function statusReferenceOf(status: unknown): StatusReference | undefined {
  if (typeof status !== 'object' || status === null) return undefined
  const list = (status as Record<string, unknown>).status_list
  if (typeof list !== 'object' || list === null) return undefined
  const { uri, idx } = list as Record<string, unknown>
  if (typeof uri !== 'string' || typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) return undefined
  return { uri, idx }
}

/** Converts a v1 credential row into a v2 row (the v1 → v2 upgrade function, exported for tests). */
export function upgradeCredentialV1(row: StoredCredentialV1): StoredCredential {
  const { status, receivedAt, ...rest } = row
  const ms = Date.parse(receivedAt)
  const out: StoredCredential = { ...rest, receivedAt: Number.isFinite(ms) ? ms : 0 }
  const ref = statusReferenceOf(status)
  if (ref !== undefined) {
    out.statusListUri = ref.uri
    out.statusIdx = ref.idx
  }
  return out
}

/** The wallet database. */
export class WalletDb extends Dexie {
  credentials!: Table<StoredCredential, string>
  keys!: Table<StoredKey, string>
  issuerMetadata!: Table<StoredIssuerMetadata, string>
  presentations!: Table<StoredPresentation, number>
  meta!: Table<MetaRow, string>

  constructor(name = 'e2eid-wallet', options: WalletDbOptions = {}) {
    super(name, {
      ...(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB }),
      ...(options.IDBKeyRange === undefined ? {} : { IDBKeyRange: options.IDBKeyRange }),
    })
    this.version(1).stores(SCHEMA_V1)
    if ((options.version ?? WALLET_DB_VERSION) >= 2) {
      this.version(2)
        .stores(SCHEMA_V2)
        .upgrade(async (tx) => {
          await tx
            .table('credentials')
            .toCollection()
            .modify((row: Record<string, unknown>, ref: { value: unknown }) => {
              ref.value = upgradeCredentialV1(row as unknown as StoredCredentialV1)
            })
        })
    }
  }
}
