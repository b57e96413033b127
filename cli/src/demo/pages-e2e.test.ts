/**
 * Issue 15, "try-by-hand and pages": the pages of `e2eid up` in Debian's Chromium (playwright-core, never a
 * downloaded browser): the verifier's home, request (QR code, open link, copy button run under the page's CSP)
 * and verdict pages (CWT labels named, dates readable, status list fetch time and cache), and the issuer's sign-in
 * page, in the wallet page's look. A revocation shows at the verifier after `up`'s 10 s status list ttl.
 * Screenshots: test-artifacts/verifier-pages/ and test-artifacts/issuer-login/.
 * Chromium: E2EID_CHROMIUM or /usr/bin/chromium; missing Chromium skips locally but FAILS when CI=true.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import { main } from '../main.js'
import { setWalletCommandDeps } from '../commands/wallet.js'
import { capture } from '../test-helpers/capture.js'
import { SAMPLE_USER, UP_STATUS_LIST_TTL, startUp } from './up-stack.js'
import type { RunningUp } from './up-stack.js'
import { WALLET_PAGE_CLIENT_ID } from './authority.js'

const CHROMIUM = process.env.E2EID_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/verifier-pages/', import.meta.url))
const LOGIN_ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/issuer-login/', import.meta.url))
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 })
const TIMEOUT = 90_000

const suite = existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip

suite('pages of e2eid up in Chromium (issue 15)', () => {
  let tmp: string
  let up: RunningUp | undefined
  let browser: BrowserContext | undefined
  let page: Page
  let adminToken: string
  const pageErrors: string[] = []
  const cspViolations: string[] = []

  const admin = async (path: string, body?: unknown): Promise<Response> =>
    fetch(`${up!.issuerUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const wallet = async (...argv: string[]): Promise<{ code: number; out: string }> => {
    const c = capture()
    const code = await main(['wallet', ...argv], c.io)
    return { code, out: c.out.join('\n') + c.err.join('\n') }
  }
  /** Clicks "New presentation request" on the verifier's home page; returns the request URI shown. */
  const newRequest = async (on: Page = page): Promise<string> => {
    await on.goto(`${up!.verifierUrl}/`)
    await on.getByRole('button', { name: 'New presentation request' }).click()
    await on.locator('#request-qr svg').waitFor()
    return (await on.locator('#request-uri').textContent()) ?? ''
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (CI=true: install it with apt-get install -y chromium, or set E2EID_CHROMIUM)`)
    tmp = mkdtempSync(join(tmpdir(), 'e2eid-pages-'))
    mkdirSync(ARTIFACTS, { recursive: true })
    mkdirSync(LOGIN_ARTIFACTS, { recursive: true })
    // A stand-in wallet page: its origin is what the issuer admits as a redirect_uri for the sign-in below.
    mkdirSync(join(tmp, 'page'))
    writeFileSync(join(tmp, 'page', 'index.html'), '<!doctype html><title>e2eid wallet</title>')
    up = await startUp({ dataDir: join(tmp, 'data'), issuerPort: 0, verifierPort: 0, walletPort: 0, walletPageRoot: join(tmp, 'page') })
    adminToken = readFileSync(up.adminTokenFile!, 'utf8').trim()
    setWalletCommandDeps({ env: { E2EID_WALLET_DIR: join(tmp, 'wallet'), E2EID_TRUSTED_ISSUERS: up.issuerUrl }, ask: undefined })
    browser = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 900 } })
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: up.verifierUrl })
    page = browser.pages()[0] ?? (await browser.newPage())
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
    })
  }, 240_000)

  afterAll(async () => {
    setWalletCommandDeps({})
    await browser?.close()
    await up?.close()
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true })
  })

  it('home and request pages: styled like the wallet page, QR code, "Open in a wallet" link, a copy button that works under the CSP', async () => {
    await page.goto(`${up!.verifierUrl}/`)
    expect(await page.locator('header.top h1').innerText()).toBe('e2eid verifier')
    // The wallet page's look: its header colour and card style are applied (the inline stylesheet is allowed).
    expect(await page.locator('header.top').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(22, 33, 58)')
    await page.screenshot({ path: join(ARTIFACTS, '01-home.png'), fullPage: true })

    const uri = await newRequest()
    expect(uri.startsWith('openid4vp://?')).toBe(true)
    expect(await page.locator('#open-in-wallet').getAttribute('href')).toBe(uri)
    expect(await page.locator('#request-qr svg').boundingBox()).toMatchObject({ width: expect.any(Number) })
    // The copy button is hidden without script: visible means the script ran (allowed by its hash).
    await page.locator('#copy-request').waitFor({ state: 'visible' })
    await page.locator('#copy-request').click()
    await poll(() => page.locator('#copy-request').innerText()).toBe('Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(uri)
    await page.screenshot({ path: join(ARTIFACTS, '02-request.png'), fullPage: true })
    expect(cspViolations).toEqual([])
    expect(pageErrors).toEqual([])
  }, TIMEOUT)

  it('verdict page: no open link any more, CWT labels named, dates readable, when the status list was fetched and whether from cache', async () => {
    const o = (await (await admin('/admin/offers', { user_id: SAMPLE_USER.id, credential_configuration_id: 'mimi_identity_sd_cwt', tx_code: false })).json()) as { offer_uri: string }
    const received = await wallet('receive', o.offer_uri)
    expect(received.code, received.out).toBe(0)

    const uri = await newRequest()
    // A second request in another tab, answered right after the first (well within up's 10 s ttl).
    const second = await browser!.newPage()
    const uri2 = await newRequest(second)
    const sent = await wallet('respond', uri)
    expect(sent.code, sent.out).toBe(0)
    expect((await wallet('respond', uri2)).code).toBe(0)
    // The page refreshes itself while pending, and this browser holds the request's result cookie.
    await page.locator('#verdict').waitFor({ timeout: 20_000 })
    expect(await page.locator('#verdict').innerText()).toBe('Verified')
    expect(await page.locator('#open-in-wallet').count()).toBe(0)
    expect(await page.locator('#request-qr').count()).toBe(0)
    const claims = page.locator('.claim-table')
    for (const [name, label] of [['iss', '1'], ['exp', '4'], ['iat', '6'], ['cnf', '8'], ['vct', '11'], ['status', '65535']]) {
      expect(await claims.locator('tr', { has: page.locator('.claim-name', { hasText: new RegExp(`^${name}$`) }) }).locator('.claim-label').innerText()).toBe(`label ${label}`)
    }
    const exp = await claims.locator('tr', { has: page.locator('.claim-name', { hasText: /^exp$/ }) }).locator('.claim-date').innerText()
    expect(exp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/)
    expect(await page.locator('dd', { hasText: 'list fetched' }).innerText()).toMatch(/valid list fetched \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(fresh\)/)
    await page.screenshot({ path: join(ARTIFACTS, '03-verdict-verified.png'), fullPage: true })

    // The second presentation, within the ttl: answered from the cached list, and its page says so.
    await second.locator('#verdict').waitFor({ timeout: 20_000 })
    expect(await second.locator('dd', { hasText: 'list fetched' }).innerText()).toContain('(from cache)')
    await second.screenshot({ path: join(ARTIFACTS, '04-verdict-from-cache.png'), fullPage: true })
    await second.close()

    // The JSON verdict says the same: when the list was fetched, and whether from the cache.
    const created = (await (await fetch(`${up!.verifierUrl}/requests`, { method: 'POST' })).json()) as { id: string; request_uri: string; result_token: string }
    expect((await wallet('respond', created.request_uri)).code).toBe(0)
    const verdict = (await (await fetch(`${up!.verifierUrl}/results/${created.id}`, { headers: { authorization: `Bearer ${created.result_token}` } })).json()) as { status: string; presentations: Array<{ status: { status: number; fromCache: boolean; fetchedAt: number; uri: string } }> }
    expect(verdict.status).toBe('verified')
    const st = verdict.presentations[0]!.status
    expect(st).toMatchObject({ status: 0, fromCache: expect.any(Boolean), uri: expect.stringMatching(/\/status-lists\//) })
    expect(Math.abs(st.fetchedAt - Date.now() / 1000)).toBeLessThan(UP_STATUS_LIST_TTL + 5)
    expect(cspViolations).toEqual([])
    expect(pageErrors).toEqual([])
  }, TIMEOUT)

  it(`a revocation shows at the verifier once up's ${UP_STATUS_LIST_TTL} s status list ttl has passed`, async () => {
    const creds = (await (await admin(`/admin/users/${SAMPLE_USER.id}/credentials`)).json()) as Array<{ id: string }>
    for (const c of creds) expect((await admin(`/admin/credentials/${c.id}/status`, { status: 'revoked' })).status).toBe(200)
    await new Promise((r) => setTimeout(r, (UP_STATUS_LIST_TTL + 1) * 1000))
    const uri = await newRequest()
    // The wallet itself refuses a revoked credential (issue 15); --allow-revoked sends it, and the verifier refuses it.
    const refused = await wallet('respond', uri)
    expect(refused.code, refused.out).toBe(1)
    expect(refused.out).toContain('ERR_WALLET_CREDENTIAL_REVOKED')
    const sent = await wallet('respond', uri, '--allow-revoked')
    expect(sent.code, sent.out).toBe(1)
    await page.locator('#verdict').waitFor({ timeout: 20_000 })
    expect(await page.locator('#verdict').innerText()).toBe('Rejected')
    expect(await page.locator('main').innerText()).toContain('ERR_STATUS_REVOKED')
    expect(await page.locator('#open-in-wallet').count()).toBe(0)
    await page.screenshot({ path: join(ARTIFACTS, '05-verdict-revoked.png'), fullPage: true })
  }, TIMEOUT)

  it("the issuer's sign-in page in the wallet page's look; a wrong password is said so", async () => {
    const verifier = randomBytes(32).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const walletOrigin = up!.walletUrl!
    const par = await fetch(`${up!.issuerUrl}/par`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ response_type: 'code', client_id: WALLET_PAGE_CLIENT_ID, redirect_uri: `${walletOrigin}/`, code_challenge: challenge, code_challenge_method: 'S256', scope: 'mimi_identity_sd_jwt' }),
    })
    expect(par.status, await par.clone().text()).toBe(201)
    const { request_uri } = (await par.json()) as { request_uri: string }
    const res = await page.goto(`${up!.issuerUrl}/authorize?client_id=${WALLET_PAGE_CLIENT_ID}&request_uri=${encodeURIComponent(request_uri)}`)
    expect(res?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    expect(await page.locator('header.top').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(22, 33, 58)')
    expect(await page.locator('.card h2').innerText()).toBe('Sign in')
    await page.screenshot({ path: join(LOGIN_ARTIFACTS, '01-sign-in.png'), fullPage: true })
    await page.getByLabel('User id').fill(SAMPLE_USER.id)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in and issue' }).click()
    await page.locator('[role=alert]').waitFor()
    await page.screenshot({ path: join(LOGIN_ARTIFACTS, '02-wrong-password.png'), fullPage: true })
    // Narrow (phone) screen: nothing sticks out sideways.
    await page.setViewportSize({ width: 390, height: 844 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: join(LOGIN_ARTIFACTS, '03-sign-in-narrow.png'), fullPage: true })
    await page.goto(`${up!.verifierUrl}/`)
    await newRequest()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: join(ARTIFACTS, '06-request-narrow.png'), fullPage: true })
    await page.setViewportSize({ width: 1000, height: 900 })
    expect(cspViolations).toEqual([])
  }, TIMEOUT)
})
