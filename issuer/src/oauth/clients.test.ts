/**
 * Issue 14 item 9, redirect URIs (RFC 9700 §2.1, §4.1.3; RFC 6749 §5.2). Attacks reproduced: with no
 * `clients` configured, any client_id and any path or query on a wallet origin used to be accepted at PAR,
 * and the attacker-chosen client_id was then shown on the login page. Now only registered clients with
 * exactly registered redirect URIs may start the authorization code flow.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { IssuerConfigFile } from '../config/config.js'
import type { Fixture } from '../test-helpers/holder.js'
import { form, makeFixture } from '../test-helpers/holder.js'

const WALLET = 'https://wallet.example'
let f: Fixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

async function par(config: IssuerConfigFile, clientId: string, redirectUri: string): Promise<Response> {
  f = await makeFixture(config)
  return form(f.app, '/par', {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: base64urlEncode(f.crypto.digest('SHA-256', utf8Encode('v'.repeat(43)))),
    code_challenge_method: 'S256',
    scope: 'mimi_identity_sd_jwt',
  })
}

async function expectError(res: Response, status: number, error: string, code: string): Promise<void> {
  expect(res.status).toBe(status)
  expect(await res.json()).toMatchObject({ error, code })
}

describe('authorization code flow clients: registered client_id, exact redirect URI (issue 14 item 9)', () => {
  it('with no clients configured, an arbitrary client_id with a redirect URI on the wallet origin is invalid_client', async () => {
    await expectError(await par({ wallet_origins: [WALLET] }, 'Totally Official Bank', `${WALLET}/steal?x=1`), 401, 'invalid_client', 'ERR_ISSUER_CLIENT_UNKNOWN')
  })
  it('with clients configured, an unknown client_id (also one named after an Object property) is invalid_client', async () => {
    const config = { wallet_origins: [WALLET], clients: { wallet: { redirect_uris: [`${WALLET}/cb`] } } }
    for (const id of ['other-wallet', '__proto__', 'constructor', 'toString']) {
      await f?.close()
      await expectError(await par(config, id, `${WALLET}/cb`), 401, 'invalid_client', 'ERR_ISSUER_CLIENT_UNKNOWN')
    }
  })
  it('a registered client must use exactly a registered redirect URI: other path, added query, added slash, other origin are refused', async () => {
    const config = { wallet_origins: [WALLET], clients: { wallet: { redirect_uris: [`${WALLET}/cb`] } } }
    for (const uri of [`${WALLET}/other`, `${WALLET}/cb?next=https://evil.example`, `${WALLET}/cb/`, 'https://evil.example/cb', `${WALLET}/cb#frag`]) {
      await f?.close()
      await expectError(await par(config, 'wallet', uri), 400, 'invalid_request', 'ERR_ISSUER_REDIRECT_URI')
    }
  })
  it('the registered client with its exact redirect URI is accepted, and the login page names that client', async () => {
    const res = await par({ clients: { wallet: { redirect_uris: [`${WALLET}/cb`] } } }, 'wallet', `${WALLET}/cb`)
    expect(res.status).toBe(201)
    const { request_uri } = (await res.json()) as { request_uri: string }
    const page = await f!.app.request(`/authorize?client_id=wallet&request_uri=${encodeURIComponent(request_uri)}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<strong class="claim-name">wallet</strong>')
  })
})
