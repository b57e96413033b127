/**
 * One error style for every command (issue 15): a failure prints exactly one JSON object
 * `{"error":{"code","message","hint"?}}` on stdout and nothing on stderr, exit 1; a usage error prints the message
 * and the usage on stderr and nothing on stdout, exit 2. Raw Node errors become specific codes with hints: a port
 * in use, a missing file (named, with its flag), a refused connection (the URL fetched and why); an offer already
 * used says so; a wrong admin token is told apart from a missing one; an unknown configuration id lists the valid ids.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { E2eidError } from '@e2eid/shared'
import { main } from './main.js'
import { explainOfferRefusal, fetchError, toCliError } from './errors.js'
import { setIssuerCommandDeps } from './commands/issuer.js'
import { setWalletCommandDeps } from './commands/wallet.js'
import { capture } from './test-helpers/capture.js'
import { makeFixture } from '@e2eid/issuer/testing'
import type { Fixture } from '@e2eid/issuer/testing'

let dir: string
let f: Fixture
/** A loopback port nothing listens on (taken, then released). */
let closedPort: number
beforeAll(async () => {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  closedPort = (s.address() as AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => resolve()))
  dir = await mkdtemp(join(tmpdir(), 'e2eid-cli-errors-'))
  await writeFile(join(dir, 'claims.json'), JSON.stringify({ name: 'A' }))
  f = await makeFixture()
})
afterAll(async () => {
  await f.close()
  await rm(dir, { recursive: true, force: true })
})
afterEach(() => {
  setIssuerCommandDeps({})
  setWalletCommandDeps({})
})

/** Runs the CLI in-process; checks the failure contract and returns the error object. */
async function failure(argv: string[]): Promise<{ code: string; message: string; hint?: string }> {
  const c = capture()
  const exit = await main(argv, c.io)
  expect(exit, `${argv.join(' ')}: ${c.out.join('')}${c.err.join('')}`).toBe(1)
  expect(c.err, 'nothing on stderr').toEqual([])
  expect(c.out, 'exactly one stdout write').toHaveLength(1)
  const parsed = JSON.parse(c.out[0]!) as { error: { code: string; message: string; hint?: string } }
  expect(Object.keys(parsed)).toEqual(['error'])
  expect(parsed.error.code).toMatch(/^ERR_[A-Z0-9_]+$/)
  expect(typeof parsed.error.message).toBe('string')
  expect(parsed.error.message).not.toMatch(/^(ENOENT|fetch failed)/)
  return parsed.error
}

describe('failures: one JSON object on stdout, exit 1', () => {
  const missing = (): string => join(dir, 'does-not-exist.json')
  it.each([
    ['sd-cwt verify', () => ['sd-cwt', 'verify', '--kbt', missing(), '--issuer-key', missing(), '--aud', 'a'], '--kbt'],
    ['status-list decode', () => ['status-list', 'decode', '--token', missing()], '--token'],
    ['verify', () => ['verify', '--presentation', missing(), '--issuer-key', missing(), '--aud', 'a'], '--presentation'],
    ['verifier serve', () => ['verifier', 'serve', '--port', '0', '--config', missing()], '--config'],
    ['issuer serve', () => ['issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:', '--state-dir', dir, '--config', missing()], '--config'],
    ['issuer user add', () => ['issuer', 'user', 'add', '--id', 'a', '--claims', missing(), '--admin-token', 't'], '--claims'],
    ['issuer user add --password-file', () => ['issuer', 'user', 'add', '--id', 'a', '--claims', join(dir, 'claims.json'), '--password-file', missing(), '--admin-token', 't'], '--password-file'],
  ])('%s with a missing file: ERR_FILE_NOT_FOUND naming the file and the flag', async (_name, argv, flag) => {
    const err = await failure(argv())
    expect(err.code).toBe('ERR_FILE_NOT_FOUND')
    expect(err.message).toContain(missing())
    expect(err.hint).toContain(flag)
  })

  it('an admin command against a server that is not there names the URL fetched and the cause', async () => {
    const err = await failure(['issuer', 'credentials', '--user', 'a', '--url', `http://127.0.0.1:${closedPort}`, '--admin-token', 't'])
    expect(err.code).toBe('ERR_ISSUER_UNREACHABLE')
    expect(err.message).toContain(`http://127.0.0.1:${closedPort}/admin/users/a/credentials`)
    expect(err.message).toContain('ECONNREFUSED')
    expect(err.hint).toContain("is 'e2eid issuer serve' running there? else pass --url")
  })

  it('a wallet offer whose issuer is not there: the URL fetched and the cause, not a bare "fetch failed"', async () => {
    setWalletCommandDeps({ env: { E2EID_WALLET_DIR: join(dir, 'wallet') } })
    const err = await failure(['wallet', 'receive', `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`http://127.0.0.1:${closedPort}/offers/x`)}`])
    expect(err.message).toContain(`http://127.0.0.1:${closedPort}/offers/x`)
    expect(err.message).toContain('ECONNREFUSED')
    expect(err.hint).toBeDefined()
  })

  it('admin token: missing and wrong are told apart, each with what to do', async () => {
    const viaApp = (input: string | URL | Request, init?: RequestInit) => Promise.resolve(f.app.request(String(input), init))
    setIssuerCommandDeps({ fetch: viaApp as typeof fetch, env: { E2EID_HOME: join(dir, 'no-token-here') } })
    const missing = await failure(['issuer', 'keys', 'list'])
    expect(missing.code).toBe('ERR_ISSUER_ADMIN_TOKEN_MISSING')
    expect(missing.message).toContain('--admin-token')
    const wrong = await failure(['issuer', 'keys', 'list', '--admin-token', 'not-the-token'])
    expect(wrong).toMatchObject({ code: 'ERR_ISSUER_ADMIN_TOKEN_INVALID', message: 'wrong admin token' })
    expect(wrong.hint).toContain('admin-token')
    // The server tells them apart too: no Authorization header at all.
    const res = await f.app.request('/admin/keys')
    expect(res.status).toBe(401)
    expect(((await res.json()) as { code: string }).code).toBe('ERR_ISSUER_ADMIN_TOKEN_MISSING')
  })

  it('an unknown credential configuration id: the error lists the valid ids', async () => {
    const viaApp = (input: string | URL | Request, init?: RequestInit) => Promise.resolve(f.app.request(String(input), init))
    setIssuerCommandDeps({ fetch: viaApp as typeof fetch })
    expect(await main(['issuer', 'user', 'add', '--id', 'alice', '--claims', join(dir, 'claims.json'), '--admin-token', f.adminToken], capture().io)).toBe(0)
    const err = await failure(['issuer', 'offer', '--user', 'alice', '--config', 'nope', '--admin-token', f.adminToken])
    expect(err.code).toBe('ERR_ISSUER_UNKNOWN_CREDENTIAL_CONFIGURATION')
    expect(err.message).toContain('valid ids: mimi_identity_sd_cwt, mimi_identity_sd_jwt')
    expect(err.hint).toContain('--config')
  })
})

describe('usage errors: message and usage on stderr, nothing on stdout, exit 2', () => {
  it.each([
    [[]],
    [['nope']],
    [['issuer']],
    [['wallet']],
    [['sd-cwt']],
    [['verifier']],
    [['issuer', 'offer', '--config', 'x', '--admin-token', 't']],
    [['issuer', 'serve', '--port', 'x']],
    [['sd-cwt', 'verify']],
    [['status-list', 'decode']],
    [['verify']],
    [['verify', '--bogus']],
    [['wallet', 'receive']],
    [['verifier', 'serve', '--port', 'x']],
    [['verifier', 'serve', '--bogus']],
    [['up', '--issuer-port', 'x']],
    [['up', '--bogus']],
    [['demo', '--bogus']],
  ])('e2eid %j', async (argv) => {
    const c = capture()
    expect(await main(argv, c.io)).toBe(2)
    expect(c.out).toEqual([])
    expect(c.err.join('')).toMatch(/usage: e2eid/)
  })
})

describe('raw errors get a specific code and a hint', () => {
  it('EADDRINUSE → ERR_PORT_IN_USE naming the flag of that port', () => {
    const raw = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8081'), { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 8081 })
    expect(toCliError(raw).toJSON().error).toMatchObject({ code: 'ERR_PORT_IN_USE', message: 'port 8081 on 127.0.0.1 is already in use', hint: expect.stringContaining('--port') })
    expect(toCliError(raw, { portFlags: { 8081: '--verifier-port' } }).hint).toContain('--verifier-port')
  })

  it('a fetch failure says what was fetched, from where (redacted) and why', () => {
    const raw = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
    const e = fetchError(raw, 'https://user:pw@issuer.example/x', 'the metadata')
    expect(e.message).toBe('cannot fetch the metadata from https://user:***@issuer.example/x: ECONNREFUSED')
    expect(e.hint).toMatch(/is the server running/)
    expect(toCliError(raw).message).toBe('a network request failed: ECONNREFUSED')
  })

  it('URLs with a password in any error message are redacted', () => {
    expect(toCliError(new E2eidError('ERR_X', 'cannot open postgres://u:hunter2@db/x')).message).toBe('cannot open postgres://u:***@db/x')
    expect(toCliError(new Error('at postgres://u:hunter2@db/x')).message).not.toContain('hunter2')
  })

  it('an offer already used (its URI fetched, or its code redeemed) says "already used", not 404 or invalid_grant', () => {
    const fetchedTwice = new E2eidError(
      'ERR_WALLET_OFFER_INVALID',
      `credential offer could not be resolved: Fetching credential offer from 'https://i.example/offers/x' resulted in an unsuccessful response with status '410'\n{"error":"invalid_request","code":"ERR_ISSUER_OFFER_ALREADY_FETCHED"}`,
    )
    const redeemedTwice = new E2eidError('ERR_WALLET_TOKEN_FAILED', 'token request failed: invalid_grant: pre-authorized code was already used')
    const redeemedWithCode = new E2eidError('ERR_WALLET_TOKEN_FAILED', 'token request failed', { cause: { errorResponse: { error: 'invalid_grant', code: 'ERR_ISSUER_CODE_USED' } } })
    for (const e of [fetchedTwice, redeemedTwice, redeemedWithCode]) {
      const out = explainOfferRefusal(e) as E2eidError
      expect(out.code).toBe('ERR_WALLET_OFFER_ALREADY_USED')
      expect(out.message).toContain('already used')
      expect(out.hint).toContain('new one')
    }
    const gone = explainOfferRefusal(new E2eidError('ERR_WALLET_OFFER_INVALID', `... status '404'\n{"error":"not_found","code":"ERR_ISSUER_OFFER_NOT_FOUND"}`)) as E2eidError
    expect(gone.code).toBe('ERR_WALLET_OFFER_NOT_FOUND')
    expect(gone.message).toContain('already used')
    const other = new E2eidError('ERR_WALLET_CNF_REUSED', 'x')
    expect(explainOfferRefusal(other)).toBe(other)
  })
})
