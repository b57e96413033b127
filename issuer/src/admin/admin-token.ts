/**
 * @module admin/admin-token
 * The bearer tokens of the admin API. Only their SHA-256 is stored, in settings:
 * - `admin_token_sha256`: the token chosen by the operator (E2EID_ADMIN_TOKEN, or {@link setAdminToken}); one per
 *   database, so starting an instance with another chosen token replaces it (that is how it is rotated);
 * - `admin_token_sha256:<hash>`: one per token that an instance generated into its token file. Several instances on
 *   one database (PostgreSQL) each add their own and accept all of them, so a second instance never invalidates the
 *   first one's token file. An instance never removes or replaces another's token.
 * Requests are checked by looking up the presented token's hash (a 256-bit random secret's hash, as for access
 * tokens) and by a constant-time comparison with the chosen token's hash.
 */
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs'
import type { CryptoProvider } from '@e2eid/shared'
import { E2eidError, base64urlDecode, bytesEqual, utf8Encode } from '@e2eid/shared'
import type { IssuerRepository } from '../storage/repository.js'
import { hashSecret, randomSecret } from '../util/secrets.js'

const ADMIN_TOKEN_SETTING = 'admin_token_sha256'
/** Prefix of the settings keys holding instance-generated admin token hashes (the key ends with the hash). */
const INSTANCE_ADMIN_TOKEN_PREFIX = 'admin_token_sha256:'

/** Minimum length of a chosen admin token: 32 bytes, as many as a generated one has random bytes. */
const MIN_ADMIN_TOKEN_BYTES = 32

/** Throws ERR_ISSUER_ADMIN_TOKEN_WEAK unless `token` has at least {@link MIN_ADMIN_TOKEN_BYTES} bytes (UTF-8) and no whitespace. */
export function assertAdminTokenStrength(token: string): void {
  if (utf8Encode(token).length < MIN_ADMIN_TOKEN_BYTES || /\s/.test(token)) {
    throw new E2eidError(
      'ERR_ISSUER_ADMIN_TOKEN_WEAK',
      `the admin token (E2EID_ADMIN_TOKEN) must be at least ${MIN_ADMIN_TOKEN_BYTES} bytes without whitespace, e.g. the output of: openssl rand -hex 32`,
    )
  }
}

/** Sets the chosen admin token of the database (its hash); returns the token. A new random one when `token` is undefined; a given one must pass {@link assertAdminTokenStrength}. */
export async function setAdminToken(repo: IssuerRepository, crypto: CryptoProvider, token?: string): Promise<string> {
  if (token !== undefined) assertAdminTokenStrength(token)
  const t = token ?? randomSecret(crypto)
  await repo.setSetting(ADMIN_TOKEN_SETTING, hashSecret(crypto, t))
  return t
}

/** Generates a token for one instance and adds its hash beside the others (never replacing one); returns the token. */
async function addInstanceAdminToken(repo: IssuerRepository, crypto: CryptoProvider): Promise<string> {
  const t = randomSecret(crypto)
  const h = hashSecret(crypto, t)
  await repo.setSetting(INSTANCE_ADMIN_TOKEN_PREFIX + h, h)
  return t
}

function sameHash(a: string, stored: string | null): boolean {
  if (stored === null) return false
  try {
    return bytesEqual(base64urlDecode(a), base64urlDecode(stored))
  } catch {
    return false
  }
}

/** True when `presented` is the chosen admin token or one an instance generated (constant time over the hashes). */
export async function checkAdminToken(repo: IssuerRepository, crypto: CryptoProvider, presented: string): Promise<boolean> {
  if (utf8Encode(presented).length === 0) return false
  const h = hashSecret(crypto, presented)
  if (sameHash(h, await repo.getSetting(INSTANCE_ADMIN_TOKEN_PREFIX + h))) return true
  return sameHash(h, await repo.getSetting(ADMIN_TOKEN_SETTING))
}

/**
 * The admin token at startup. `given` (E2EID_ADMIN_TOKEN) becomes the database's chosen token; returns null.
 * Otherwise the token in `tokenFile` is reused when the database accepts it; else a new one is generated, added
 * (other instances' tokens stay valid) and written to `tokenFile` (mode 0600); returns the file.
 */
export async function setUpAdminToken(repo: IssuerRepository, crypto: CryptoProvider, tokenFile: string, given: string | undefined): Promise<string | null> {
  if (given !== undefined) {
    await setAdminToken(repo, crypto, given)
    return null
  }
  const existing = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : null
  if (existing !== null && existing !== '' && (await checkAdminToken(repo, crypto, existing))) return tokenFile
  const token = await addInstanceAdminToken(repo, crypto)
  writeFileSync(tokenFile, token + '\n', { mode: 0o600 })
  chmodSync(tokenFile, 0o600)
  return tokenFile
}
