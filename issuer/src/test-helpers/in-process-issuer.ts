/**
 * Test helper: the project's issuer (createIssuerApp) in-process on an in-memory SQLite repository, with user
 * `alice`; a client's fetch routes to app.request (no sockets). For wallet clients (e2e round trips, the CLI wallet).
 */
import type { IssuerConfigFile } from '../config/config.js'
import { makeFixture } from './holder.js'

export const REDIRECT = 'https://wallet.example/cb'
// SD-CWT §6: sub MUST be present (the holder refuses an SD-CWT without it).
export const ALICE = { sub: 'mimi://example.com/u/alice', handle: 'im:alice@example.com', name: 'Alice Example', email: 'alice@example.com' }
export const PASSWORD = 'correct horse battery'

/** A running in-process issuer with user `alice`. */
export async function testIssuer(config: IssuerConfigFile = {}) {
  // makeFixture's app, on the system clock (the wallet's clients run on real time).
  const { app, adminToken, close } = await makeFixture({ clients: { 'e2eid-wallet': { redirect_uris: [REDIRECT] } }, ...config }, { clock: () => Date.now() / 1000 })
  const admin = async (path: string, body: unknown): Promise<Response> =>
    app.request(path, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const u = await admin('/admin/users', { id: 'alice', claims: ALICE, password: PASSWORD })
  if (u.status !== 201) throw new Error(`user: ${u.status} ${await u.text()}`)
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    return app.request(req)
  }
  return {
    app,
    fetch,
    /** Creates an offer for alice: by reference (`offer_uri`) and by value, with its tx_code. */
    async offer(configurationId: string, txCode = false, flow: 'pre-authorized_code' | 'authorization_code' = 'pre-authorized_code'): Promise<{ offer_uri: string; offer_uri_by_value: string; tx_code: string | null }> {
      const r = await admin('/admin/offers', { user_id: 'alice', credential_configuration_id: configurationId, tx_code: txCode, flow })
      if (r.status !== 201) throw new Error(`offer: ${r.status} ${await r.text()}`)
      return (await r.json()) as { offer_uri: string; offer_uri_by_value: string; tx_code: string | null }
    },
    /** The issuer's public keys (JWKS). */
    async jwks(): Promise<unknown[]> {
      return ((await (await app.request('/.well-known/jwks.json')).json()) as { keys: unknown[] }).keys
    },
    /** Logs alice in on the authorization page; resolves with the redirect URL (code + state + iss). */
    async login(authorizationRequestUrl: string): Promise<string> {
      const u = new URL(authorizationRequestUrl)
      const page = await app.request(u.pathname + u.search)
      const session = /name="session" value="([^"]+)"/.exec(await page.text())?.[1]
      if (session === undefined) throw new Error(`no login form (${page.status})`)
      const res = await app.request('/authorize', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ session, username: 'alice', password: PASSWORD }).toString(),
      })
      const location = res.headers.get('location')
      if (res.status !== 302 || location === null) throw new Error(`login failed: ${res.status}`)
      return location
    },
    /** Sets the status of every credential issued to alice (admin API). */
    async setAllStatus(status: 'revoked' | 'suspended' | 'valid'): Promise<void> {
      const list = (await (await app.request('/admin/users/alice/credentials', { headers: { authorization: `Bearer ${adminToken}` } })).json()) as Array<{ id: string }>
      for (const c of list) {
        const r = await admin(`/admin/credentials/${c.id}/status`, { status })
        if (r.status !== 200) throw new Error(`status: ${r.status} ${await r.text()}`)
      }
    },
    close,
  }
}
