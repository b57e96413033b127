/**
 * Bad input never crashes: whatever a verifier, an issuer or a file hands the wallet, the answer is a
 * result or an E2eidError (fast-check; E2EID_FUZZ_RUNS raises the number of runs).
 */
import fc from 'fast-check'
import { createWebCryptoProvider, isE2eidError } from '@e2eid/shared'
import { describe, expect, it } from 'vitest'
import { createSdCwtHandler } from './formats/sd-cwt.js'
import { createSdJwtVcHandler } from './formats/sd-jwt-vc.js'
import { matchDcql } from './present/dcql.js'
import { parseOpenid4vpRequest } from './present/openid4vp.js'
import type { StoredCredential } from './storage/schema.js'

const runs = Number(process.env.E2EID_FUZZ_RUNS ?? 200)
const provider = createWebCryptoProvider()
let networkCalls = 0
const noNetwork: typeof fetch = async () => {
  networkCalls++
  throw new Error('no network in this test')
}

function onlyE2eidErrors(f: () => unknown): void {
  try {
    f()
  } catch (e) {
    expect(isE2eidError(e), String(e)).toBe(true)
  }
}

async function onlyE2eidErrorsAsync(f: () => Promise<unknown>): Promise<void> {
  try {
    await f()
  } catch (e) {
    expect(isE2eidError(e), String(e)).toBe(true)
  }
}

const cred: StoredCredential = {
  id: 'c', format: 'dc+sd-jwt', raw: '', issuer: 'https://i', credentialConfigurationId: 'x', keyId: 'k',
  claims: { a: 1, b: { c: [1, 2] } }, disclosablePaths: [['a']], metadata: { vct: 'v' }, receivedAt: 0,
}

describe('fuzz: wallet inputs from outside', () => {
  it('matchDcql: any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (q) => onlyE2eidErrors(() => matchDcql(q, [cred]))), { numRuns: runs })
  })

  it('matchDcql: DCQL-shaped queries with odd paths and values', () => {
    const seg = fc.oneof(fc.string(), fc.nat(), fc.constant(null))
    const query = fc.record({
      credentials: fc.array(fc.record({ id: fc.stringMatching(/^[a-z]{1,4}$/), format: fc.constantFrom('dc+sd-jwt', 'application/sd-cwt'), meta: fc.constant({}), claims: fc.option(fc.array(fc.record({ id: fc.option(fc.string(), { nil: undefined }), path: fc.array(seg, { minLength: 1 }), values: fc.option(fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean())), { nil: undefined }) }), { minLength: 1 }), { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
    })
    fc.assert(fc.property(query, (q) => onlyE2eidErrors(() => matchDcql(q, [cred]))), { numRuns: runs })
  })

  it('parseOpenid4vpRequest: any string, and any query parameters', () => {
    fc.assert(fc.property(fc.string(), (s) => onlyE2eidErrors(() => parseOpenid4vpRequest(s))), { numRuns: runs })
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('response_type', 'response_mode', 'client_id', 'response_uri', 'nonce', 'state', 'dcql_query', 'x'), fc.string()), (d) =>
        onlyE2eidErrors(() => parseOpenid4vpRequest(`openid4vp://?${new URLSearchParams(d).toString()}`)),
      ),
      { numRuns: runs },
    )
  })

  it('credential handlers: any credential value is refused with an E2eidError, before any network use', async () => {
    const handlers = [createSdCwtHandler(), createSdJwtVcHandler()]
    const value = fc.oneof(fc.string(), fc.base64String(), fc.jsonValue(), fc.uint8Array().map((b) => Buffer.from(b).toString('base64url')))
    await fc.assert(
      fc.asyncProperty(value, fc.constantFrom(0, 1), async (credential, h) => {
        await onlyE2eidErrorsAsync(() =>
          handlers[h]!.checkReceived({ credential, issuer: 'https://i.example', holderKeys: [], issuerMetadata: {}, credentialConfiguration: {}, now: Date.now(), fetch: noNetwork, provider }),
        )
      }),
      { numRuns: runs },
    )
    expect(networkCalls).toBe(0)
  })
})
