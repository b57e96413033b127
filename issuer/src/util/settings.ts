/**
 * @module util/settings
 * Secrets the issuer generates on first start and keeps in the repository's settings table.
 */
import { base64urlDecode } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { randomSecret } from './secrets.js'

/** Returns the setting `key`, creating it with 32 random bytes (base64url) the first time. */
async function ensureSecretSetting(ctx: Pick<IssuerContext, 'repo' | 'crypto'>, key: string): Promise<string> {
  const existing = await ctx.repo.getSetting(key)
  if (existing !== null) return existing
  // Insert-if-absent, never an overwriting upsert: when several requests or instances create it at once,
  // the first stored value is the one every caller gets (an overwrite would silently invalidate
  // everything already derived from an earlier value, e.g. pre-authorized codes already handed out).
  return ctx.repo.setSettingIfAbsent(key, randomSecret(ctx.crypto))
}

/** The key from which pre-authorized codes are derived (HMAC of the offer id). */
export async function offerCodeKey(ctx: Pick<IssuerContext, 'repo' | 'crypto'>): Promise<Uint8Array> {
  return base64urlDecode(await ensureSecretSetting(ctx, 'offer_code_key'))
}
