/**
 * @module formats/default
 * The format handlers a wallet uses unless told otherwise.
 */
import type { CryptoProvider } from '@e2eid/shared'
import { createSdCwtHandler } from './sd-cwt.js'
import { createSdJwtVcHandler } from './sd-jwt-vc.js'
import type { CredentialFormatHandler } from './types.js'

/** SD-JWT VC and SD-CWT handlers. */
export function defaultFormatHandlers(options: { provider?: CryptoProvider } = {}): CredentialFormatHandler[] {
  return [createSdCwtHandler(options), createSdJwtVcHandler(options)]
}
