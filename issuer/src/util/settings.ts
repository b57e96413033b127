/**
 * @module util/settings
 * Secrets the issuer generates on first start and keeps in the repository's settings table.
 */
import { base64urlDecode } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { randomSecret } from './secrets.js'

/** Returns the setting `key`, creating it with 32 random bytes (base64url) the first time. */
export async function ensureSecretSetting(ctx: Pick<IssuerContext, 'repo' | 'crypto'>, key: string): Promise<string> {
  const existing = await ctx.repo.getSetting(key)
  if (existing !== null) return existing
  await ctx.repo.setSetting(key, randomSecret(ctx.crypto))
  // Re-read: with several instances starting at once, the stored value wins.
  return (await ctx.repo.getSetting(key)) as string
}

/** The key from which pre-authorized codes are derived (HMAC of the offer id). */
export async function offerCodeKey(ctx: Pick<IssuerContext, 'repo' | 'crypto'>): Promise<Uint8Array> {
  return base64urlDecode(await ensureSecretSetting(ctx, 'offer_code_key'))
}
