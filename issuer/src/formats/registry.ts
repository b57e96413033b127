/**
 * @module formats/registry
 * The format adapters and status list token signers the issuer uses by default: only real encoders
 * from @e2eid/shared are registered (a configuration whose format has no adapter is not offered).
 */
import { nodeCompression } from '@e2eid/shared/node'
import type { CredentialFormatAdapter, StatusListTokenAdapter } from './types.js'
import { createSdJwtVcAdapter } from './sd-jwt-vc.js'
import { createSdCwtAdapter } from './sd-cwt.js'
import { createStatusListCwtAdapter, createStatusListJwtAdapter } from './status-list-tokens.js'

/** The default credential format adapters. */
export function defaultFormatAdapters(): CredentialFormatAdapter[] {
  return [createSdCwtAdapter(), createSdJwtVcAdapter()]
}

/** The default status list token signers (node:zlib compression). */
export function defaultStatusListTokenAdapters(): StatusListTokenAdapter[] {
  return [createStatusListJwtAdapter(nodeCompression), createStatusListCwtAdapter(nodeCompression)]
}
