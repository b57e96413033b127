import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { base64urlEncode } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { openSqliteRepository } from '../storage/index.js'
import { offerCodeKey } from '../util/settings.js'
import { preAuthorizedCodeFor } from './create-offer.js'

describe('pre-authorized code derivation (RFC 2104 HMAC-SHA-256 of the offer id)', () => {
  it('is HMAC-SHA-256(offer_code_key, "pre-authorized_code:" || offerId), so codes of stored offers keep resolving', async () => {
    const repo = await openSqliteRepository(':memory:')
    try {
      const ctx = { repo, crypto: createNodeCryptoProvider() } as unknown as IssuerContext
      const key = await offerCodeKey(ctx)
      const expected = base64urlEncode(new Uint8Array(createHmac('sha256', key).update('pre-authorized_code:offer-1').digest()))
      expect(await preAuthorizedCodeFor(ctx, 'offer-1')).toBe(expected)
      expect(await preAuthorizedCodeFor(ctx, 'offer-2')).not.toBe(expected)
    } finally {
      await repo.close()
    }
  })
})
