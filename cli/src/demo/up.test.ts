/**
 * Issue 6, "try it by hand": `e2eid up` starts the issuer (embedded SQLite in --data DIR), the verifier service
 * and the wallet page, adds a sample user, prints the three URLs and a ready offer, and stops on a signal.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { run } from '../commands/up.js'
import type { CliIo } from '../io.js'
import { main } from '../main.js'

const dir = mkdtempSync(join(tmpdir(), 'e2eid-up-test-'))
// A page folder owned by this test: the real page's build (wallet/web-dist) is rebuilt by the wallet's own e2e test.
const pageRoot = join(dir, 'page')
mkdirSync(pageRoot, { recursive: true })
writeFileSync(join(pageRoot, 'index.html'), '<!doctype html><title>e2eid wallet</title>')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s) }
}

/** Starts `up` with port 0 everywhere; resolves once the banner is printed. */
async function startUp(io: ReturnType<typeof capture>, extra: string[] = []): Promise<{ stop: () => Promise<number>; text: string }> {
  const ac = new AbortController()
  const done = run(['--data', dir, '--issuer-port', '0', '--verifier-port', '0', '--wallet-port', '0', ...extra], io, ac.signal)
  const started = Date.now()
  while (!io.out.join('\n').includes('Try it:')) {
    const early = await Promise.race([done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 50))])
    if (early !== undefined) throw new Error(`up exited with ${early}: ${io.out.join('\n')} ${io.err.join('\n')}`)
    if (Date.now() - started > 60_000) throw new Error('up did not start')
  }
  return { text: io.out.join('\n'), stop: async () => (ac.abort(), done) }
}

function urlOf(text: string, label: string): string | undefined {
  return new RegExp(`^  ${label}\\s+(http://127\\.0\\.0\\.1:\\d+)`, 'm').exec(text)?.[1]
}

describe('e2eid up', () => {
  it('prints the three URLs and a ready offer; each URL answers; Ctrl-C (signal) stops everything', async () => {
    const io = capture()
    const { text, stop } = await startUp(io, ['--wallet-root', pageRoot])
    const issuer = urlOf(text, 'issuer')!
    const verifier = urlOf(text, 'verifier')!
    expect(issuer).toBeDefined()
    expect(verifier).toBeDefined()
    expect(existsSync(join(dir, 'issuer', 'issuer.sqlite'))).toBe(true)
    expect(existsSync(join(dir, 'issuer', 'admin-token'))).toBe(true)

    const meta = (await (await fetch(`${issuer}/.well-known/openid-credential-issuer`)).json()) as { credential_issuer: string }
    expect(meta.credential_issuer).toBe(issuer)
    expect((await fetch(`${verifier}/`)).status).toBe(200)
    const page = urlOf(text, 'wallet page')!
    expect(page).toBeDefined()
    const res = await fetch(`${page}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(await res.text()).toContain('<title>e2eid wallet</title>')
    // The page learns where the issuer and the verifier are.
    expect(await (await fetch(`${page}/config.json`)).json()).toEqual({ issuerUrl: issuer, verifierUrl: verifier })
    // The issuer admits the page's origin (CORS), so the page can run OpenID4VCI from the browser.
    const cors = await fetch(`${issuer}/.well-known/openid-credential-issuer`, { headers: { origin: page } })
    expect(cors.headers.get('access-control-allow-origin')).toBe(page)
    // So does the verifier service, for the page's OpenID4VP direct_post response.
    const vpCors = await fetch(`${verifier}/response`, { method: 'OPTIONS', headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(vpCors.headers.get('access-control-allow-origin')).toBe(page)

    // The offer is ready: by reference, on this issuer, for the sample user, with a tx_code and a QR code.
    const offerUri = /^ {2}(openid-credential-offer:\/\/\S+)$/m.exec(text)?.[1]
    expect(offerUri).toBeDefined()
    const ref = new URL(offerUri!).searchParams.get('credential_offer_uri')!
    expect(ref.startsWith(`${issuer}/offers/`)).toBe(true)
    const offer = (await (await fetch(ref)).json()) as { credential_issuer: string; credential_configuration_ids: string[]; grants: Record<string, { tx_code?: unknown }> }
    expect(offer.credential_issuer).toBe(issuer)
    expect(offer.credential_configuration_ids).toEqual(['mimi_identity_sd_jwt'])
    expect(offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']?.tx_code).toBeDefined()
    expect(text).toMatch(/transaction code \d{6}/)
    expect(text).toContain('█')
    expect(text).toContain('Sample user: alice (added now')
    // Issue 15: a short status list ttl, so that a revocation shows at the verifier within seconds.
    const issuerConfig = JSON.parse(readFileSync(join(dir, 'issuer', 'issuer-config.json'), 'utf8')) as { status_list_ttl: number }
    expect(issuerConfig.status_list_ttl).toBe(10)
    expect(text).toContain('the verifier sees it within 10 s')

    expect(await stop()).toBe(0)
    expect(io.out.join('\n')).toContain('e2eid up: stopped.')
    await expect(fetch(`${issuer}/.well-known/openid-credential-issuer`)).rejects.toThrow()
    await expect(fetch(`${verifier}/`)).rejects.toThrow()
    await expect(fetch(`${page}/`)).rejects.toThrow()
  }, 120_000)

  it('a second start on the same --data keeps the sample user; --no-wallet-page or a missing page is said so; bad options exit 2', async () => {
    const io = capture()
    const { text, stop } = await startUp(io, ['--no-wallet-page'])
    expect(text).toContain('Sample user: alice (from an earlier run')
    expect(text).toMatch(/wallet page {3}not started: disabled \(--no-wallet-page\)/)
    expect(await stop()).toBe(0)
    // A page that cannot be served does not stop the rest; the output says why.
    const io2 = capture()
    const second = await startUp(io2, ['--wallet-root', join(dir, 'no-such-page')])
    expect(second.text).toMatch(/wallet page {3}not started: the wallet page could not be served: .*not built/)
    expect(urlOf(second.text, 'issuer')).toBeDefined()
    expect(await second.stop()).toBe(0)
    const bad = capture()
    expect(await main(['up', '--issuer-port', 'x'], bad)).toBe(2)
    expect(bad.err.join('')).toContain('--issuer-port must be a port number')
  }, 120_000)
})
