/**
 * @module status/publish-status-list
 * Serves `/status-lists/{id}`: the list signed by the authority's active key as a Status List Token
 * (draft-ietf-oauth-status-list §5 JWT / §6 CWT) with `ttl`. A token is re-signed whenever the list's
 * version changes, so a revocation shows in the next list fetched.
 */
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import { activeSigningKey } from '../keys/signing-keys.js'
import { statusListUri } from './status-list-uri.js'

/** A signed status list token and its media type. */
export interface PublishedStatusList {
  mediaType: string
  body: string | Uint8Array
}

/** A small cache of signed tokens keyed by list id, version and signing key; entries expire after `maxAge` s. */
export class StatusListCache {
  private readonly entries = new Map<string, { token: PublishedStatusList; signedAt: number }>()
  constructor(private readonly maxAge = 60) {}
  get(key: string, now: number): PublishedStatusList | undefined {
    const e = this.entries.get(key)
    return e !== undefined && now - e.signedAt < this.maxAge ? e.token : undefined
  }
  set(key: string, token: PublishedStatusList, now: number): void {
    if (this.entries.size > 1000) this.entries.clear()
    this.entries.set(key, { token, signedAt: now })
  }
}

/** Signs (or reuses) the status list token of list `id`; not_found for an unknown list. */
export async function publishStatusList(ctx: IssuerContext, id: string, cache?: StatusListCache): Promise<PublishedStatusList> {
  // The version alone decides a cache hit: read the list's data (up to 32 KB at 2 bits × 2^17) only to sign.
  const meta = id.length > 128 ? null : await ctx.repo.getStatusListMeta(id)
  if (meta === null) throw oauthError('not_found', 'no such status list', 'ERR_ISSUER_STATUS_LIST_NOT_FOUND')
  const adapter = ctx.statusTokens.get(meta.form)
  if (adapter === undefined) throw oauthError('not_found', `status list tokens of form ${meta.form} are not available`, 'ERR_ISSUER_STATUS_FORM_UNAVAILABLE')
  const key = await activeSigningKey(ctx)
  const now = ctx.now()
  const cached = cache?.get(`${meta.id}:${meta.version}:${key.kid}`, now)
  if (cached !== undefined) return cached
  const list = await ctx.repo.getStatusList(id)
  if (list === null) throw oauthError('not_found', 'no such status list', 'ERR_ISSUER_STATUS_LIST_NOT_FOUND')
  // Keyed by the version of the data actually signed (it may have moved on since the metadata read).
  const cacheKey = `${list.id}:${list.version}:${key.kid}`
  const body = await adapter.sign({
    uri: statusListUri(ctx, list.id),
    bits: list.bits,
    data: list.data,
    iat: now,
    exp: now + ctx.config.statusListTokenLifetime,
    ttl: ctx.config.statusListTtl,
    signingKey: key,
    crypto: ctx.crypto,
  })
  const token = { mediaType: adapter.mediaType, body }
  cache?.set(cacheKey, token, now)
  return token
}
