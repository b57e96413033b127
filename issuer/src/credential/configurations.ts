/**
 * @module credential/configurations
 * Configurations that can actually be issued: configured AND backed by a registered format adapter.
 * Only these are published in the metadata and accepted in requests.
 */
import type { IssuerContext } from '../context.js'
import type { CredentialConfiguration } from '../config/config.js'
import type { CredentialFormatAdapter } from '../formats/types.js'

/** The configuration and its adapter, or undefined when unknown or its format is not available. */
export function availableConfiguration(
  ctx: IssuerContext,
  id: string,
): { configuration: CredentialConfiguration; adapter: CredentialFormatAdapter } | undefined {
  if (!Object.hasOwn(ctx.config.credentialConfigurations, id)) return undefined
  const configuration = ctx.config.credentialConfigurations[id]!
  const adapter = ctx.formats.get(configuration.format)
  return adapter === undefined ? undefined : { configuration, adapter }
}

/** Ids of all issuable configurations. */
export function availableConfigurationIds(ctx: IssuerContext): string[] {
  return Object.keys(ctx.config.credentialConfigurations).filter((id) => availableConfiguration(ctx, id) !== undefined)
}
