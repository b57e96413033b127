/**
 * `e2eid issuer ...` in-process: `serve` on a real socket (port 0, SQLite in memory, temp state dir),
 * then the admin commands against it with the token file serve wrote; an Openid4vciClient completes
 * issuance over the socket and a revocation shows in the next status list fetched.
 */
import { mkdtemp, rm, writeFile, stat } from 'node:fs/promises'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { verifyStatusListJwt } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import type { IssuerRepository } from '@e2eid/issuer'
import { main } from '../main.js'
import { setIssuerCommandDeps } from './issuer.js'
import { libraryClient, walletCallbacks } from '@e2eid/issuer/testing'
import { capture } from '../test-helpers/capture.js'

const crypto = createNodeCryptoProvider()
let dir: string
let url: string
let stop: () => void
let served: Promise<number>
let serveOut: string[]
let servedRepo: IssuerRepository | undefined
const startedIssuerRepo = async (): Promise<IssuerRepository> => servedRepo!

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-issuer-'))
  let started!: (u: string) => void
  const ready = new Promise<string>((r) => (started = r))
  setIssuerCommandDeps({
    env: { E2EID_HOME: dir },
    stopSignal: (running) => {
      // The running issuer (RunningIssuer): a test records an issuance in its database directly.
      servedRepo = (running as unknown as { repository: IssuerRepository }).repository
      started(running.url)
      return new Promise<void>((r) => (stop = r))
    },
  })
  const c = capture()
  serveOut = c.out
  served = main(['issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:'], c.io)
  url = await ready
})
afterAll(async () => {
  stop()
  expect(await served).toBe(0)
  setIssuerCommandDeps({})
  await rm(dir, { recursive: true, force: true })
})

describe('e2eid issuer (CLI contract)', () => {
  it('serve prints its URL, issuer identifier and the admin token file (mode 0600)', async () => {
    const text = serveOut.join('\n')
    expect(text).toContain(`listening on ${url}`)
    expect(text).toContain(`issuer identifier: ${url}`)
    const tokenFile = join(dir, 'issuer', 'admin-token')
    expect(text).toContain(`admin token: ${tokenFile}`)
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600)
  })

  it('user add, offer, issuance over the socket, credentials, revoke → next status list shows it', async () => {
    const claims = join(dir, 'alice.json')
    await writeFile(claims, JSON.stringify({ handle: 'im:alice@example.com', name: 'Alice' }))
    let c = capture()
    expect(await main(['issuer', 'user', 'add', '--id', 'alice', '--claims', claims, '--url', url, '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out[0]!)).toEqual({ id: 'alice' })

    c = capture()
    expect(await main(['issuer', 'offer', '--user', 'alice', '--config', 'mimi_identity_sd_jwt', '--tx-code', '--url', url, '--json'], c.io)).toBe(0)
    const offer = JSON.parse(c.out[0]!) as { offer_uri: string; tx_code: string | null; credential_configuration_id: string }
    expect(Object.keys(offer).sort()).toEqual(['credential_configuration_id', 'offer_uri', 'tx_code'])
    expect(offer.credential_configuration_id).toBe('mimi_identity_sd_jwt')
    expect(offer.tx_code).toMatch(/^\d{6}$/)

    // Without --json on a terminal: a QR code and the URI.
    c = capture(true)
    expect(await main(['issuer', 'offer', '--user', 'alice', '--config', 'mimi_identity_sd_jwt', '--url', url], c.io)).toBe(0)
    expect(c.out[0]).toMatch(/openid-credential-offer:\/\/\?credential_offer_uri=/)
    expect(c.out[0]).toMatch(/[▀▄█]/)
    expect(c.out[0]).toMatch(/tx_code \(send it on another channel\): \d{6}/)
    // Not a terminal (piped, redirected): the URI alone, no QR code.
    c = capture(false)
    expect(await main(['issuer', 'offer', '--user', 'alice', '--config', 'mimi_identity_sd_jwt', '--url', url], c.io)).toBe(0)
    expect(c.out[0]).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=\S+\ntx_code \(send it on another channel\): \d{6}$/)
    expect(c.out[0]).not.toMatch(/[▀▄█]/)
    // --json on a terminal: the JSON object only, no QR code.
    c = capture(true)
    expect(await main(['issuer', 'offer', '--user', 'alice', '--config', 'mimi_identity_sd_jwt', '--url', url, '--json'], c.io)).toBe(0)
    expect(c.out).toHaveLength(1)
    expect(c.out[0]).not.toMatch(/[▀▄█]/)
    expect(JSON.parse(c.out[0]!)).toMatchObject({ credential_configuration_id: 'mimi_identity_sd_jwt' })
    expect((JSON.parse(c.out[0]!) as { tx_code: string | null }).tx_code).toMatch(/^\d{6}$/)
    // --no-tx-code opts out, with a warning on stderr.
    c = capture()
    expect(await main(['issuer', 'offer', '--user', 'alice', '--config', 'mimi_identity_sd_jwt', '--no-tx-code', '--url', url, '--json'], c.io)).toBe(0)
    expect((JSON.parse(c.out[0]!) as { tx_code: string | null }).tx_code).toBeNull()
    expect(c.err.join('\n')).toMatch(/warning: --no-tx-code/)

    // A wallet (the library client, real fetch over the socket) completes issuance.
    const dpopKey = await crypto.generateKeyPair('ES256')
    const holder = await crypto.generateKeyPair('EdDSA')
    const client = libraryClient(crypto, (u, i) => fetch(u, i), [dpopKey, holder])
    const credentialOffer = await client.resolveCredentialOffer(offer.offer_uri)
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
    const dpop = { signer: { method: 'jwk' as const, alg: 'ES256', publicJwk: dpopKey.publicJwk as never } }
    const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.tx_code!, dpop })
    const accessToken = token.accessTokenResponse.access_token
    // Nonce bound to the token (our issuer's default): the request carries the token and a DPoP proof.
    const { resourceRequest } = await import('@openid4vc/oauth2')
    const nonceRes = await resourceRequest({
      callbacks: walletCallbacks(crypto, (u, i) => fetch(u, i), [dpopKey, holder]),
      accessToken,
      url: `${url}/nonce`,
      requestOptions: { method: 'POST', headers: {} },
      dpop: token.dpop,
    })
    expect(nonceRes.ok).toBe(true)
    const { c_nonce } = (await nonceRes.response.json()) as { c_nonce: string }
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: 'mimi_identity_sd_jwt',
      signer: { method: 'jwk', alg: 'EdDSA', publicJwk: holder.publicJwk as never },
      nonce: c_nonce,
    })
    const res = await client.retrieveCredentials({ issuerMetadata, accessToken, credentialConfigurationId: 'mimi_identity_sd_jwt', proofs: { jwt: [jwt] }, dpop: token.dpop && { ...token.dpop, ...nonceRes.dpop } })
    expect(res.credentialResponse.credentials).toHaveLength(1)

    c = capture()
    expect(await main(['issuer', 'credentials', '--user', 'alice', '--url', url, '--json'], c.io)).toBe(0)
    const list = JSON.parse(c.out[0]!) as Array<{ id: string; status: string; status_list: { uri: string; idx: number } }>
    expect(list).toHaveLength(1)
    expect(Object.keys(list[0]!).sort()).toEqual(['credential_configuration_id', 'format', 'id', 'status', 'status_list'])
    expect(Object.keys(list[0]!.status_list).sort()).toEqual(['idx', 'uri'])
    expect(list[0]!.status).toBe('valid')

    c = capture()
    expect(await main(['issuer', 'revoke', '--credential', list[0]!.id, '--url', url], c.io)).toBe(0)
    const { uri, idx } = list[0]!.status_list
    const keys = ((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: PublicJwk[] }).keys
    const st = await verifyStatusListJwt(await (await fetch(uri)).text(), { keys, provider: crypto, uri })
    expect(st.list.get(idx)).toBe(1)

    // Reinstating a revoked credential is refused: exit 1 and the error JSON.
    c = capture()
    expect(await main(['issuer', 'reinstate', '--credential', list[0]!.id, '--url', url], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!)).toEqual({ error: { code: 'ERR_ISSUER_CREDENTIAL_REVOKED', message: expect.any(String) } })

    // Ids are base64url: one in 64 starts with "-". It is taken as the value (unknown here: exit 1, not a usage error).
    c = capture()
    expect(await main(['issuer', 'revoke', '--credential', '-AAAAAAAAAAAAAAAAAAAAA', '--url', url], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!).error.code).toMatch(/^ERR_/)
  })

  it('usage errors exit 2; a wrong admin token exits 1 with the error JSON; an unknown config exits 1', async () => {
    let c = capture()
    expect(await main(['issuer', 'offer', '--url', url], c.io)).toBe(2)
    c = capture()
    expect(await main(['issuer', 'credentials', '--user', 'alice', '--url', url, '--admin-token', 'wrong'], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!).error.code).toBe('ERR_ISSUER_ADMIN_TOKEN_INVALID')
    c = capture()
    expect(await main(['issuer', 'offer', '--user', 'alice', '--config', 'nope', '--url', url], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!).error.code).toBe('ERR_ISSUER_UNKNOWN_CREDENTIAL_CONFIGURATION')
    c = capture()
    expect(await main(['issuer', 'credentials', '--user', 'alice', '--url', 'http://127.0.0.1:1'], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!).error.code).toBe('ERR_ISSUER_UNREACHABLE')
  })

  it('user list|show|update|remove and configs', async () => {
    const claims = join(dir, 'dave.json')
    await writeFile(claims, JSON.stringify({ handle: 'im:dave@example.com', name: 'Dave' }))
    let c = capture()
    expect(await main(['issuer', 'user', 'add', '--id', 'dave', '--claims', claims, '--url', url], c.io)).toBe(0)

    c = capture()
    expect(await main(['issuer', 'user', 'list', '--url', url, '--json'], c.io)).toBe(0)
    const users = JSON.parse(c.out[0]!) as Array<{ id: string }>
    expect(users.map((u) => u.id)).toContain('dave')
    expect(Object.keys(users.find((u) => u.id === 'dave')!).sort()).toEqual(['can_log_in', 'claims', 'created_at', 'id'])

    await writeFile(claims, JSON.stringify({ handle: 'im:dave@example.org', name: 'Dave D.' }))
    const pw = join(dir, 'dave.pw')
    await writeFile(pw, 'a long enough password\n')
    c = capture()
    expect(await main(['issuer', 'user', 'update', '--id', 'dave', '--claims', claims, '--password-file', pw, '--url', url, '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out[0]!)).toMatchObject({ id: 'dave', claims: { handle: 'im:dave@example.org', name: 'Dave D.' }, can_log_in: true })
    c = capture()
    expect(await main(['issuer', 'user', 'show', '--id', 'dave', '--url', url, '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out[0]!)).toMatchObject({ id: 'dave', claims: { name: 'Dave D.' } })
    c = capture()
    expect(await main(['issuer', 'user', 'update', '--id', 'dave', '--url', url], c.io)).toBe(2)

    // A user with a valid credential cannot be removed; --revoke revokes it first.
    c = capture()
    expect(await main(['issuer', 'offer', '--user', 'dave', '--config', 'mimi_identity_sd_jwt', '--url', url, '--json'], c.io)).toBe(0)
    const running = await startedIssuerRepo()
    await running.recordIssuance({
      id: 'dave-c1', userId: 'dave', format: 'dc+sd-jwt', credentialConfigurationId: 'mimi_identity_sd_jwt', holderKeyThumbprint: 'jkt',
      listForm: 'jwt', issuedAt: Math.floor(Date.now() / 1000), expiresAt: Math.floor(Date.now() / 1000) + 3600,
    })
    c = capture()
    expect(await main(['issuer', 'user', 'remove', '--id', 'dave', '--url', url], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!).error.code).toBe('ERR_ISSUER_USER_HAS_VALID_CREDENTIALS')
    c = capture()
    expect(await main(['issuer', 'user', 'remove', '--id', 'dave', '--revoke', '--url', url, '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out[0]!)).toEqual({ id: 'dave', removed: true, revoked: ['dave-c1'], credentials: 1 })
    c = capture()
    expect(await main(['issuer', 'user', 'show', '--id', 'dave', '--url', url], c.io)).toBe(1)
    expect(JSON.parse(c.out[0]!).error.code).toBe('ERR_ISSUER_USER_NOT_FOUND')

    c = capture()
    expect(await main(['issuer', 'configs', '--url', url, '--json'], c.io)).toBe(0)
    const configs = JSON.parse(c.out[0]!) as Array<{ id: string; format: string; vct: string | null }>
    expect(configs.find((x) => x.id === 'mimi_identity_sd_jwt')).toEqual({ id: 'mimi_identity_sd_jwt', format: 'dc+sd-jwt', vct: expect.stringMatching(/^https?:\/\//) })
    expect(configs.every((x) => typeof x.format === 'string')).toBe(true)
    c = capture()
    expect(await main(['issuer', 'configs', '--url', url], c.io)).toBe(0)
    expect(c.out[0]).toMatch(/^mimi_identity_sd_jwt {2}dc\+sd-jwt {2}http/m)
  })

  it('keys: add a second key, retire the first by kid; both stay published', async () => {
    let c = capture()
    expect(await main(['issuer', 'keys', 'list', '--url', url, '--json'], c.io)).toBe(0)
    const [first] = JSON.parse(c.out[0]!) as Array<{ kid: string }>
    c = capture()
    expect(await main(['issuer', 'keys', 'retire', '--kid', first!.kid, '--url', url], c.io)).toBe(1)
    c = capture()
    expect(await main(['issuer', 'keys', 'add', '--alg', 'EdDSA', '--url', url, '--json'], c.io)).toBe(0)
    const second = JSON.parse(c.out[0]!) as { kid: string }
    c = capture()
    expect(await main(['issuer', 'keys', 'retire', '--kid', first!.kid, '--url', url], c.io)).toBe(0)
    const jwks = ((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)
    expect(jwks).toEqual([second.kid, first!.kid])

    // Issue 14: keys compromise withdraws the (retired) first key: no longer published, listed as compromised.
    c = capture()
    expect(await main(['issuer', 'keys', 'compromise', '--kid', first!.kid, '--since', '2026-01-01T00:00:00Z', '--url', url, '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out[0]!)).toEqual({ kid: first!.kid, compromised_since: 1767225600, active_kid: second.kid })
    const after = ((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)
    expect(after).toEqual([second.kid])
    c = capture()
    expect(await main(['issuer', 'keys', 'list', '--url', url], c.io)).toBe(0)
    expect(c.out[0]).toContain(`${first!.kid}  ES256  compromised since 1767225600`)
    c = capture()
    expect(await main(['issuer', 'keys', 'compromise', '--kid', first!.kid, '--since', 'last tuesday', '--url', url], c.io)).toBe(2)
  })
})

describe('e2eid issuer serve as a process (the one spawn; needs `npx tsc -b`)', () => {
  it('prints its URL, serves metadata and exits 0 on SIGTERM', async () => {
    const home = await mkdtemp(join(tmpdir(), 'e2eid-cli-issuer-spawn-'))
    const bin = fileURLToPath(new URL('../../bin/e2eid.js', import.meta.url))
    const child = spawn(process.execPath, [bin, 'issuer', 'serve', '--port', '0'], { env: { ...process.env, E2EID_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000)
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m !== null) {
            clearTimeout(t)
            resolve(m[1]!)
          }
        })
        child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${out}`)))
      })
      expect(out).toContain(`admin token: ${join(home, 'issuer', 'admin-token')}`)
      expect(out).toContain(`database: sqlite:${join(home, 'issuer', 'issuer.sqlite')}`)
      const md = (await (await fetch(`${url}/.well-known/openid-credential-issuer`)).json()) as { credential_issuer: string }
      expect(md.credential_issuer).toBe(url)
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await rm(home, { recursive: true, force: true })
    }
  })
})
