/**
 * Serve commands fail fast: a startup error (a refused issuer URL, a port in use) ends the process at once with a
 * non-zero exit code, instead of printing the error and keeping a listening socket (and the process) alive.
 * Runs the built CLI as a process (needs `npx tsc -b`), since only a process shows what keeps the event loop alive.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../../bin/e2eid.js', import.meta.url))
let home: string

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'e2eid-cli-fail-fast-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

/** Runs the CLI; resolves with its exit code and output, or with code 'still running' if it outlives `limitMs`. */
function runCli(args: string[], limitMs = 20_000): Promise<{ code: number | null | 'still running'; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, E2EID_HOME: home, E2EID_ADMIN_TOKEN: 'fail-fast-test-admin-token-0123456789abcdef' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const t = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ code: 'still running', out })
    }, limitMs)
    child.once('exit', (code) => {
      clearTimeout(t)
      resolve({ code, out })
    })
  })
}

describe('serve commands exit non-zero at once on a startup error', () => {
  it('issuer serve --issuer-url http://example.com (http off loopback is refused)', async () => {
    const r = await runCli(['issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:', '--issuer-url', 'http://example.com'])
    expect(r.code).toBe(1)
    expect(r.out).toContain('https')
  })

  it('issuer serve --config with the same refused issuer_url', async () => {
    const config = join(home, 'issuer.json')
    await writeFile(config, JSON.stringify({ issuer_url: 'http://example.com' }))
    const r = await runCli(['issuer', 'serve', '--port', '0', '--config', config])
    expect(r.code).toBe(1)
  })

  it('issuer serve --config FILE that does not exist: ERR_FILE_NOT_FOUND naming the file and --config', async () => {
    const missing = join(home, 'no-such-issuer.json')
    const r = await runCli(['issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:', '--config', missing])
    expect(r.code).toBe(1)
    const err = JSON.parse(r.out.trim()) as { error: { code: string; message: string; hint?: string } }
    expect(err.error).toMatchObject({ code: 'ERR_FILE_NOT_FOUND' })
    expect(err.error.message).toContain(missing)
    expect(err.error.hint).toContain('--config')
  })

  it('verifier serve with a missing, a non-JSON and an invalid config file', async () => {
    const missing = await runCli(['verifier', 'serve', '--port', '0', '--config', join(home, 'no-such-verifier.json')])
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.out.trim())).toMatchObject({ error: { code: 'ERR_FILE_NOT_FOUND' } })
    const notJson = join(home, 'verifier-not-json.json')
    await writeFile(notJson, '{bad')
    const bad = await runCli(['verifier', 'serve', '--port', '0', '--config', notJson])
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.out.trim())).toMatchObject({ error: { code: 'ERR_VERIFY_CONFIG_INVALID' } })
    const invalid = join(home, 'verifier-invalid.json')
    await writeFile(invalid, JSON.stringify({ authorities: 'x' }))
    const inv = await runCli(['verifier', 'serve', '--port', '0', '--config', invalid])
    expect(inv.code).toBe(1)
    expect(JSON.parse(inv.out.trim())).toMatchObject({ error: { code: 'ERR_VERIFY_CONFIG_INVALID' } })
  })

  it('up exits at once when any of its three ports is in use, naming the flag to change', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = String((blocker.address() as AddressInfo).port)
    try {
      for (const flag of ['--issuer-port', '--verifier-port', '--wallet-port']) {
        const ports = { '--issuer-port': '0', '--verifier-port': '0', '--wallet-port': '0', [flag]: port }
        const r = await runCli(['up', '--data', join(home, `up-${flag.slice(2)}`), ...Object.entries(ports).flat()])
        expect(r.code, `${flag}: ${r.out}`).toBe(1)
        const err = JSON.parse(r.out.trim().split('\n').at(-1)!) as { error: { code: string; hint?: string } }
        expect(err.error.code).toBe('ERR_PORT_IN_USE')
        expect(err.error.hint).toContain(flag)
      }
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  }, 90_000)

  it('issuer serve and verifier serve on a port in use', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = String((blocker.address() as AddressInfo).port)
    try {
      const issuer = await runCli(['issuer', 'serve', '--port', port, '--db', 'sqlite::memory:'])
      expect(issuer.code).toBe(1)
      expect(JSON.parse(issuer.out.trim())).toMatchObject({ error: { code: 'ERR_PORT_IN_USE', hint: expect.stringContaining('--port') } })
      const verifier = await runCli(['verifier', 'serve', '--port', port])
      expect(verifier.code).toBe(1)
      expect(JSON.parse(verifier.out.trim())).toMatchObject({ error: { code: 'ERR_PORT_IN_USE', hint: expect.stringContaining('--port') } })
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})

describe('serve options for containers', () => {
  it('issuer serve takes its public identifier from E2EID_ISSUER_URL (refused here: http off loopback)', async () => {
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'issuer', 'serve', '--port', '0', '--db', 'sqlite::memory:'], {
        env: { ...process.env, E2EID_HOME: home, E2EID_ISSUER_URL: 'http://issuer.example', E2EID_ADMIN_TOKEN: 'fail-fast-test-admin-token-0123456789abcdef' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (out += d.toString()))
      child.once('exit', (code) => resolve({ code, out }))
    })
    expect(r.code).toBe(1)
    expect(r.out).toContain('https')
  })

  it('verifier serve --host binds the given interface', async () => {
    const child = spawn(process.execPath, [bin, 'verifier', 'serve', '--port', '0', '--host', '127.0.0.2'], { env: { ...process.env, E2EID_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] })
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
      })
      expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/)
      expect((await fetch(`${url}/`)).status).toBe(200)
    } finally {
      child.kill('SIGTERM')
    }
  })
})
