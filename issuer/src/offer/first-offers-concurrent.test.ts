/**
 * Issue 20, first defect: on a fresh PostgreSQL database, offers made at the same time (one instance or
 * several) must all be redeemable. The secret behind pre-authorized codes (`offer_code_key`) is created
 * lazily by the first offer; with an overwriting upsert the last writer won and the codes of earlier
 * offers no longer matched (`invalid_grant`, ERR_ISSUER_CODE_UNKNOWN). Runs when E2EID_TEST_PG is set.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { createIssuerApp } from '../http/app.js'
import { resolveIssuerConfig } from '../config/config.js'
import { setAdminToken } from '../admin/admin-token.js'
import { openPostgresRepository } from '../storage/postgres.js'
import type { IssuerRepository } from '../storage/repository.js'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, ISSUER, admin, keyPair, preAuthToken } from '../test-helpers/holder.js'

const url = process.env.E2EID_TEST_PG

describe.skipIf(url === undefined)('first offers made concurrently on a fresh PostgreSQL database (issue 20)', () => {
  const schema = `e2eid_test_h6_${randomBytes(6).toString('hex')}`
  const repos: IssuerRepository[] = []
  afterEach(async () => {
    for (const r of repos.splice(0)) await r.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    } finally {
      await client.end()
    }
  })

  it('16 concurrent first offers over two instances are all redeemable by reference at the other instance', async () => {
    const crypto = createNodeCryptoProvider()
    const clock = { now: Math.floor(Date.now() / 1000) }
    const instances: Fixture[] = []
    for (let i = 0; i < 2; i++) {
      const repo = await openPostgresRepository(url!, { schema, maxConnections: 8 })
      repos.push(repo)
      const app = createIssuerApp({ repository: repo, issuerUrl: ISSUER, crypto, clock: () => clock.now, config: resolveIssuerConfig({}) })
      instances.push({ app, repo, crypto, clock, adminToken: '', close: async () => {} })
    }
    const token = await setAdminToken(instances[0]!.repo, crypto)
    for (const f of instances) f.adminToken = token
    expect((await admin(instances[0]!, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS })).status).toBe(201)
    // Warm the pools so that the offers really race on the first use of offer_code_key.
    await Promise.all(repos.flatMap((r) => Array.from({ length: 8 }, () => r.getSetting('warm-up'))))
    const offers = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const r = await admin(instances[i % 2]!, '/admin/offers', { user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_jwt', tx_code: false })
        expect(r.status).toBe(201)
        return ((await r.json()) as { offer_uri: string }).offer_uri
      }),
    )
    // The wallet follows credential_offer_uri (§4.1.3): the served code is derived from offer_code_key again,
    // at the other instance, so it matches the stored hash only if every offer used the one stored key.
    const codes = await Promise.all(
      offers.map(async (offerUri, i) => {
        const reference = new URL(new URL(offerUri).searchParams.get('credential_offer_uri')!)
        const res = await instances[(i + 1) % 2]!.app.request(reference.pathname)
        expect(res.status).toBe(200)
        const offer = (await res.json()) as { grants: Record<string, { 'pre-authorized_code': string }> }
        return offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code']
      }),
    )
    const dpopKey = await keyPair(crypto, 'ES256')
    const statuses: number[] = []
    for (const [i, code] of codes.entries()) {
      const res = await preAuthToken(instances[(i + 1) % 2]!, dpopKey, code)
      statuses.push(res.status)
    }
    expect(statuses).toEqual(Array.from({ length: 16 }, () => 200))
  })
})
