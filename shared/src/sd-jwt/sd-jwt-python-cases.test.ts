/**
 * sd-jwt-python tests/testcases (../shared/specs/sd-jwt/sd-jwt-python-testcases, read at run time):
 * issue with the `!sd` marks, present `holder_disclosed_claims`, verify, and compare with
 * `expect_verified_user_claims` (+ `iss`, as the python harness adds), with the settings' keys and clock.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { PrivateJwk } from '../crypto/jwk.js'
import { publicJwkOf } from '../crypto/jwk.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { presentSdJwt } from './present.js'
import { createSdJwtVcInstance } from './test-helpers/sd-jwt-js.js'
import { claimsAndSdPaths, holderPaths, parseSdYaml } from './test-helpers/sd-yaml.js'
import { presentSdJwtVc } from './vc-holder.js'
import { issueSdJwtVc } from './vc-issue.js'
import { verifySdJwtVcPresentation } from './vc-verify.js'

const provider = createNodeCryptoProvider()
const dir = vectorDir('sd-jwt/sd-jwt-python-testcases')
const cases = dir === undefined ? [] : readdirSync(dir).filter((n) => n.endsWith('.yml') && n !== 'settings.yml').sort()

interface Settings {
  identifiers: { issuer: string; verifier: string }
  key_settings: { issuer_keys: PrivateJwk[]; holder_key: PrivateJwk }
  key_binding_nonce: string
  iat: number
  exp: number
}

describe.runIf(cases.length > 0)('sd-jwt-python test cases', () => {
  const settings = (cases.length > 0 ? parseSdYaml(readVectorText('sd-jwt/sd-jwt-python-testcases/settings.yml')) : {}) as Settings

  it.each(cases)('%s', async (file) => {
    const spec = parseSdYaml(readVectorText(`sd-jwt/sd-jwt-python-testcases/${file}`)) as Record<string, unknown>
    const { claims, disclosable } = claimsAndSdPaths(spec.user_claims)
    const issuerKey = settings.key_settings.issuer_keys[0]!
    const holderKey = settings.key_settings.holder_key
    const now = settings.iat + 60
    const vc = await issueSdJwtVc({
      provider,
      claims,
      disclosable,
      ...(spec.add_decoy_claims === true ? { decoys: 3 } : {}),
      issuerKey,
      iss: settings.identifiers.issuer,
      vct: 'https://example.com/testcase',
      holderKey: publicJwkOf(holderKey),
      iat: settings.iat,
      exp: settings.exp,
    })
    const kb = spec.key_binding === true
    const aud = settings.identifiers.verifier
    const nonce = settings.key_binding_nonce
    const disclose = holderPaths(spec.holder_disclosed_claims)
    const pres = kb
      ? await presentSdJwtVc({ provider, sdJwtVc: vc, disclose, holderKey, aud, nonce, iat: now })
      : await presentSdJwt({ provider, sdJwt: vc, disclose })
    const r = await verifySdJwtVcPresentation(pres, { provider, issuerKeys: [publicJwkOf(issuerKey)], aud, nonce, now, requireKeyBinding: kb })
    const { iat: _iat, exp: _exp, vct: _vct, cnf, ...rest } = r.claims
    expect(rest).toEqual({ iss: settings.identifiers.issuer, ...(spec.expect_verified_user_claims as Record<string, unknown>) })
    expect(cnf).toEqual({ jwk: publicJwkOf(holderKey) })
    expect(r.keyBinding !== undefined).toBe(kb)
    // the same presentation verifies with @sd-jwt/sd-jwt-vc 0.19.0 to the same payload
    const theirs = await createSdJwtVcInstance({ provider, issuerPublicKeys: [publicJwkOf(issuerKey)] }).verify(pres, { currentDate: now, ...(kb ? { keyBindingNonce: nonce } : {}) })
    expect(theirs.payload).toEqual(r.claims)
  })
})
