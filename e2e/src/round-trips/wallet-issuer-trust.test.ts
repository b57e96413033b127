/**
 * Issue 14 item 2, "tx_code relay": the provider rewrites Alice's offer so that `credential_issuer` names its own
 * server, which would collect the pre-authorized code and the tx_code Alice types and redeem both at the real
 * authority with its own key. The attacker here is a real loopback Hono server that serves the real issuer's
 * metadata rewritten to its own origin and records every request. The wallet must send it nothing secret unless
 * the user trusts it (configured list, persisted list, or confirmation).
 */
import { serve } from '@hono/node-server'
import type { ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSdJwtVcHandler, ensureIssuerTrusted } from '@e2eid/wallet'
import { memoryWallet } from '@e2eid/wallet/testing'
import { ISSUER, testIssuer } from '@e2eid/issuer/testing'

let issuer: Awaited<ReturnType<typeof testIssuer>>
let attacker: { origin: string; seen: Array<{ method: string; path: string; body: string }>; server: ServerType }

/** The attacker: a relay of the real issuer's metadata under its own origin, recording what it receives. */
async function startAttacker(): Promise<typeof attacker> {
  const seen: Array<{ method: string; path: string; body: string }> = []
  const app = new Hono()
  let origin = ''
  app.all('*', async (c) => {
    const url = new URL(c.req.url)
    seen.push({ method: c.req.method, path: url.pathname, body: await c.req.text() })
    if (c.req.method === 'GET' && url.pathname.startsWith('/.well-known/')) {
      const real = await issuer.fetch(`${ISSUER}${url.pathname}`)
      // Every URL of the real metadata now points at the attacker (token endpoint included).
      return new Response((await real.text()).replaceAll(ISSUER, origin), { status: real.status, headers: { 'content-type': 'application/json' } })
    }
    return c.json({ error: 'invalid_grant' }, 400)
  })
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, seen, server }
}

/** Alice's real offer with `credential_issuer` rewritten to the attacker (by value, as a provider relays it). */
function rewritten(offerByValue: string, to: string): { uri: string; preAuthorizedCode: string } {
  const o = JSON.parse(new URL(offerByValue).searchParams.get('credential_offer')!) as { credential_issuer: string; grants: Record<string, { 'pre-authorized_code': string }> }
  o.credential_issuer = to
  return {
    uri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(o))}`,
    preAuthorizedCode: o.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'],
  }
}

/** The wallet's HTTP: the real issuer in-process, anything else over the network (the loopback attacker). */
const walletFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input)
  return url.startsWith(`${ISSUER}/`) ? issuer.fetch(input, init) : globalThis.fetch(input, init)
}

beforeEach(async () => {
  issuer = await testIssuer()
  attacker = await startAttacker()
})
afterEach(async () => {
  await new Promise((resolve) => attacker.server.close(resolve))
  await issuer.close()
})

function leaked(secrets: string[]): boolean {
  return attacker.seen.some((r) => secrets.some((s) => r.body.includes(s) || r.path.includes(s)))
}

describe('attack: tx_code relay through a rewritten credential offer (issue 14 item 2)', () => {
  it('attack: offer rewritten to the provider\'s issuer → ERR_WALLET_ISSUER_UNTRUSTED; the attacker receives neither the pre-authorized code nor the tx_code (no request at all); Alice then redeems at the real issuer', async () => {
    const offer = await issuer.offer('mimi_identity_sd_jwt', true)
    const evil = rewritten(offer.offer_uri_by_value, attacker.origin)
    const wallet = memoryWallet([createSdJwtVcHandler()], { fetch: walletFetch, trustedIssuers: [ISSUER] })
    await expect(wallet.receive(evil.uri, { txCode: offer.tx_code!, allowInsecureUrls: true })).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_UNTRUSTED' })
    expect(leaked([evil.preAuthorizedCode, offer.tx_code!])).toBe(false)
    expect(attacker.seen).toEqual([])
    expect(await wallet.trustedIssuers()).toEqual([ISSUER])
    // The codes were not burnt: the real offer still works.
    const [cred] = await wallet.receive(offer.offer_uri, { txCode: offer.tx_code! })
    expect(cred!.issuer).toBe(ISSUER)
  })

  it('attack: the user is shown the attacker\'s origin and declines → ERR_WALLET_ISSUER_UNTRUSTED, nothing sent, nothing remembered', async () => {
    const offer = await issuer.offer('mimi_identity_sd_jwt', true)
    const evil = rewritten(offer.offer_uri_by_value, attacker.origin)
    const wallet = memoryWallet([createSdJwtVcHandler()], { fetch: walletFetch, trustedIssuers: [ISSUER] })
    const asked: Array<{ issuer: string; origin: string }> = []
    const confirmIssuer = async (i: { issuer: string; origin: string }) => (asked.push(i), false)
    await expect(wallet.receive(evil.uri, { txCode: offer.tx_code!, allowInsecureUrls: true, confirmIssuer })).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_UNTRUSTED' })
    expect(asked).toEqual([{ issuer: attacker.origin, origin: attacker.origin }])
    expect(leaked([evil.preAuthorizedCode, offer.tx_code!])).toBe(false)
    expect(await wallet.trustedIssuers()).toEqual([ISSUER])
  })

  it('control: with the user\'s confirmation the wallet does send to the rewritten issuer (the check is what stops it)', async () => {
    const offer = await issuer.offer('mimi_identity_sd_jwt', true)
    const evil = rewritten(offer.offer_uri_by_value, attacker.origin)
    const wallet = memoryWallet([createSdJwtVcHandler()], { fetch: walletFetch })
    await expect(wallet.receive(evil.uri, { txCode: offer.tx_code!, allowInsecureUrls: true, confirmIssuer: async () => true })).rejects.toMatchObject({ code: 'ERR_WALLET_TOKEN_FAILED' })
    expect(leaked([evil.preAuthorizedCode])).toBe(true)
    expect(leaked([offer.tx_code!])).toBe(true)
  })
})

describe('trusted issuers (configured, persisted, confirmed)', () => {
  it('an unknown real issuer is confirmed once (origin shown), the receipt proceeds, and it is remembered', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { fetch: issuer.fetch })
    const asked: string[] = []
    const confirmIssuer = async (i: { issuer: string; origin: string }) => (asked.push(i.origin), true)
    const first = await issuer.offer('mimi_identity_sd_jwt', true)
    const [cred] = await wallet.receive(first.offer_uri, { txCode: first.tx_code!, confirmIssuer })
    expect(cred!.issuer).toBe(ISSUER)
    expect(asked).toEqual([ISSUER])
    expect(await wallet.trustedIssuers()).toEqual([ISSUER])
    const second = await issuer.offer('mimi_identity_sd_jwt', true)
    const [ok] = await wallet.receive(second.offer_uri, { txCode: second.tx_code!, confirmIssuer })
    expect(ok!.issuer).toBe(ISSUER)
    expect(asked).toEqual([ISSUER])
  })

  it('persisted trust survives a new Wallet on the same store; untrustIssuer forgets it', async () => {
    const a = memoryWallet([createSdJwtVcHandler()], { fetch: issuer.fetch })
    await a.trustIssuer(ISSUER)
    const { Wallet } = await import('@e2eid/wallet')
    const b = new Wallet({ db: a.db, handlers: [createSdJwtVcHandler()], fetch: issuer.fetch })
    expect(await b.trustedIssuers()).toEqual([ISSUER])
    const offer = await issuer.offer('mimi_identity_sd_jwt')
    expect(await b.receive(offer.offer_uri)).toHaveLength(1)
    await b.untrustIssuer(ISSUER)
    await expect(b.receive((await issuer.offer('mimi_identity_sd_jwt')).offer_uri)).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_UNTRUSTED' })
  })

  it('issuers compare by exact identifier: a look-alike host or another path is not trusted', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER] })
    for (const other of ['https://issuer.example.attacker.test', 'https://issuer.example/other', 'http://issuer.example', 'https://issuer.example:8443']) {
      await expect(ensureIssuerTrusted(wallet.db, other, [ISSUER], undefined)).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_UNTRUSTED' })
    }
    await expect(ensureIssuerTrusted(wallet.db, ISSUER, [ISSUER], undefined)).resolves.toBeUndefined()
  })

  it('trustIssuer refuses what is not a Credential Issuer Identifier (ERR_WALLET_ISSUER_INVALID)', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()])
    for (const bad of ['issuer.example', 'ftp://issuer.example', 'https://issuer.example/?a=1', 'https://issuer.example/#x', 'https://u:p@issuer.example']) {
      await expect(wallet.trustIssuer(bad)).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_INVALID' })
    }
    expect(await wallet.trustedIssuers()).toEqual([])
  })

  it('§12.2.2: metadata whose credential_issuer differs from the offer\'s is refused (ERR_WALLET_METADATA_INVALID) before any token request', async () => {
    const paths: string[] = []
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      paths.push(new URL(url).pathname)
      const res = await issuer.fetch(input, init)
      if (!url.endsWith('/.well-known/openid-credential-issuer')) return res
      const body = (await res.json()) as Record<string, unknown>
      return Response.json({ ...body, credential_issuer: 'https://other.example' })
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { fetch, trustedIssuers: [ISSUER] })
    await expect(wallet.receive((await issuer.offer('mimi_identity_sd_jwt')).offer_uri)).rejects.toMatchObject({ code: 'ERR_WALLET_METADATA_INVALID' })
    expect(paths).not.toContain('/token')
  })
})
