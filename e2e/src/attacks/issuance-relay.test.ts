/**
 * Attack suite (issue 8), family "impersonation by relaying the victim's issuance": the unknown-key-share case of
 * the architecture's issuance step (specs/issuance-joint-pop.md). The provider relays the victim's OpenID4VCI traffic
 * (the victim's real wallet, @e2eid/wallet, talks to the real authority through the provider's relay) and tries to
 * end up with a credential that binds the victim's attributes to its own key, or its attributes to the victim's key.
 *
 * Why it fails: the access token is DPoP-bound to the victim wallet's DPoP key (RFC 9449), the c_nonce is bound to
 * that access token, and the attributes come only from the token's user. The HTTP-level versions (hand-made
 * requests, no wallet) are in issuer/src/credential/attacks.test.ts and issuer/src/http/error-paths.test.ts.
 *
 * Out of scope (documented, not tested as a refusal): a relay that terminates the wallet's TLS to the authority can
 * rewrite the body of the victim's credential request (DPoP signs method, URL and token, not the body) — that is a
 * broken TLS channel, not a protocol relay; the wallet only ever talks to the `credential_issuer` of the offer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultFormatHandlers } from '@e2eid/wallet'
import { memoryWallet } from '@e2eid/wallet/testing'
import { dpopProof, jwtProof } from '@e2eid/issuer/testing'
import type { AttackStack } from '../testkit/attack-stack.js'
import { ISSUER_URL, SD_CWT, SD_JWT, USERS, providerKey, refusal, startAttackStack } from '../testkit/attack-stack.js'

let s: AttackStack
beforeAll(async () => {
  s = await startAttackStack()
})
afterAll(async () => {
  await s.close()
})

interface Seen {
  path: string
  request: Request
  status: number
  body: string
}

/**
 * The provider's relay between the victim's wallet and the authority: it records every exchange, and may hold
 * (not forward yet) the first request to `holdPath` so that the provider can act before the victim's request lands.
 */
function relay(holdPath?: string) {
  const seen: Seen[] = []
  let release: (() => void) | undefined
  let held: Request | undefined
  const heldReady = new Promise<void>((resolve) => (release = resolve))
  let gate: Promise<void> | undefined
  let open: (() => void) | undefined
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    const path = new URL(req.url).pathname
    if (path === holdPath && held === undefined) {
      held = req.clone()
      gate = new Promise<void>((resolve) => (open = resolve))
      release?.()
      await gate
    }
    const copy = req.clone()
    const res = await s.issuerFetch(req)
    const body = await res.clone().text()
    seen.push({ path, request: copy, status: res.status, body })
    return res
  }
  return {
    fetch,
    seen,
    /** Resolves with the held request once the wallet sent it. */
    held: async (): Promise<Request> => (await heldReady, held!),
    /** Forwards the held request. */
    forward: () => open?.(),
  }
}

function accessTokenOf(seen: Seen[]): string {
  const t = seen.find((x) => x.path === '/token' && x.status === 200)
  if (t === undefined) throw new Error('no token response relayed')
  return (JSON.parse(t.body) as { access_token: string }).access_token
}

async function credentialsOf(user: string): Promise<unknown[]> {
  return (await (await s.admin('GET', `/admin/users/${user}/credentials`)).json()) as unknown[]
}

/** The provider's own session at the authority (its own account, its own DPoP key): token and c_nonce. */
async function providerSession(dpop: Awaited<ReturnType<typeof providerKey>>): Promise<{ token: string; nonce: string }> {
  const offer = await s.offer('mallory', SD_CWT)
  const code = (JSON.parse(new URL(offer.offer_uri_by_value).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]!['pre-authorized_code']!
  const tr = await s.app.request('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpopProof(s.provider, dpop, 'POST', `${ISSUER_URL}/token`, { iat: s.clock.now }) },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString(),
  })
  const token = ((await tr.json()) as { access_token: string }).access_token
  const n = await s.app.request('/nonce', { method: 'POST', headers: { authorization: `DPoP ${token}`, dpop: await dpopProof(s.provider, dpop, 'POST', `${ISSUER_URL}/nonce`, { iat: s.clock.now, accessToken: token }) } })
  return { token, nonce: ((await n.json()) as { c_nonce: string }).c_nonce }
}

async function credentialRequest(token: string, dpop: Awaited<ReturnType<typeof providerKey>>, proof: string, configuration = SD_CWT): Promise<{ status: number; error?: string; code?: string }> {
  const r = await s.app.request('/credential', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `DPoP ${token}`, dpop: await dpopProof(s.provider, dpop, 'POST', `${ISSUER_URL}/credential`, { iat: s.clock.now, accessToken: token }) },
    body: JSON.stringify({ credential_configuration_id: configuration, proofs: { jwt: [proof] } }),
  })
  const body = (await r.json()) as { error?: string; code?: string }
  return { status: r.status, ...body }
}

describe('attack: unknown-key-share by relaying the victim\'s issuance (provider key + victim attributes)', () => {
  it('attack: the provider redeems the victim\'s relayed offer itself: without the tx_code → ERR_WALLET_TX_CODE_REQUIRED; guesses lock the code (ERR_ISSUER_TX_CODE_LOCKED) and nobody gets a credential', async () => {
    const offer = await s.offer('alice', SD_JWT, true)
    const before = (await credentialsOf('alice')).length
    const providerWallet = memoryWallet(defaultFormatHandlers({ provider: s.provider }), { provider: s.provider, fetch: s.issuerFetch, now: () => s.clock.now * 1000, trustedIssuers: [ISSUER_URL] })
    expect(await refusal(providerWallet.receive(offer.offer_uri))).toBe('ERR_WALLET_TX_CODE_REQUIRED')
    const guesses = ['000000', '123456', '999999'].filter((g) => g !== offer.tx_code)
    // The offer by reference is served once (issue 14 item 5): the provider already has its contents, so it guesses with them.
    expect(await refusal(providerWallet.receive(offer.offer_uri, { txCode: guesses[0]! }))).toBe('ERR_WALLET_OFFER_INVALID')
    for (const g of guesses.slice(0, 3)) expect(await refusal(providerWallet.receive(offer.offer_uri_by_value, { txCode: g }))).toBe('ERR_WALLET_TOKEN_FAILED')
    // After max_tx_code_failures (3) even the right code is refused: the pre-authorized code is dead.
    const locked = await s.app.request('/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpopProof(s.provider, await providerKey(s), 'POST', `${ISSUER_URL}/token`, { iat: s.clock.now }) },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': (JSON.parse(new URL(offer.offer_uri_by_value).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code']!,
        tx_code: offer.tx_code!,
      }).toString(),
    })
    expect(locked.status).toBe(400)
    expect(await locked.json()).toMatchObject({ error: 'invalid_grant', code: 'ERR_ISSUER_TX_CODE_LOCKED' })
    // The victim's own wallet learns it (the offer no longer works) instead of silently sharing an identity.
    const victim = memoryWallet(defaultFormatHandlers({ provider: s.provider }), { provider: s.provider, fetch: s.issuerFetch, now: () => s.clock.now * 1000, trustedIssuers: [ISSUER_URL] })
    expect(await refusal(victim.receive(offer.offer_uri, { txCode: offer.tx_code! }))).toBe('ERR_WALLET_OFFER_INVALID')
    expect(await refusal(victim.receive(offer.offer_uri_by_value, { txCode: offer.tx_code! }))).toBe('ERR_WALLET_TOKEN_FAILED')
    expect((await credentialsOf('alice')).length).toBe(before)
  })

  it('attack: the provider relays the victim\'s issuance, holds the credential request and sends its own proof key with the victim\'s access token → invalid_dpop_proof; the victim still gets a credential on its own key', async () => {
    const r = relay('/credential')
    const victim = memoryWallet(defaultFormatHandlers({ provider: s.provider }), { provider: s.provider, fetch: r.fetch, now: () => s.clock.now * 1000, trustedIssuers: [ISSUER_URL] })
    const offer = await s.offer('alice', SD_CWT)
    const receiving = victim.receive(offer.offer_uri)
    const held = await r.held()
    const victimToken = accessTokenOf(r.seen)
    const nonceSeen = r.seen.find((x) => x.path === '/nonce')
    const cNonce = (JSON.parse(nonceSeen!.body) as { c_nonce: string }).c_nonce
    const mallory = await providerKey(s)
    const ownProof = await jwtProof(s.provider, mallory, { nonce: cNonce, iat: s.clock.now })
    // Its own DPoP key with the victim's token: the token is bound to the victim's DPoP key (cnf.jkt).
    expect(await credentialRequest(victimToken, mallory, ownProof)).toMatchObject({ status: 401, error: 'invalid_dpop_proof' })
    // A fresh c_nonce for the victim's token is refused to it as well.
    const n = await s.app.request('/nonce', { method: 'POST', headers: { authorization: `DPoP ${victimToken}`, dpop: await dpopProof(s.provider, mallory, 'POST', `${ISSUER_URL}/nonce`, { iat: s.clock.now, accessToken: victimToken }) } })
    expect(n.status).toBe(401)
    // Replaying the victim's captured DPoP proof of the held request with another body: the jti is single use, so
    // only one of the two requests can pass; the provider's refused attempts consumed nothing of the victim's.
    r.forward()
    const [credential] = await receiving
    expect(credential).toBeDefined()
    const key = await victim.keys.publicJwk(credential!.keyId)
    // The credential names the victim's wallet key, and the victim's attributes.
    expect(credential!.claims['2'] ?? credential!.claims.sub).toBe(USERS.alice.sub)
    expect(JSON.stringify(credential!.claims)).toContain(key.x)
    expect(held.headers.get('authorization')).toBe(`DPoP ${victimToken}`)
  })
})

describe('attack: unknown-key-share by relaying the victim\'s proof (victim key + provider attributes)', () => {
  it('attack: the provider replays the victim\'s held proof (victim key) in its own session, with its own access token → invalid_nonce (ERR_ISSUER_NONCE_INVALID); the victim\'s request then succeeds', async () => {
    const r = relay('/credential')
    const victim = memoryWallet(defaultFormatHandlers({ provider: s.provider }), { provider: s.provider, fetch: r.fetch, now: () => s.clock.now * 1000, trustedIssuers: [ISSUER_URL] })
    const offer = await s.offer('alice', SD_CWT)
    const receiving = victim.receive(offer.offer_uri)
    const held = await r.held()
    const victimProof = ((await held.clone().json()) as { proofs: { jwt: string[] } }).proofs.jwt[0]!
    const dpop = await providerKey(s)
    const own = await providerSession(dpop)
    const before = (await credentialsOf('mallory')).length
    const attempt = await credentialRequest(own.token, dpop, victimProof)
    expect(attempt).toMatchObject({ status: 400, error: 'invalid_nonce' })
    expect(attempt.code).toMatch(/^ERR_ISSUER_NONCE_/)
    expect((await credentialsOf('mallory')).length).toBe(before)
    // Control: a proof by the provider's own key over its own c_nonce works (the refusal was about the binding).
    expect((await credentialRequest(own.token, dpop, await jwtProof(s.provider, dpop, { nonce: own.nonce, iat: s.clock.now }))).status).toBe(200)
    r.forward()
    const [credential] = await receiving
    expect(credential!.claims['2'] ?? credential!.claims.sub).toBe(USERS.alice.sub)
  })

  it('attack: the provider cannot obtain a c_nonce bound to the victim\'s token without the victim\'s DPoP key, and a Bearer use of the DPoP-bound token is refused (invalid_token)', async () => {
    const r = relay()
    const victim = memoryWallet(defaultFormatHandlers({ provider: s.provider }), { provider: s.provider, fetch: r.fetch, now: () => s.clock.now * 1000, trustedIssuers: [ISSUER_URL] })
    const offer = await s.offer('bob', SD_JWT)
    await victim.receive(offer.offer_uri)
    const token = accessTokenOf(r.seen)
    const bearer = await s.app.request('/nonce', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(bearer.status).toBe(401)
    expect(((await bearer.json()) as { error: string }).error).toMatch(/invalid_token|invalid_dpop_proof/)
  })
})

