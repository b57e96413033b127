/**
 * Issue 6, end to end in one process: the project's issuer (@e2eid/issuer) issues an SD-JWT VC and an SD-CWT to the
 * project's wallet (@e2eid/wallet, OpenID4VCI), the wallet answers the verifier service's OpenID4VP request
 * (DCQL, direct_post), the verifier accepts it with keys discovered from the issuer's well-known documents and the
 * live status lists; after the authority revokes the credential the next presentation is refused. The verifier
 * contacts the issuer only for key sets and status lists.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIssuerApp, openSqliteRepository, resolveIssuerConfig, setAdminToken } from '@e2eid/issuer'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { Wallet, WalletDb, defaultFormatHandlers, respondOpenid4vp } from '@e2eid/wallet'
import { SD_CWT_FORMAT_ID, createHttpClient, createStatusChecker, createTrustStore, createVerifierApp } from '@e2eid/verifier'

const ISSUER = 'https://issuer.example'
const VERIFIER = 'https://verifier.example'
const crypto = createNodeCryptoProvider()
let issuerFetch: typeof fetch
let admin: (path: string, body: unknown) => Promise<Response>
let adminToken: string
let closeRepo: () => Promise<void>
let vcts: Record<string, string>

beforeAll(async () => {
  const repo = await openSqliteRepository(':memory:')
  closeRepo = async () => repo.close()
  const app = createIssuerApp({ repository: repo, issuerUrl: ISSUER, crypto, config: resolveIssuerConfig({}) })
  adminToken = await setAdminToken(repo, crypto)
  admin = (path, body) => Promise.resolve(app.request(path, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }))
  issuerFetch = async (input, init) => app.request(input instanceof Request ? input : new Request(String(input), init))
  expect((await admin('/admin/users', { id: 'bob', claims: { sub: 'im:bob@example.com', handle: 'im:bob@example.com', email: 'bob@example.com', name: 'Bob' } })).status).toBe(201)
  const meta = (await (await issuerFetch(`${ISSUER}/.well-known/openid-credential-issuer`)).json()) as { credential_configurations_supported: Record<string, { vct?: string }> }
  vcts = Object.fromEntries(Object.entries(meta.credential_configurations_supported).map(([id, c]) => [id, c.vct ?? '']))
})
afterAll(() => closeRepo())

async function offer(configurationId: string): Promise<string> {
  const r = await admin('/admin/offers', { user_id: 'bob', credential_configuration_id: configurationId, tx_code: false })
  expect(r.status).toBe(201)
  return ((await r.json()) as { offer_uri_by_value: string }).offer_uri_by_value
}

describe('issuer → wallet → verifier service (OpenID4VCI, OpenID4VP, status lists)', () => {
  for (const [configurationId, format] of [['mimi_identity_sd_jwt', 'dc+sd-jwt'], ['mimi_identity_sd_cwt', SD_CWT_FORMAT_ID]] as const) {
    it(`${format}: accepted with discovered keys and a VALID status, refused once revoked`, async () => {
      const wallet = new Wallet({ db: new WalletDb(`verifier-interop-${configurationId}`, { indexedDB: new IDBFactory(), IDBKeyRange }), handlers: defaultFormatHandlers(), fetch: issuerFetch, trustedIssuers: [ISSUER] })
      const [cred] = await wallet.receive(await offer(configurationId))
      expect(cred?.format).toBe(format)

      const urls: string[] = []
      const http = createHttpClient({ fetch: (u, init) => (urls.push(u), issuerFetch(u, init)) })
      // The status client's clock alone moves forward (past the list's ttl); the wallet and verifier use real time.
      let statusClockOffset = 0
      const verifier = createVerifierApp({
        publicUrl: VERIFIER,
        trust: createTrustStore({ http, authorities: [{ issuer: ISSUER, sources: [{ type: 'jwt_vc_issuer' }, { type: 'cose_key_set_uri', uri: `${ISSUER}/.well-known/cose-keys` }] }] }),
        status: createStatusChecker({ http, provider: crypto, now: () => Date.now() / 1000 + statusClockOffset }),
        provider: crypto,
        policy: { status: 'required' },
        dcqlQuery: { credentials: [{ id: 'member', format, meta: vcts[configurationId] ? { vct_values: [vcts[configurationId]!] } : {}, claims: [{ path: ['handle'] }] }] },
      })
      const toVerifier: typeof fetch = async (input, init) => verifier.request(new Request(String(input), init))

      const ask = async () => (await (await verifier.request('/requests', { method: 'POST' })).json()) as { id: string; request_uri: string; result_token: string }
      const read = (r: { id: string; result_token: string }) => verifier.request(`/results/${r.id}`, { headers: { authorization: `Bearer ${r.result_token}` } })
      const r1 = await ask()
      const answer = await respondOpenid4vp(wallet, r1.request_uri, toVerifier)
      expect(answer.status).toBe(200)
      const result = (await (await read(r1)).json()) as Record<string, unknown>
      expect(result).toMatchObject({ status: 'verified', presentations: [{ queryId: 'member', issuer: ISSUER, claims: { handle: 'im:bob@example.com' }, status: { status: 0 } }] })
      // Selective disclosure: only the handle was asked for.
      expect((result.presentations as { claims: Record<string, unknown> }[])[0]!.claims.email).toBeUndefined()

      // The authority revokes Bob; after the list's ttl the verifier sees it.
      const creds = (await (await issuerFetch(`${ISSUER}/admin/users/bob/credentials`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as Array<{ id: string }>
      for (const c of creds) expect((await admin(`/admin/credentials/${c.id}/status`, { status: 'revoked' })).status).toBe(200)
      statusClockOffset += 600
      const r2 = await ask()
      await expect(respondOpenid4vp(wallet, r2.request_uri, toVerifier)).rejects.toMatchObject({ code: 'ERR_WALLET_OPENID4VP_REJECTED' })
      expect(await (await read(r2)).json()).toMatchObject({ status: 'rejected', error: { code: 'ERR_STATUS_REVOKED' } })

      // The verifier never contacted the issuer except for key sets and status lists.
      for (const u of urls) expect(u).toMatch(/^https:\/\/issuer\.example\/(\.well-known\/(jwt-vc-issuer|cose-keys|jwks\.json)|status-lists\/[^/]+)$/)
      expect(urls.some((u) => u.includes('/status-lists/'))).toBe(true)
      // Reinstate for the next case.
      for (const c of creds) await admin(`/admin/credentials/${c.id}/status`, { status: 'valid' })
    })
  }
})
