/**
 * @module storage/rows
 * Row ↔ record mapping shared by both backends. Both schemas use the same snake_case
 * column names; PostgreSQL returns BIGINT as strings and BYTEA as Buffer, SQLite returns
 * numbers and Buffer, so every value goes through `num`/`bytes`.
 */
import { E2eidError } from '@e2eid/shared'
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  CredentialFormatId,
  IntegrityReport,
  IssuedCredentialRecord,
  NotificationRecord,
  OfferRecord,
  PushedAuthorizationRequestRecord,
  RepositoryOptions,
  SigningKeyRecord,
  StatusListForm,
  StatusListRecord,
  UserRecord,
} from './repository.js'
import type { LoginFailureRow } from './rules.js'
import { DEFAULT_STATUS_LIST_BITS, DEFAULT_STATUS_LIST_SIZE } from './repository.js'
import type { StatusBits } from './status-bits.js'
import { countAllocated, getStatusValue, isAllocated } from './status-bits.js'
import { ALLOC_PAGE_BYTES, allocPageEntries, bitmapFromPages, freeCounts } from './alloc-pages.js'

/** A database row: column name → value. */
export type Row = Record<string, unknown>

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v)
}
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v)
}
function str(v: unknown): string {
  return String(v)
}
function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v)
}
/** A fresh Uint8Array copy (never a Buffer view into a pooled buffer). */
export function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return Uint8Array.from(v)
  throw new E2eidError('ERR_STORAGE_CORRUPT', 'expected a binary column')
}
function json<T>(v: unknown): T {
  return JSON.parse(String(v)) as T
}

/** A login_failures row (rules.ts decideLoginAttempt). */
export function toLoginFailure(r: Row): LoginFailureRow {
  return { failures: Number(r.failures), lockedUntil: Number(r.locked_until), expiresAt: Number(r.expires_at) }
}

export function toUser(r: Row): UserRecord {
  return { id: str(r.id), claims: json(r.claims), passwordHash: strOrNull(r.password_hash), createdAt: num(r.created_at) }
}

export function toOffer(r: Row): OfferRecord {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    credentialConfigurationIds: json(r.credential_configuration_ids),
    preAuthorizedCodeHash: strOrNull(r.pre_authorized_code_hash),
    txCodeHash: strOrNull(r.tx_code_hash),
    txCodeFailures: num(r.tx_code_failures),
    issuerState: strOrNull(r.issuer_state),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    usedAt: numOrNull(r.used_at),
  }
}

export function toPar(r: Row): PushedAuthorizationRequestRecord {
  return {
    requestUriHash: str(r.request_uri_hash),
    clientId: str(r.client_id),
    params: json(r.params),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  }
}

export function toAuthorizationCode(r: Row): AuthorizationCodeRecord {
  return {
    codeHash: str(r.code_hash),
    userId: str(r.user_id),
    clientId: str(r.client_id),
    redirectUri: str(r.redirect_uri),
    codeChallenge: str(r.code_challenge),
    credentialConfigurationIds: json(r.credential_configuration_ids),
    dpopJkt: strOrNull(r.dpop_jkt),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  }
}

export function toAccessToken(r: Row): AccessTokenRecord {
  return {
    tokenHash: str(r.token_hash),
    userId: str(r.user_id),
    clientId: strOrNull(r.client_id),
    credentialConfigurationIds: json(r.credential_configuration_ids),
    dpopJkt: strOrNull(r.dpop_jkt),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  }
}

export function toCredential(r: Row): IssuedCredentialRecord {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    format: str(r.format) as CredentialFormatId,
    credentialConfigurationId: str(r.credential_configuration_id),
    holderKeyThumbprint: str(r.holder_key_thumbprint),
    statusListId: str(r.status_list_id),
    statusIdx: num(r.status_idx),
    status: num(r.status),
    issuedAt: num(r.issued_at),
    expiresAt: num(r.expires_at),
  }
}

export function toStatusListMeta(r: Row): Omit<StatusListRecord, 'data'> {
  return {
    id: str(r.id),
    form: str(r.form) as StatusListForm,
    bits: num(r.bits) as StatusListRecord['bits'],
    size: num(r.size),
    allocated: num(r.allocated),
    version: num(r.version),
    updatedAt: num(r.updated_at),
  }
}

export function toStatusList(r: Row): StatusListRecord {
  return { ...toStatusListMeta(r), data: bytes(r.data) }
}

export function toSigningKey(r: Row): SigningKeyRecord {
  const compromisedSince = numOrNull(r.compromised_since)
  return {
    kid: str(r.kid),
    alg: str(r.alg),
    privateJwk: str(r.private_jwk),
    publicJwk: str(r.public_jwk),
    createdAt: num(r.created_at),
    retiredAt: numOrNull(r.retired_at),
    ...(compromisedSince === null ? {} : { compromisedSince }),
  }
}

export function toNotification(r: Row): NotificationRecord {
  return {
    notificationId: str(r.notification_id),
    credentialId: str(r.credential_id),
    event: strOrNull(r.event),
    description: strOrNull(r.description),
    receivedAt: numOrNull(r.received_at),
  }
}

/**
 * The status-list reads both backends run, in SQL both dialects take; a backend appends its WHERE (with its own
 * placeholder) or ORDER BY. The allocation count lives in the list's allocator row (schema migration 2).
 */
export const STATUS_LIST_SQL = {
  /** A list's metadata with its allocation count. */
  meta: 'SELECT l.id, l.form, l.bits, l.size, a.allocated, l.version, l.updated_at FROM status_lists l JOIN status_list_allocators a ON a.list_id = l.id',
  /** A whole list (with its status bits) and its allocation count. */
  full: 'SELECT l.*, a.allocated FROM status_lists l JOIN status_list_allocators a ON a.list_id = l.id',
  /** Every list with its allocator's count and free-count table (null when the allocator row is missing): {@link integrityOf}. */
  integrityLists: 'SELECT l.*, a.allocated, a.free_by_page FROM status_lists l LEFT JOIN status_list_allocators a ON a.list_id = l.id',
  /** Every allocation page: {@link integrityOf}. */
  integrityPages: 'SELECT list_id, page, bits FROM status_list_alloc_pages',
} as const

/** Validated list geometry from the factory options. */
export interface ListGeometry {
  size: number
  bits: StatusBits
  randomInt: ((n: number) => number) | undefined
}

export function listGeometry(options: RepositoryOptions = {}): ListGeometry {
  const size = options.statusListSize ?? DEFAULT_STATUS_LIST_SIZE
  const bits = options.statusListBits ?? DEFAULT_STATUS_LIST_BITS
  if (!Number.isSafeInteger(size) || size <= 0 || size % 8 !== 0 || size > 2 ** 24) {
    throw new E2eidError('ERR_STORAGE_OPTIONS', 'statusListSize must be a positive multiple of 8, at most 2^24')
  }
  if (![1, 2, 4, 8].includes(bits)) throw new E2eidError('ERR_STORAGE_OPTIONS', 'statusListBits must be 1, 2, 4 or 8')
  return { size, bits: bits as StatusBits, randomInt: options.randomInt }
}

/**
 * Checks stored lists, their allocators and allocation pages, and credentials against each other; both backends
 * feed it their rows (`lists`: each list's row with its allocator's `allocated` and `free_by_page`, null when the
 * allocator row is missing; `pages`: every allocation page row).
 */
export function integrityOf(lists: Row[], credentials: Row[], pages: Row[], retired: Row[] = []): IntegrityReport {
  const problems: string[] = []
  const pagesOf = new Map<string, [number, Uint8Array][]>()
  for (const r of pages) {
    const id = str(r.list_id)
    let l = pagesOf.get(id)
    if (l === undefined) pagesOf.set(id, (l = []))
    l.push([num(r.page), bytes(r.bits)])
  }
  const byList = new Map<string, { meta: Omit<StatusListRecord, 'data'>; data: Uint8Array; alloc: Uint8Array; seen: Set<number> }>()
  for (const r of lists) {
    if (r.allocated === null || r.allocated === undefined || r.free_by_page === null || r.free_by_page === undefined) {
      problems.push(`list ${str(r.id)}: no allocator row`)
      continue
    }
    const meta = toStatusListMeta(r)
    let alloc: Uint8Array
    try {
      alloc = bitmapFromPages(meta.size, pagesOf.get(meta.id) ?? [])
      const stored = freeCounts(bytes(r.free_by_page), meta.size)
      stored.forEach((free, p) => {
        const used = countAllocated(alloc.subarray(p * ALLOC_PAGE_BYTES, (p + 1) * ALLOC_PAGE_BYTES))
        if (used + free !== allocPageEntries(meta.size, p)) problems.push(`list ${meta.id} page ${p}: ${used} allocated, free count says ${free} free`)
      })
    } catch (e) {
      problems.push(`list ${meta.id}: ${(e as Error).message}`)
      continue
    }
    pagesOf.delete(meta.id)
    if (countAllocated(alloc) !== meta.allocated) problems.push(`list ${meta.id}: bitmap has ${countAllocated(alloc)} set, allocated says ${meta.allocated}`)
    byList.set(meta.id, { meta, data: bytes(r.data), alloc, seen: new Set() })
  }
  for (const id of pagesOf.keys()) problems.push(`allocation pages of unknown list ${id}`)
  for (const r of credentials) {
    const c = toCredential(r)
    const l = byList.get(c.statusListId)
    if (!l) {
      problems.push(`credential ${c.id}: unknown list ${c.statusListId}`)
      continue
    }
    if (l.seen.has(c.statusIdx)) problems.push(`list ${c.statusListId} index ${c.statusIdx} used twice`)
    l.seen.add(c.statusIdx)
    if (!isAllocated(l.alloc, c.statusIdx)) problems.push(`credential ${c.id}: index ${c.statusIdx} not marked allocated`)
    const bit = getStatusValue(l.data, l.meta.bits, c.statusIdx)
    if (bit !== c.status) problems.push(`credential ${c.id}: record status ${c.status}, list says ${bit}`)
  }
  // Entries of removed users' credentials (IssuerRepository.removeUser): still allocated, bits as they were left.
  for (const r of retired) {
    const listId = str(r.list_id)
    const idx = num(r.status_idx)
    const l = byList.get(listId)
    if (!l) {
      problems.push(`retired entry ${listId}#${idx}: unknown list`)
      continue
    }
    if (l.seen.has(idx)) problems.push(`list ${listId} index ${idx} used twice`)
    l.seen.add(idx)
    if (!isAllocated(l.alloc, idx)) problems.push(`retired entry ${listId}#${idx}: not marked allocated`)
    const bit = getStatusValue(l.data, l.meta.bits, idx)
    if (bit !== num(r.status)) problems.push(`retired entry ${listId}#${idx}: recorded status ${num(r.status)}, list says ${bit}`)
  }
  for (const l of byList.values()) {
    if (l.seen.size !== l.meta.allocated) problems.push(`list ${l.meta.id}: ${l.meta.allocated} allocated, ${l.seen.size} credentials`)
  }
  return { credentials: credentials.length, statusLists: lists.length, problems }
}
