/**
 * @module formats/default
 * The format handlers a wallet uses unless told otherwise.
 */
import type { CryptoProvider } from '@e2eid/shared'
import { createSdJwtVcHandler } from './sd-jwt-vc.js'
import type { CredentialFormatHandler } from './types.js'

/** SD-JWT VC and SD-CWT handlers. */
export function defaultFormatHandlers(options: { provider?: CryptoProvider } = {}): CredentialFormatHandler[] {
  return [createSdJwtVcHandler(options)]
}
