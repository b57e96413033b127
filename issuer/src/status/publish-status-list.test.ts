/**
 * Status list publishing (draft-ietf-oauth-status-list §5/§6, §8 caching): a cached token is served on a
 * metadata read alone (the list's data is read only to sign); a version change re-signs with the new data.
 */
import { describe, expect, it } from 'vitest'
import { decodeJwtUnverified } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { openSqliteRepository } from '../storage/index.js'
import type { IssuerRepository } from '../storage/repository.js'
import { createIssuerContext } from '../http/app.js'
import { publishStatusList, StatusListCache } from './publish-status-list.js'

const T0 = 1_700_000_000

describe('publishStatusList with a token cache', () => {
  it('reuses the signed token while the version is unchanged, without reading the list data; re-signs after a change', async () => {
    const base = await openSqliteRepository(':memory:')
    try {
      let fullReads = 0
      const repo = Object.create(base) as IssuerRepository
      repo.getStatusList = async (id) => {
        fullReads++
        return base.getStatusList(id)
      }
      const ctx = createIssuerContext({ repository: repo, issuerUrl: 'https://issuer.example', crypto: createNodeCryptoProvider(), clock: () => T0 })
      await repo.createUser({ id: 'alice', claims: {}, passwordHash: null, createdAt: T0 })
      const c = await repo.recordIssuance({ id: 'c1', userId: 'alice', format: 'dc+sd-jwt', credentialConfigurationId: 'x', holderKeyThumbprint: 'k', listForm: 'jwt', issuedAt: T0, expiresAt: T0 + 86_400 })
      const cache = new StatusListCache(60)
      const first = await publishStatusList(ctx, c.statusListId, cache)
      expect(fullReads).toBe(1)
      const second = await publishStatusList(ctx, c.statusListId, cache)
      expect(second).toBe(first)
      expect(fullReads).toBe(1)
      await repo.setCredentialStatus('c1', 1, T0)
      const third = await publishStatusList(ctx, c.statusListId, cache)
      expect(fullReads).toBe(2)
      expect(third.body).not.toEqual(first.body)
      expect(typeof third.body === 'string' && decodeJwtUnverified(third.body).payload.status_list).toBeDefined()
      await expect(publishStatusList(ctx, 'nope', cache)).rejects.toMatchObject({ code: 'ERR_ISSUER_STATUS_LIST_NOT_FOUND' })
    } finally {
      await base.close()
    }
  })
})
