/**
 * @module status-list/verify-token
 * One entry point for both Status List Token forms: a string is the JWT form, bytes the CWT form.
 */
import type { FetchedStatusListToken } from './fetch.js'
import type { VerifyStatusListCwtOptions } from './token-cwt.js'
import { verifyStatusListCwt } from './token-cwt.js'
import type { VerifiedStatusListToken } from './token-jwt.js'
import { verifyStatusListJwt } from './token-jwt.js'

/** Verifies a Status List Token of either form (a compact JWT string, or CWT bytes, or a fetched token). */
export async function verifyStatusListToken(token: string | Uint8Array | FetchedStatusListToken, options: VerifyStatusListCwtOptions): Promise<VerifiedStatusListToken> {
  const t = typeof token === 'string' || token instanceof Uint8Array ? token : token.token
  return typeof t === 'string' ? verifyStatusListJwt(t, options) : verifyStatusListCwt(t, options)
}
