/**
 * The serve commands' logging options: `--log-level` / `E2EID_LOG_LEVEL` (a bad level is a usage error), the
 * startup event and one line per request, and the database URL printed and logged without its password.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../main.js'
import { serveStartupText, setIssuerCommandDeps } from './issuer.js'
import { setLogDestination } from '../logging.js'
import { capture } from '../test-helpers/capture.js'
import { run as runUp } from './up.js'
import { mkdirSync, writeFileSync } from 'node:fs'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-serve-log-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => {
  setIssuerCommandDeps({})
  setLogDestination(undefined)
})

describe('issuer serve logging', () => {
  it('the startup lines show the database URL with its password redacted', () => {
    const text = serveStartupText({ url: 'http://127.0.0.1:8080', issuerUrl: 'http://127.0.0.1:8080', db: 'postgres://e2eid:Sup3rSecretPw@db.internal:5432/e2eid', adminTokenFile: null })
    expect(text).toContain('database: postgres://e2eid:***@db.internal:5432/e2eid')
    expect(text).not.toContain('Sup3rSecretPw')
  })

  it('a database that cannot be opened is named, its password redacted', async () => {
    const c = capture()
    setIssuerCommandDeps({ env: { E2EID_HOME: dir } })
    expect(await main(['issuer', 'serve', '--port', '0', '--db', 'postgres://e2eid:Sup3rSecretPw@127.0.0.1:1/e2eid'], c.io)).toBe(1)
    const err = c.json().error as { code: string; message: string; hint: string }
    expect(err.code).toBe('ERR_STORAGE_UNAVAILABLE')
    expect(err.message).toContain('postgres://e2eid:***@127.0.0.1:1/e2eid')
    expect(err.hint).toContain('--db')
    expect(c.out.join('') + c.err.join('')).not.toContain('Sup3rSecretPw')
  })

  it('--log-level info logs the startup event and one line per request; --log-level warn drops them', async () => {
    for (const level of ['info', 'warn']) {
      const lines: string[] = []
      setLogDestination({ write: (s) => void lines.push(s) })
      let stop!: () => void
      let started!: (url: string) => void
      const ready = new Promise<string>((r) => (started = r))
      setIssuerCommandDeps({
        env: { E2EID_HOME: join(dir, level) },
        stopSignal: (running) => {
          started(running.url)
          return new Promise<void>((r) => (stop = r))
        },
      })
      const served = main(['issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:', '--log-level', level], capture().io)
      const url = await ready
      expect((await fetch(`${url}/.well-known/openid-credential-issuer?x=1`, { headers: { 'x-request-id': 'test-req-1' } })).headers.get('x-request-id')).toBe('test-req-1')
      stop()
      expect(await served).toBe(0)
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
      if (level === 'info') {
        expect(records.find((r) => r.event === 'startup')).toMatchObject({ level: 'info', service: 'issuer', db: 'sqlite::memory:', url })
        expect(records.find((r) => r.msg === 'request')).toMatchObject({ request_id: 'test-req-1', method: 'GET', route: '/.well-known/openid-credential-issuer', status: 200 })
      } else {
        expect(records).toEqual([])
      }
    }
  })

  it('a bad --log-level or E2EID_LOG_LEVEL is a usage error (exit 2)', async () => {
    const c = capture()
    expect(await main(['issuer', 'serve', '--log-level', 'loud'], c.io)).toBe(2)
    expect(c.err.join('')).toContain('--log-level must be one of')
    setIssuerCommandDeps({ env: { E2EID_HOME: dir, E2EID_LOG_LEVEL: 'loud' } })
    const d = capture()
    expect(await main(['issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:'], d.io)).toBe(2)
    expect(d.err.join('')).toContain('E2EID_LOG_LEVEL must be one of')
    expect(await main(['verifier', 'serve', '--log-level', 'loud'], capture().io)).toBe(2)
    expect(await main(['up', '--log-level', 'loud'], capture().io)).toBe(2)
  })

  it('up logs the issuer and the verifier service, each line naming its service once', async () => {
    const lines: string[] = []
    setLogDestination({ write: (s) => void lines.push(s) })
    const page = join(dir, 'page')
    mkdirSync(page, { recursive: true })
    writeFileSync(join(page, 'index.html'), '<!doctype html><title>e2eid wallet</title>')
    const c = capture()
    const ac = new AbortController()
    const done = runUp(['--data', join(dir, 'up'), '--issuer-port', '0', '--verifier-port', '0', '--wallet-port', '0', '--wallet-root', page, '--log-level', 'info'], c.io, ac.signal)
    const started = Date.now()
    while (!c.out.join('\n').includes('Try it:') && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50))
    const verifierUrl = /^  verifier\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(c.out.join('\n'))![1]!
    expect((await fetch(`${verifierUrl}/requests`, { method: 'POST' })).status).toBe(201)
    ac.abort()
    expect(await done).toBe(0)
    for (const l of lines) expect(l.match(/"service":/g), l).toHaveLength(1)
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    // up itself adds the sample user and creates the offer over the issuer's admin API.
    expect(records.find((r) => r.service === 'issuer' && r.msg === 'request' && r.route === '/admin/offers')).toMatchObject({ status: 201 })
    expect(records.find((r) => r.service === 'verifier' && r.msg === 'request' && r.route === '/requests')).toMatchObject({ status: 201 })
  }, 90_000)
})
