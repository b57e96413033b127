import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { base64urlEncode, createWebCryptoProvider, hexDecode, issueSdJwtVc, utf8Encode, parsePublicJwk, verifySdCwtPresentation, verifySdJwtVcPresentation } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'
import { defaultFormatHandlers } from '@e2eid/wallet'
import { openFileWallet } from '@e2eid/wallet/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { main } from '../main.js'
import { testIssuer } from '@e2eid/issuer/testing'
import { offerIsLoopbackHttp, setWalletCommandDeps } from './wallet.js'
import { capture } from '../test-helpers/capture.js'

const provider = createWebCryptoProvider()
const ISS = 'https://issuer.example'
let dir: string
let issuerPub: PublicJwk
let issuerKey: PrivateJwk

const keysFetch: typeof fetch = async (input) => {
  const url = String(input instanceof Request ? input.url : input)
  if (url === `${ISS}/.well-known/jwt-vc-issuer`) return Response.json({ issuer: ISS, jwks: { keys: [issuerPub] } })
  return new Response('nope', { status: 404 })
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-wallet-'))
  const kp = await provider.generateKeyPair('ES256')
  issuerKey = kp.privateJwk
  issuerPub = kp.publicJwk
  setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch: keysFetch })
})
afterEach(async () => {
  setWalletCommandDeps({})
  await rm(dir, { recursive: true, force: true })
})

/** Puts an SD-JWT VC into the folder wallet as the receive path would (checked, then stored). */
async function seed(): Promise<string> {
  const fw = await openFileWallet({ dir, handlers: defaultFormatHandlers(), fetch: keysFetch })
  const key = await fw.wallet.keys.generate('EdDSA')
  const holder = parsePublicJwk(key.publicJwk)
  const raw = await issueSdJwtVc({
    provider, claims: { handle: '@alice', email: 'a@example.com' }, disclosable: ['handle', 'email'], issuerKey, iss: ISS,
    vct: 'urn:mimi', holderKey: holder, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600,
  })
  const h = defaultFormatHandlers().find((x) => x.formats.includes('dc+sd-jwt'))!
  const c = await h.checkReceived({ credential: raw, issuer: ISS, holderKeys: [holder], issuerMetadata: {}, credentialConfiguration: {}, now: Date.now(), fetch: keysFetch, provider })
  await fw.wallet.db.credentials.put({
    id: 'cred1', format: 'dc+sd-jwt', raw, issuer: ISS, credentialConfigurationId: 'mimi_identity_sd_jwt', keyId: key.id,
    claims: c.claims, disclosablePaths: c.disclosablePaths.map((p) => [...p]), metadata: c.metadata, receivedAt: Date.now(),
  })
  await fw.save()
  await fw.close()
  return 'cred1'
}

describe('e2eid wallet (CLI contract)', () => {
  it('list and show give both the Credential Issuer URL (issuer) and a DID iss (SD-JWT VC §3.5)', async () => {
    const did = `did:jwk:${base64urlEncode(utf8Encode(JSON.stringify(issuerPub)))}`
    const fw = await openFileWallet({ dir, handlers: defaultFormatHandlers(), fetch: keysFetch })
    const key = await fw.wallet.keys.generate('EdDSA')
    const holder = parsePublicJwk(key.publicJwk)
    const raw = await issueSdJwtVc({ provider, claims: { handle: '@alice' }, issuerKey, kid: `${did}#0`, iss: did, vct: 'urn:mimi', holderKey: holder })
    const h = defaultFormatHandlers().find((x) => x.formats.includes('dc+sd-jwt'))!
    const checked = await h.checkReceived({ credential: raw, issuer: ISS, holderKeys: [holder], issuerMetadata: {}, credentialConfiguration: {}, now: Date.now(), fetch: keysFetch, provider })
    await fw.wallet.db.credentials.put({
      id: 'cred-did', format: 'dc+sd-jwt', raw, issuer: ISS, credentialConfigurationId: 'mimi_identity_sd_jwt', keyId: key.id,
      claims: checked.claims, disclosablePaths: [], metadata: checked.metadata, receivedAt: Date.now(),
    })
    await fw.save()
    await fw.close()
    let c = capture()
    expect(await main(['wallet', 'list', '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out.join(''))).toMatchObject([{ id: 'cred-did', issuer: ISS, iss: did, vct: 'urn:mimi' }])
    c = capture()
    expect(await main(['wallet', 'list'], c.io)).toBe(0)
    expect(c.out.join('')).toContain(`${ISS}  (iss ${did})`)
    c = capture()
    expect(await main(['wallet', 'show', 'cred-did'], c.io)).toBe(0)
    expect(JSON.parse(c.out.join(''))).toMatchObject({ issuer: ISS, iss: did })
  })

  it('list, show, present (compact SD-JWT+KB) and history persist across invocations', async () => {
    const id = await seed()
    let c = capture()
    expect(await main(['wallet', 'list', '--json'], c.io)).toBe(0)
    expect(JSON.parse(c.out.join(''))).toMatchObject([{ id, format: 'dc+sd-jwt', vct: 'urn:mimi' }])

    c = capture()
    expect(await main(['wallet', 'show', id], c.io)).toBe(0)
    const shown = JSON.parse(c.out.join('')) as Record<string, unknown>
    expect(shown.claims).toMatchObject({ handle: '@alice', email: 'a@example.com' })
    expect(shown.presentations).toBe(0)

    c = capture()
    expect(await main(['wallet', 'present', '--credential', id, '--disclose', 'handle', '--aud', 'https://rp.example', '--nonce', 'c0ffee'], c.io)).toBe(0)
    const presentation = c.out.join('').trim()
    const v = await verifySdJwtVcPresentation(presentation, { provider, issuerKeys: [issuerPub], aud: 'https://rp.example', nonce: 'c0ffee' })
    expect(v.claims.handle).toBe('@alice')
    expect(v.claims.email).toBeUndefined()

    c = capture()
    expect(await main(['wallet', 'show', id], c.io)).toBe(0)
    expect((JSON.parse(c.out.join('')) as Record<string, unknown>).presentations).toBe(1)
  })

  it('present --preview shows the disclosures without signing', async () => {
    const id = await seed()
    const c = capture()
    expect(await main(['wallet', 'present', '--credential', id, '--disclose', 'email', '--preview'], c.io)).toBe(0)
    const p = JSON.parse(c.out.join('')) as { disclosed: string[]; claims: Record<string, unknown> }
    expect(p.disclosed).toEqual(['email'])
    expect(p.claims.handle).toBeUndefined()
  })

  it('key-package prints an MLSMessage (mls10, mls_key_package) as hex', async () => {
    const id = await seed()
    const c = capture()
    expect(await main(['wallet', 'key-package', '--credential', id, '--service', 'https://chat.example'], c.io)).toBe(0)
    const bytes = hexDecode(c.out.join('').trim())
    // RFC 9420 §6: version mls10 = 0x0001, wire_format mls_key_package = 0x0005.
    expect([...bytes.slice(0, 4)]).toEqual([0, 1, 0, 5])
  })

  it('invalid input exits 1 with {"error":{code,message}}; usage errors exit 2', async () => {
    let c = capture()
    expect(await main(['wallet', 'show', 'missing'], c.io)).toBe(1)
    expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_CREDENTIAL_NOT_FOUND' } })
    c = capture()
    expect(await main(['wallet', 'present', '--credential', 'x'], c.io)).toBe(2)
    c = capture()
    expect(await main(['wallet', 'present', '--credential', 'x', '--aud', 'a', '--nonce', 'xyz'], c.io)).toBe(2)
    c = capture()
    expect(await main(['wallet', 'receive'], c.io)).toBe(2)
    c = capture()
    expect(await main(['wallet', 'receive', 'openid-credential-offer://?credential_offer=%7B%7D'], c.io)).toBe(1)
    expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_OFFER_INVALID' } })
  })

  it('http is allowed only for loopback issuers', () => {
    const by = (u: string) => `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(u)}`
    expect(offerIsLoopbackHttp(by('http://127.0.0.1:8080/offers/1'))).toBe(true)
    expect(offerIsLoopbackHttp(by('http://issuer.example/offers/1'))).toBe(false)
    expect(offerIsLoopbackHttp(`openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: 'http://localhost:3000' }))}`)).toBe(true)
  })
})

describe('e2eid wallet receive (against the project issuer, in-process)', () => {
  it('receive OFFER_URI --tx-code CODE --json prints {"id","format"}; the credential persists for the next invocation', async () => {
    const issuer = await testIssuer()
    try {
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch: issuer.fetch })
      const { offer_uri, tx_code } = await issuer.offer('mimi_identity_sd_jwt', true)
      let c = capture()
      // --trust-issuer: secrets go to this issuer; it is remembered for the next invocations (issue 14 item 2).
      expect(await main(['wallet', 'receive', offer_uri, '--tx-code', tx_code!, '--json', '--trust-issuer', ISS], c.io)).toBe(0)
      const got = JSON.parse(c.out.join('')) as { id: string; format: string }
      expect(Object.keys(got).sort()).toEqual(['format', 'id'])
      expect(got.format).toBe('dc+sd-jwt')

      c = capture()
      expect(await main(['wallet', 'list'], c.io)).toBe(0)
      expect(c.out.join('')).toContain(got.id)

      // Without --json: just the id. Without the tx code: exit 1 with a stable code.
      const second = await issuer.offer('mimi_identity_sd_jwt', true)
      c = capture()
      expect(await main(['wallet', 'receive', second.offer_uri], c.io)).toBe(1)
      expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_TX_CODE_REQUIRED' } })
      // The issuer serves an offer by reference once (issue 14 item 5): retrying the same URI is refused, a new offer works.
      c = capture()
      expect(await main(['wallet', 'receive', second.offer_uri, '--tx-code', second.tx_code!], c.io)).toBe(1)
      // …and the wallet says so (issue 15: "already used", not a bare 404), with what to do.
      expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_OFFER_ALREADY_USED', message: expect.stringContaining('already used'), hint: expect.stringContaining('new one') } })
      const third = await issuer.offer('mimi_identity_sd_jwt', true)
      c = capture()
      expect(await main(['wallet', 'receive', third.offer_uri, '--tx-code', third.tx_code!], c.io)).toBe(0)
      expect(c.out.join('').trim()).toMatch(/^[0-9a-f]{32}$/)
    } finally {
      await issuer.close()
    }
  })

  it('SD-CWT: receive, present prints the KBT as hex, key-package prints an MLSMessage', async () => {
    const issuer = await testIssuer()
    try {
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir, E2EID_TRUSTED_ISSUERS: ISS }, fetch: issuer.fetch })
      const { offer_uri } = await issuer.offer('mimi_identity_sd_cwt')
      let c = capture()
      expect(await main(['wallet', 'receive', offer_uri, '--json'], c.io)).toBe(0)
      const { id, format } = JSON.parse(c.out.join('')) as { id: string; format: string }
      expect(format).toBe('application/sd-cwt')
      c = capture()
      expect(await main(['wallet', 'present', '--credential', id, '--disclose', 'handle,email', '--aud', 'https://rp.example', '--nonce', 'BEEF'], c.io)).toBe(0)
      const hex = c.out.join('').trim()
      expect(hex).toMatch(/^[0-9a-f]+$/)
      const keys = (await issuer.jwks()).map((k) => parsePublicJwk(k))
      const v = await verifySdCwtPresentation(hexDecode(hex), { issuerKeys: keys, provider, aud: 'https://rp.example', cnonce: hexDecode('beef') })
      expect(v.claims.get('email')).toBe('alice@example.com')
      expect(v.claims.has('name')).toBe(false)
      c = capture()
      expect(await main(['wallet', 'status', id], c.io)).toBe(0)
      expect(c.out.join('').trim()).toBe('valid')
      c = capture()
      expect(await main(['wallet', 'key-package', '--credential', id], c.io)).toBe(0)
      expect(c.out.join('').trim()).toMatch(/^00010005[0-9a-f]+$/)
    } finally {
      await issuer.close()
    }
  })

  it('respond OPENID4VP_URI: the project verifier accepts the presentation (--preview first)', async () => {
    const { createVerifierApp, createHttpClient, createTrustStore } = await import('@e2eid/verifier')
    const issuer = await testIssuer()
    try {
      const keys = (await issuer.jwks()).map((k) => parsePublicJwk(k))
      const verifier = createVerifierApp({
        publicUrl: 'https://verifier.example',
        trust: createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: 'https://issuer.example', sources: [{ type: 'keys', keys }] }] }),
        provider,
        policy: { requiredClaims: [['handle']], status: 'skip' },
        dcqlQuery: { credentials: [{ id: 'mimi', format: 'application/sd-cwt', meta: {}, claims: [{ path: ['handle'] }] }] },
      })
      const fetchAll: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input)
        return url.startsWith('https://verifier.example/') ? verifier.request(new Request(url, init)) : issuer.fetch(input, init)
      }
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir, E2EID_TRUSTED_ISSUERS: ISS }, fetch: fetchAll })
      let c = capture()
      expect(await main(['wallet', 'receive', (await issuer.offer('mimi_identity_sd_cwt')).offer_uri], c.io)).toBe(0)
      const created = (await (await verifier.request('/requests', { method: 'POST' })).json()) as { id: string; request_uri: string; result_token: string }
      c = capture()
      expect(await main(['wallet', 'respond', created.request_uri, '--preview'], c.io)).toBe(0)
      expect((JSON.parse(c.out.join('')) as { credentials: Array<{ disclosed: string[] }> }).credentials[0]!.disclosed).toEqual(['handle'])
      c = capture()
      expect(await main(['wallet', 'respond', created.request_uri], c.io)).toBe(0)
      expect(c.out.join('')).toContain('accepted')
      const result = (await (await verifier.request(`/results/${created.id}`, { headers: { authorization: `Bearer ${created.result_token}` } })).json()) as { status: string }
      expect(result.status).toBe('verified')
    } finally {
      await issuer.close()
    }
  })

  it('issue 15: status in the issuer\'s words (exit 1 when revoked or suspended); present, key-package and respond refuse such a credential unless --allow-revoked', async () => {
    const { createVerifierApp, createHttpClient, createTrustStore } = await import('@e2eid/verifier')
    const issuer = await testIssuer()
    try {
      const keys = (await issuer.jwks()).map((k) => parsePublicJwk(k))
      // The verifier skips status on purpose: whatever it sees, the wallet is what refuses here.
      const verifier = createVerifierApp({
        publicUrl: 'https://verifier.example',
        trust: createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: 'https://issuer.example', sources: [{ type: 'keys', keys }] }] }),
        provider,
        policy: { requiredClaims: [['handle']], status: 'skip' },
        dcqlQuery: { credentials: [{ id: 'mimi', format: 'application/sd-cwt', meta: {}, claims: [{ path: ['handle'] }] }] },
      })
      const fetchAll: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input)
        return url.startsWith('https://verifier.example/') ? verifier.request(new Request(url, init)) : issuer.fetch(input, init)
      }
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir, E2EID_TRUSTED_ISSUERS: ISS }, fetch: fetchAll })
      let c = capture()
      expect(await main(['wallet', 'receive', (await issuer.offer('mimi_identity_sd_cwt')).offer_uri, '--json'], c.io)).toBe(0)
      const { id } = JSON.parse(c.out.join('')) as { id: string }
      const present = ['wallet', 'present', '--credential', id, '--disclose', 'handle', '--aud', 'https://rp.example']
      const refusedWith = async (argv: string[], code: string): Promise<void> => {
        const r = capture()
        expect(await main(argv, r.io), r.out.join('')).toBe(1)
        expect(JSON.parse(r.out.join(''))).toMatchObject({ error: { code } })
      }

      await issuer.setAllStatus('suspended')
      c = capture()
      expect(await main(['wallet', 'status', id], c.io)).toBe(1)
      expect(c.out.join('').trim()).toBe('suspended')
      await refusedWith(present, 'ERR_WALLET_CREDENTIAL_SUSPENDED')
      await refusedWith(['wallet', 'key-package', '--credential', id], 'ERR_WALLET_CREDENTIAL_SUSPENDED')
      c = capture()
      expect(await main(['wallet', 'key-package', '--credential', id, '--allow-revoked'], c.io)).toBe(0)

      await issuer.setAllStatus('valid')
      c = capture()
      expect(await main(['wallet', 'status', id], c.io)).toBe(0)
      expect(c.out.join('').trim()).toBe('valid')
      c = capture()
      expect(await main(present, c.io)).toBe(0)
      expect(c.err.join('')).toBe('')

      // Revocation is final (the issuer refuses to reinstate): last.
      await issuer.setAllStatus('revoked')
      c = capture()
      expect(await main(['wallet', 'status', id], c.io)).toBe(1)
      expect(c.out.join('').trim()).toBe('revoked')
      c = capture()
      expect(await main(['wallet', 'status', id, '--json'], c.io)).toBe(1)
      expect(JSON.parse(c.out.join(''))).toMatchObject({ id, status: 'INVALID', state: 'revoked', value: 1 })
      await refusedWith(present, 'ERR_WALLET_CREDENTIAL_REVOKED')
      await refusedWith(['wallet', 'key-package', '--credential', id], 'ERR_WALLET_CREDENTIAL_REVOKED')
      const created = (await (await verifier.request('/requests', { method: 'POST' })).json()) as { id: string; request_uri: string; result_token: string }
      await refusedWith(['wallet', 'respond', created.request_uri], 'ERR_WALLET_CREDENTIAL_REVOKED')
      // Nothing was sent: the verifier still waits for an answer.
      const pending = (await (await verifier.request(`/results/${created.id}`, { headers: { authorization: `Bearer ${created.result_token}` } })).json()) as { status: string }
      expect(pending.status).toBe('pending')
      // The override: used anyway, with a warning on stderr.
      c = capture()
      expect(await main([...present, '--allow-revoked'], c.io)).toBe(0)
      expect(c.out.join('').trim()).toMatch(/^[0-9a-f]+$/)
      expect(c.err.join('')).toContain('is revoked by its issuer; used anyway (--allow-revoked)')
      c = capture()
      expect(await main(['wallet', 'respond', created.request_uri, '--allow-revoked'], c.io)).toBe(0)

    } finally {
      await issuer.close()
    }
  })

  it('receive of an authorization code offer: login URL on stderr, loopback redirect (RFC 8252), credential stored', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000)
    const redirect = `http://127.0.0.1:${port}/callback`
    const issuer = await testIssuer({ clients: { 'e2eid-cli': { redirect_uris: [redirect] } } })
    try {
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir, E2EID_TRUSTED_ISSUERS: ISS }, fetch: issuer.fetch })
      const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt', false, 'authorization_code')
      const c = capture()
      const done = main(['wallet', 'receive', offer_uri, '--redirect-uri', redirect, '--json'], c.io)
      // Play the browser: wait for the login URL, log in, follow the redirect to the CLI's loopback listener.
      let url: string | undefined
      for (let i = 0; i < 200 && url === undefined; i++) {
        url = /https:\/\/issuer\.example\/authorize\S+/.exec(c.err.join('\n'))?.[0]
        if (url === undefined) await new Promise((r) => setTimeout(r, 50))
      }
      expect(url).toBeDefined()
      const location = await issuer.login(url!)
      expect(location.startsWith(redirect)).toBe(true)
      const page = await fetch(location)
      expect(page.status).toBe(200)
      expect(await done).toBe(0)
      expect(JSON.parse(c.out.join(''))).toMatchObject({ format: 'dc+sd-jwt' })
    } finally {
      await issuer.close()
    }
  })

  it('attack (issue 14 item 2): an offer naming an untrusted issuer is refused when not interactive (ERR_WALLET_ISSUER_UNTRUSTED, no token request); the y/N prompt shows its origin; a yes is remembered', async () => {
    const issuer = await testIssuer()
    try {
      const paths: string[] = []
      const fetch: typeof globalThis.fetch = async (input, init) => {
        paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname)
        return issuer.fetch(input, init)
      }
      // Not interactive, nothing trusted: refused before any request to the issuer.
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch, ask: undefined })
      const { offer_uri_by_value, tx_code } = await issuer.offer('mimi_identity_sd_jwt', true)
      let c = capture()
      expect(await main(['wallet', 'receive', offer_uri_by_value, '--tx-code', tx_code!], c.io)).toBe(1)
      expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_ISSUER_UNTRUSTED' } })
      expect(paths).toEqual([])
      // Interactive: the question names the origin; "no" refuses, "yes" proceeds and is remembered.
      const questions: string[] = []
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch, ask: async (q) => (questions.push(q), false) })
      c = capture()
      expect(await main(['wallet', 'receive', offer_uri_by_value, '--tx-code', tx_code!], c.io)).toBe(1)
      expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_ISSUER_UNTRUSTED' } })
      expect(questions[0]).toContain(ISS)
      expect(paths).not.toContain('/token')
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch, ask: async (q) => (questions.push(q), true) })
      c = capture()
      expect(await main(['wallet', 'receive', offer_uri_by_value, '--tx-code', tx_code!], c.io)).toBe(0)
      expect(questions).toHaveLength(2)
      const next = await issuer.offer('mimi_identity_sd_jwt')
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch, ask: undefined })
      c = capture()
      expect(await main(['wallet', 'receive', next.offer_uri], c.io)).toBe(0)
    } finally {
      await issuer.close()
    }
  })

  it('E2EID_TRUSTED_ISSUERS (comma/space separated) trusts an issuer; a bad entry is ERR_WALLET_ISSUER_INVALID', async () => {
    const issuer = await testIssuer()
    try {
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir, E2EID_TRUSTED_ISSUERS: `https://a.example, ${ISS}` }, fetch: issuer.fetch, ask: undefined })
      let c = capture()
      expect(await main(['wallet', 'receive', (await issuer.offer('mimi_identity_sd_jwt')).offer_uri], c.io)).toBe(0)
      setWalletCommandDeps({ env: { E2EID_WALLET_DIR: dir }, fetch: issuer.fetch, ask: undefined })
      c = capture()
      expect(await main(['wallet', 'receive', (await issuer.offer('mimi_identity_sd_jwt')).offer_uri, '--trust-issuer', 'not a url'], c.io)).toBe(1)
      expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'ERR_WALLET_ISSUER_INVALID' } })
    } finally {
      await issuer.close()
    }
  })

  it('a separate process sees the same wallet (node cli/bin/e2eid.js, needs tsc -b)', async () => {
    const id = await seed()
    const bin = fileURLToPath(new URL('../../bin/e2eid.js', import.meta.url))
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'wallet', 'list', '--json'], { env: { ...process.env, E2EID_WALLET_DIR: dir } })
    expect((JSON.parse(stdout) as Array<{ id: string }>).map((c) => c.id)).toEqual([id])
  })
})
