/**
 * Signing key cache: keys are read and parsed once per TTL; the app's own addSigningKey / retireSigningKey take
 * effect at once in that instance; another instance on the same database converges within the TTL.
 */
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { openSqliteRepository } from '../storage/index.js'
import type { IssuerRepository } from '../storage/repository.js'
import { createIssuerContext } from '../http/app.js'
import { activeSigningKey, addSigningKey, listSigningKeys, retireSigningKey } from './signing-keys.js'
import { SIGNING_KEY_CACHE_TTL_MS, SigningKeyCache } from './signing-key-cache.js'

function countingRepo(repo: IssuerRepository): { repo: IssuerRepository; reads: () => number } {
  let n = 0
  const wrapped = Object.create(repo) as IssuerRepository
  wrapped.listSigningKeys = async () => {
    n++
    return repo.listSigningKeys()
  }
  return { repo: wrapped, reads: () => n }
}

describe('signing key cache', () => {
  it('reads the key table once while fresh, and concurrent first readers share one read', async () => {
    const base = await openSqliteRepository(':memory:')
    try {
      const { repo, reads } = countingRepo(base)
      const ctx = createIssuerContext({ repository: repo, issuerUrl: 'https://issuer.example', crypto: createNodeCryptoProvider() })
      const first = await activeSigningKey(ctx) // generates the first key
      const before = reads()
      const again = await Promise.all([activeSigningKey(ctx), activeSigningKey(ctx), listSigningKeys(ctx)])
      expect(again[0].kid).toBe(first.kid)
      expect(again[1].kid).toBe(first.kid)
      expect(again[2].map((k) => k.kid)).toEqual([first.kid])
      expect(reads() - before).toBeLessThanOrEqual(1)
      await activeSigningKey(ctx)
      expect(reads() - before).toBeLessThanOrEqual(1)
    } finally {
      await base.close()
    }
  })

  it('addSigningKey and retireSigningKey take effect at once in the same instance', async () => {
    const repo = await openSqliteRepository(':memory:')
    try {
      let t = 1_700_000_000
      const ctx = createIssuerContext({ repository: repo, issuerUrl: 'https://issuer.example', crypto: createNodeCryptoProvider(), clock: () => t })
      const first = await activeSigningKey(ctx)
      t += 10
      const second = await addSigningKey(ctx, 'EdDSA')
      expect((await activeSigningKey(ctx)).kid).toBe(second.kid)
      await retireSigningKey(ctx, second.kid)
      expect((await activeSigningKey(ctx)).kid).toBe(first.kid)
      expect((await listSigningKeys(ctx)).find((k) => k.kid === second.kid)?.retiredAt).toBe(t)
    } finally {
      await repo.close()
    }
  })

  it('another instance on the same database sees a new key after the TTL, not before', async () => {
    const repo = await openSqliteRepository(':memory:')
    try {
      let mono = 0
      let t = 1_700_000_000
      const opts = { repository: repo, issuerUrl: 'https://issuer.example', crypto: createNodeCryptoProvider(), clock: () => t }
      const a = createIssuerContext(opts)
      const b = { ...createIssuerContext(opts), signingKeys: new SigningKeyCache(SIGNING_KEY_CACHE_TTL_MS, () => mono) }
      const first = await activeSigningKey(a)
      expect((await activeSigningKey(b)).kid).toBe(first.kid)
      t += 10
      const second = await addSigningKey(a, 'EdDSA')
      mono += SIGNING_KEY_CACHE_TTL_MS - 1
      expect((await activeSigningKey(b)).kid).toBe(first.kid)
      mono += 1
      expect((await activeSigningKey(b)).kid).toBe(second.kid)
    } finally {
      await repo.close()
    }
  })

  it('a load that raced with an invalidation is not kept', async () => {
    const cache = new SigningKeyCache(60_000, () => 0)
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const stale = cache.get(async () => {
      await gate
      return []
    })
    cache.invalidate()
    release()
    expect(await stale).toEqual([])
    let loads = 0
    await cache.get(async () => {
      loads++
      return []
    })
    expect(loads).toBe(1)
  })
})
