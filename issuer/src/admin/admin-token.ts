/**
 * @module admin/admin-token
 * The bearer token of the admin API. Only its SHA-256 is stored (setting `admin_token_sha256`);
 * requests are compared in constant time.
 */
import type { CryptoProvider } from '@e2eid/shared'
import { E2eidError, base64urlDecode, bytesEqual, utf8Encode } from '@e2eid/shared'
import type { IssuerRepository } from '../storage/repository.js'
import { hashSecret, randomSecret } from '../util/secrets.js'

export const ADMIN_TOKEN_SETTING = 'admin_token_sha256'

/** Minimum length of a chosen admin token (issue 14): 32 bytes, as many as a generated one has random bytes. */
export const MIN_ADMIN_TOKEN_BYTES = 32

/** Throws ERR_ISSUER_ADMIN_TOKEN_WEAK unless `token` has at least {@link MIN_ADMIN_TOKEN_BYTES} bytes (UTF-8) and no whitespace. */
export function assertAdminTokenStrength(token: string): void {
  if (utf8Encode(token).length < MIN_ADMIN_TOKEN_BYTES || /\s/.test(token)) {
    throw new E2eidError(
      'ERR_ISSUER_ADMIN_TOKEN_WEAK',
      `the admin token (E2EID_ADMIN_TOKEN) must be at least ${MIN_ADMIN_TOKEN_BYTES} bytes without whitespace, e.g. the output of: openssl rand -hex 32`,
    )
  }
}

/** Sets the admin token (its hash); returns the token. A new random one when `token` is undefined; a given one must pass {@link assertAdminTokenStrength}. */
export async function setAdminToken(repo: IssuerRepository, crypto: CryptoProvider, token?: string): Promise<string> {
  if (token !== undefined) assertAdminTokenStrength(token)
  const t = token ?? randomSecret(crypto)
  await repo.setSetting(ADMIN_TOKEN_SETTING, hashSecret(crypto, t))
  return t
}

/** True when `presented` is the admin token (constant time over the hashes). */
export async function checkAdminToken(repo: IssuerRepository, crypto: CryptoProvider, presented: string): Promise<boolean> {
  const stored = await repo.getSetting(ADMIN_TOKEN_SETTING)
  if (stored === null) return false
  const a = base64urlDecode(hashSecret(crypto, presented))
  let b: Uint8Array
  try {
    b = base64urlDecode(stored)
  } catch {
    return false
  }
  return bytesEqual(a, b) && utf8Encode(presented).length > 0
}
