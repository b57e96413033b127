/**
 * The wallet page's static server (issue 5 browser page; `e2eid up`): serves only the built folder on loopback,
 * with a CSP, `config.json` for the issuer/verifier URLs, no path escape, GET/HEAD only, and a clear error when
 * the page was never built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWalletPageServer } from './web-page.js'
import type { RunningWalletPage } from './web-page.js'

/** A raw request (fetch would normalise the path before sending it). */
function raw(url: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('startWalletPageServer', () => {
  let dir: string
  let server: RunningWalletPage
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2eid-page-'))
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true })
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>page</title>')
    writeFileSync(join(dir, 'dist', 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(dir, 'secret.txt'), 'outside the page folder')
    server = await startWalletPageServer({ port: 0, root: join(dir, 'dist'), issuerUrl: 'http://127.0.0.1:1' })
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('listens on loopback and serves the page with its security headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const index = await raw(server.url, '/')
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.body).toContain('<title>page</title>')
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    const js = await raw(server.url, '/assets/app.js')
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.body).toBe('console.log(1)')
  })

  it('tells the page where the issuer and verifier are (config.json), updatable once they are up', async () => {
    expect(JSON.parse((await raw(server.url, '/config.json')).body)).toEqual({ issuerUrl: 'http://127.0.0.1:1', verifierUrl: null })
    server.configure({ verifierUrl: 'http://127.0.0.1:2' })
    expect(JSON.parse((await raw(server.url, '/config.json')).body)).toEqual({ issuerUrl: 'http://127.0.0.1:1', verifierUrl: 'http://127.0.0.1:2' })
  })

  it('never serves files outside its folder, and refuses other methods', async () => {
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/nope.js', '/%E0%A4%A']) {
      const r = await raw(server.url, p)
      expect([400, 404], p).toContain(r.status)
      expect(r.body).not.toContain('outside the page folder')
    }
    expect((await raw(server.url, '/', 'POST')).status).toBe(405)
    const head = await raw(server.url, '/', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('refuses to start when the page was not built (ERR_WALLET_PAGE_NOT_BUILT)', async () => {
    await expect(startWalletPageServer({ port: 0, root: join(dir, 'missing') })).rejects.toMatchObject({ code: 'ERR_WALLET_PAGE_NOT_BUILT' })
  })
})
