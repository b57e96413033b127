/**
 * Issue 14 item 9: the issuer `e2eid up` and the demo start registers the wallet page as a client with its
 * exact redirect URI (the page's address, wallet/web/src/authorize.ts redirectUri()), since the authority
 * no longer accepts unregistered clients.
 */
import { describe, expect, it } from 'vitest'
import { resolveIssuerConfig } from '@e2eid/issuer'
import { WALLET_PAGE_CLIENT_ID, demoIssuerConfig } from './authority.js'

describe('demo / e2eid up issuer config registers the wallet page client', () => {
  it('with a wallet page: client e2eid-wallet-page, redirect URI exactly <origin>/', () => {
    const config = resolveIssuerConfig(demoIssuerConfig(300, ['http://127.0.0.1:8082']))
    expect(WALLET_PAGE_CLIENT_ID).toBe('e2eid-wallet-page')
    expect(config.clients).toEqual({ 'e2eid-wallet-page': { redirect_uris: ['http://127.0.0.1:8082/'] } })
  })
  it('without a wallet page: no clients (the authorization code flow is closed)', () => {
    expect(resolveIssuerConfig(demoIssuerConfig(300)).clients).toEqual({})
  })
})
