/**
 * @module commands/wallet-status-guard
 * The CLI wallet looks at a credential's status (its issuer's Token Status List, draft-ietf-oauth-status-
 * list §7.1) before presenting it or building a KeyPackage from it, and refuses a revoked (INVALID) or suspended
 * one unless `--allow-revoked`: the verifier would refuse it anyway, and presenting it still discloses claims.
 * A credential without a status reference, or whose list cannot be fetched now, is not refused (nothing says it
 * is revoked); the latter gets a warning on stderr. `wallet status` words the values as the issuer does.
 */
import { E2eidError, isE2eidError } from '@e2eid/shared'
import type { Wallet } from '@e2eid/wallet'

/** The issuer's word for a status value (its admin API and `e2eid issuer revoke|suspend|reinstate`). */
export function statusWord(value: number): 'valid' | 'revoked' | 'suspended' | `status ${number}` {
  if (value === 0) return 'valid'
  if (value === 1) return 'revoked'
  if (value === 2) return 'suspended'
  return `status ${value}`
}

/**
 * Throws ERR_WALLET_CREDENTIAL_REVOKED / ERR_WALLET_CREDENTIAL_SUSPENDED / ERR_WALLET_CREDENTIAL_NOT_VALID for a
 * credential whose current status is not VALID, unless `allow`. `warn` gets a line when the status is unknown.
 */
export async function assertNotRevoked(wallet: Wallet, id: string, allow: boolean, warn: (line: string) => void): Promise<void> {
  const c = await wallet.get(id)
  if (c.statusListUri === undefined || c.statusIdx === undefined) return
  let value: number
  try {
    value = (await wallet.status(id)).status
  } catch (e) {
    warn(`e2eid wallet: warning: the status of credential ${id} could not be checked (${isE2eidError(e) ? e.code : 'error'}); going on`)
    return
  }
  if (value === 0) return
  const word = statusWord(value)
  if (allow) {
    warn(`e2eid wallet: warning: credential ${id} is ${word} by its issuer; used anyway (--allow-revoked)`)
    return
  }
  const code = value === 1 ? 'ERR_WALLET_CREDENTIAL_REVOKED' : value === 2 ? 'ERR_WALLET_CREDENTIAL_SUSPENDED' : 'ERR_WALLET_CREDENTIAL_NOT_VALID'
  throw new E2eidError(code, `credential ${id} is ${word} by its issuer: not used (--allow-revoked uses it anyway)`)
}
