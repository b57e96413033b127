/** The config file: defaults, validation with a stable code, wallet origins normalised. */
import { describe, expect, it } from 'vitest'
import { isE2eidError } from '@e2eid/shared'
import { SD_CWT_FORMAT, SD_JWT_VC_FORMAT, resolveIssuerConfig } from './config.js'

describe('issuer config', () => {
  it('defaults: one SD-CWT and one SD-JWT VC configuration, DPoP required, bound nonces not required (OpenID4VCI §7)', () => {
    const c = resolveIssuerConfig()
    expect(Object.values(c.credentialConfigurations).map((x) => x.format).sort()).toEqual([SD_CWT_FORMAT, SD_JWT_VC_FORMAT].sort())
    expect(c.requireDpop).toBe(true)
    expect(c.requireBoundNonce).toBe(false)
    expect(c.maxTxCodeFailures).toBe(3)
  })
  it('refuses unknown members, unknown formats and bad values with ERR_ISSUER_CONFIG_INVALID', () => {
    for (const bad of [{ nope: 1 }, { credential_configurations: { x: { format: 'jwt_vc_json' } } }, { batch_size: 0 }, { wallet_origins: ['not a url'] }]) {
      let err: unknown
      try {
        resolveIssuerConfig(bad as never)
      } catch (e) {
        err = e
      }
      expect(isE2eidError(err, 'ERR_ISSUER_CONFIG_INVALID')).toBe(true)
    }
  })
  it('attack (issue 14): refuses status or vct as selectively disclosable in either format (a holder could hide its status reference)', () => {
    for (const format of [SD_CWT_FORMAT, SD_JWT_VC_FORMAT] as const) {
      for (const name of ['status', 'vct']) {
        expect(() => resolveIssuerConfig({ credential_configurations: { x: { format, vct: 'urn:x', selectively_disclosable: ['email', name] } } })).toThrow(
          expect.objectContaining({ code: 'ERR_ISSUER_CONFIG_INVALID' }),
        )
      }
    }
    expect(() => resolveIssuerConfig({ credential_configurations: { x: { format: SD_CWT_FORMAT, selectively_disclosable: ['email'] } } })).not.toThrow()
  })
  it('normalises wallet origins', () => {
    expect(resolveIssuerConfig({ wallet_origins: ['https://wallet.example/app/'] }).walletOrigins).toEqual(['https://wallet.example'])
  })
})
