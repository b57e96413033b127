/**
 * `e2eid verify --status`: revocation through the credential's Token Status List (draft-ietf-oauth-status-list
 * §8.3), against the project's issuer listening on loopback. The wallet receives a credential over OpenID4VCI and
 * presents it; the CLI fetches the list from the `uri` the credential names, checks it with the issuer key, and
 * refuses the credential once the authority revoked it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIssuerServer } from '@e2eid/issuer'
import type { RunningIssuer } from '@e2eid/issuer'
import { Wallet, WalletDb, defaultFormatHandlers } from '@e2eid/wallet'
import { main } from '../main.js'
import { capture } from '../test-helpers/capture.js'

const ADMIN = 'verify-status-admin-token-0123456789'
const AUD = 'https://verifier.example'
let dir: string
let issuer: RunningIssuer
let keyFile: string

const admin = async (path: string, body: unknown): Promise<Response> =>
  fetch(`${issuer.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-verify-status-'))
  issuer = await startIssuerServer({ port: 0, host: '127.0.0.1', db: `sqlite:${join(dir, 'issuer.sqlite')}`, stateDir: dir, adminToken: ADMIN })
  expect((await admin('/admin/users', { id: 'carol', claims: { sub: 'im:carol@example.com', handle: 'im:carol@example.com', org: 'example.com' } })).status).toBe(201)
  const meta = (await (await fetch(`${issuer.issuerUrl}/.well-known/jwt-vc-issuer`)).json()) as { jwks: { keys: unknown[] } }
  keyFile = join(dir, 'issuer-key.json')
  await writeFile(keyFile, JSON.stringify(meta.jwks.keys[0]))
}, 30_000)
afterAll(async () => {
  await issuer?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('e2eid verify --status (Token Status List, §8.3)', () => {
  for (const configurationId of ['mimi_identity_sd_jwt', 'mimi_identity_sd_cwt']) {
    it(`${configurationId}: VALID passes, then the authority revokes and the same command exits 1 with ERR_STATUS_REVOKED`, async () => {
      const wallet = new Wallet({ db: new WalletDb(`cli-verify-status-${configurationId}`, { indexedDB: new IDBFactory(), IDBKeyRange }), handlers: defaultFormatHandlers(), trustedIssuers: [issuer.issuerUrl] })
      const offer = (await (await admin('/admin/offers', { user_id: 'carol', credential_configuration_id: configurationId, tx_code: false })).json()) as { offer_uri_by_value: string }
      const [cred] = await wallet.receive(offer.offer_uri_by_value, { allowInsecureUrls: true })
      const p = await wallet.present(cred!.id, { paths: ['org'], aud: AUD, nonce: '00112233' })
      const file = join(dir, `${configurationId}.presentation`)
      await writeFile(file, p.presentation)
      const args = ['verify', '--presentation', file, '--issuer-key', keyFile, '--aud', AUD, '--nonce', '00112233']

      const ok = capture()
      expect(await main([...args, '--status', 'required', '--allow-insecure-loopback'], ok.io), ok.out.join('')).toBe(0)
      expect(JSON.parse(ok.out.join(''))).toMatchObject({ org: 'example.com' })

      // The list is served over http:// on loopback: without the flag the URL policy refuses it, and 'required'
      // fails closed.
      const refused = capture()
      expect(await main([...args, '--status', 'required'], refused.io)).toBe(1)
      expect(JSON.parse(refused.out.join('')).error.code).toMatch(/^ERR_STATUS_(URL_NOT_ALLOWED|UNAVAILABLE)$/)
      // …and the error says how to allow it for a local setup.
      expect(JSON.parse(refused.out.join('')).error.hint).toContain('--allow-insecure-loopback')

      const creds = (await (await fetch(`${issuer.url}/admin/users/carol/credentials`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { id: string }[]
      for (const c of creds) expect((await admin(`/admin/credentials/${c.id}/status`, { status: 'revoked' })).status).toBe(200)

      for (const mode of ['required', 'if-present']) {
        const revoked = capture()
        expect(await main([...args, '--status', mode, '--allow-insecure-loopback'], revoked.io)).toBe(1)
        expect(JSON.parse(revoked.out.join(''))).toMatchObject({ error: { code: 'ERR_STATUS_REVOKED' } })
      }
      // Without --status nothing is fetched: the signature and key binding still verify (the documented default).
      const skipped = capture()
      expect(await main(args, skipped.io)).toBe(0)
    }, 30_000)
  }
})
