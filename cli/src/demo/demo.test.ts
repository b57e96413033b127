/**
 * Issue 6, "the main job": `e2eid demo` (= `npm start`) runs the whole story in-process and every verdict
 * of it is asserted here from the structured result (`--json`), not by grepping the text.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { mlsKeyPackageAudience } from '@e2eid/shared'
import { main } from '../main.js'
import type { CliIo } from '../io.js'
import { DEMO_MEMBERS, DEMO_SERVICE, runDemo } from './story.js'
import { isAllowedVerifierPath } from './request-log.js'
import { jsonResult, renderSummary, wrap } from './render.js'
import type { DemoResult, LoggedRequest, Verdict } from './types.js'
import { VerdictBook, outcomeCode } from './verdicts.js'

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s) }
}

interface JsonResult {
  ok: boolean
  elapsed_ms: number
  issuer_url: string
  verdicts: Verdict[]
  verifier_requests: Record<string, number>
  requests: LoggedRequest[]
  error?: unknown
}

describe('e2eid demo: the whole story (issue 6)', () => {
  it('--json: every expected verdict happened, exit 0, in under a minute', async () => {
    const io = capture()
    const code = await main(['demo', '--json'], io)
    const r = JSON.parse(io.out.join('')) as JsonResult
    expect(r.error).toBeUndefined()
    expect(code).toBe(0)
    expect(r.ok).toBe(true)
    expect(r.elapsed_ms).toBeLessThan(60_000)
    const v = (id: string): Verdict => {
      const found = r.verdicts.find((x) => x.id === id)
      if (found === undefined) throw new Error(`no verdict ${id}`)
      return found
    }
    for (const x of r.verdicts) expect(x.ok, `${x.id}: expected ${x.expected}, got ${x.actual}`).toBe(true)
    expect(r.verdicts.map((x) => x.id)).toEqual([
      'issuance:alice', 'issuance:bob', 'issuance:carol',
      'group:formed',
      'verify:alice->bob', 'verify:alice->carol', 'verify:bob->alice', 'verify:bob->carol', 'verify:carol->alice', 'verify:carol->bob',
      'message:alice->bob', 'message:alice->carol',
      'rotate:bob-seen-by-alice', 'rotate:bob-seen-by-carol',
      'attack:impersonation', 'attack:impersonation-keypackage-check', 'attack:untrusted-authority',
      'revoke:carol', 'status:recheck-by-alice', 'status:recheck-by-bob', 'status:fresh-list-fetched', 'remove:carol',
      'network:verifier-requests',
    ])

    // Issuance: each member over OpenID4VCI with its own wallet; mixed formats; Alice's offer had a tx_code.
    expect(JSON.parse(v('issuance:alice').actual)).toMatchObject({ count: 1, format: 'dc+sd-jwt', sub: 'mimi://example.com/u/alice', keyAlg: 'EdDSA', txCodeUsed: true })
    expect(JSON.parse(v('issuance:bob').actual)).toMatchObject({ count: 1, format: 'application/sd-cwt', sub: 'mimi://example.com/u/bob', txCodeUsed: false })
    expect(JSON.parse(v('issuance:carol').actual)).toMatchObject({ count: 1, format: 'dc+sd-jwt', sub: 'mimi://example.com/u/carol' })
    const walletPaths = new Set(r.requests.filter((q) => q.who === 'wallet:alice').map((q) => `${q.method} ${q.path}`))
    expect([...walletPaths]).toEqual(expect.arrayContaining(['POST /token', 'POST /nonce', 'POST /credential']))

    // Mutual verification: six ordered pairs, each with exactly what the subject chose to disclose.
    expect(JSON.parse(v('group:formed').actual)).toEqual({ epochs: [1, 1, 1], members: 3 })
    for (const viewer of DEMO_MEMBERS) {
      for (const subject of DEMO_MEMBERS) {
        if (viewer === subject) continue
        const pair = v(`verify:${viewer.id}->${subject.id}`)
        const actual = JSON.parse(pair.actual) as { verified: boolean; sub: string; issuer: string; holderKey: string; disclosed: Record<string, string>; audience: string }
        expect(actual.verified).toBe(true)
        // cnf = the subject wallet's Ed25519 key (compared with the wallet's key inside the story).
        expect(actual.holderKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(pair.expected).toBe(pair.actual)
        expect(actual.sub).toBe(subject.claims.sub)
        expect(actual.issuer).toBe(r.issuer_url)
        expect(actual.audience).toBe(mlsKeyPackageAudience(DEMO_SERVICE))
        expect(Object.keys(actual.disclosed).sort()).toEqual([...subject.discloses].sort())
        for (const k of subject.discloses) expect(actual.disclosed[k]).toBe(subject.claims[k])
        expect((pair.details as { hidden: string[] }).hidden.sort()).toEqual(['email', 'handle', 'name', 'org', 'role'].filter((a) => !subject.discloses.includes(a)))
        expect((pair.details as { kind: string }).kind).toBe(subject.configuration.endsWith('sd_cwt') ? 'sd-cwt' : 'sd-jwt')
      }
    }
    // Bob shows only his organisation and role.
    expect(JSON.parse(v('verify:alice->bob').actual).disclosed).toEqual({ org: 'example.com', role: 'legal counsel' })
    expect(v('message:alice->bob').ok && v('message:alice->carol').ok).toBe(true)
    // specs/mls-profile.md §4: Bob's re-presentation for this group carries the group audience.
    for (const by of ['alice', 'carol']) {
      const rot = JSON.parse(v(`rotate:bob-seen-by-${by}`).actual) as { audience: string; disclosed: string[] }
      expect(rot.audience).toMatch(/^https:\/\/chat\.example\/mls\/groups\/[A-Za-z0-9_-]{43}$/)
      expect(rot.disclosed).toEqual(['org', 'role'])
    }

    // The provider's impersonation: refused with the key-binding code, and the group is unchanged.
    expect(v('attack:impersonation').actual).toBe('ERR_MLS_KEY_MISMATCH')
    expect(JSON.parse(v('attack:impersonation-keypackage-check').actual)).toEqual({ valid: false, code: 'ERR_MLS_KEY_MISMATCH', members: 3 })
    // The provider's own authority, well-formed credential and consistent key: refused because nobody trusts it.
    expect(v('attack:untrusted-authority').actual).toBe('ERR_VERIFY_ISSUER_UNTRUSTED')

    // Revocation through the admin API; the next status check (fresh list over HTTP) names Carol; she is removed.
    expect(v('revoke:carol').actual).toBe('revoked')
    for (const by of ['alice', 'bob']) {
      expect(JSON.parse(v(`status:recheck-by-${by}`).actual)).toEqual([{ identity: 'mimi://example.com/u/carol', status: 'revoked' }])
    }
    expect(v('status:fresh-list-fetched').actual).toBe('true')
    expect(JSON.parse(v('remove:carol').actual)).toEqual({ alice: ['mimi://example.com/u/alice', 'mimi://example.com/u/bob'], bob: ['mimi://example.com/u/alice', 'mimi://example.com/u/bob'] })

    // The verifiers contacted the issuer only for status lists and key sets (asserted on the raw log).
    const verifierRequests = r.requests.filter((q) => q.who.startsWith('verifier:'))
    expect(verifierRequests.length).toBeGreaterThan(0)
    for (const q of verifierRequests) {
      expect(q.method).toBe('GET')
      expect(q.origin).toBe(r.issuer_url)
      expect(isAllowedVerifierPath(q.path), q.path).toBe(true)
      expect(q.status).toBe(200)
    }
    expect(Object.keys(r.verifier_requests).some((p) => p.startsWith('/status-lists/'))).toBe(true)
    expect(Object.values(r.verifier_requests).reduce((a, b) => a + b, 0)).toBe(verifierRequests.length)
  }, 90_000)

  it('a member who hides the organisation the policy requires is refused, and the demo fails with exit-1 semantics', async () => {
    const [alice, bob, carol] = DEMO_MEMBERS
    const r = await runDemo({ members: [alice, { ...bob, discloses: ['role'] }, carol] })
    expect(r.ok).toBe(false)
    expect(r.error?.code).toBe('ERR_POLICY_CLAIM_MISSING')
    expect(r.error?.message).toMatch(/^in step 4, They form an MLS group/)
    // Issuance still happened; the story stopped at the group.
    expect(r.verdicts.filter((x) => x.id.startsWith('issuance:')).every((x) => x.ok)).toBe(true)
    expect(r.verdicts.some((x) => x.id.startsWith('verify:'))).toBe(false)
    expect(renderSummary(r)).toContain('✗ The story stopped early: ERR_POLICY_CLAIM_MISSING')
  }, 90_000)

  it('text mode prints the account with ✓ per verdict and the elapsed time; usage errors exit 2', async () => {
    const io = capture()
    expect(await main(['demo'], io)).toBe(0)
    const text = io.out.join('\n').replace(/\s+/g, ' ')
    expect(text).toMatch(/✓ Bob refused the provider's KeyPackage carrying Alice's credential: ERR_MLS_KEY_MISMATCH/)
    expect(text).toMatch(/✓ All 23 verdicts as expected, in \d+\.\d s\./)
    // No failed verdict line (the legend mentions ✗, verdict lines start with it).
    expect(io.out.join('\n')).not.toMatch(/^\s+✗ /m)
    const bad = capture()
    expect(await main(['demo', '--bogus'], bad)).toBe(2)
    expect(bad.err.join('')).toContain('usage: e2eid demo')
  }, 90_000)
})

describe('npm start (node cli/bin/e2eid.js demo, the built CLI; needs tsc -b)', () => {
  it('runs in a real process, exits 0 on its own (nothing left running) within a minute', async () => {
    const bin = fileURLToPath(new URL('../../bin/e2eid.js', import.meta.url))
    const child = spawn(process.execPath, [bin, 'demo', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
    clearTimeout(timer)
    expect(err).toBe('')
    expect(code).toBe(0)
    const r = JSON.parse(out) as JsonResult
    expect(r.ok).toBe(true)
    expect(r.verdicts.length).toBe(23)
  }, 90_000)
})

describe('demo verdicts and rendering', () => {
  it('a verdict is ok only when actual equals expected; a failed one makes the JSON carry ERR_DEMO_UNEXPECTED_VERDICT and the text a ✗ line', async () => {
    const seen: Verdict[] = []
    const book = new VerdictBook({ section: () => undefined, note: () => undefined, verdict: (v) => seen.push(v) })
    book.check({ id: 'a', step: 1, summary: 'fine', expected: { x: 1 }, actual: { x: 1 } })
    expect(book.ok).toBe(true)
    book.check({ id: 'b', step: 1, summary: 'refusal', expected: 'ERR_MLS_KEY_MISMATCH', actual: (await outcomeCode(Promise.resolve(1))).code })
    expect(seen.map((v) => v.ok)).toEqual([true, false])
    expect(book.ok).toBe(false)
    const r: DemoResult = { ok: book.ok, verdicts: book.verdicts, verifierRequests: {}, requests: [], issuerUrl: 'http://127.0.0.1:1', service: DEMO_SERVICE, elapsedMs: 1234 }
    expect(jsonResult(r).error).toEqual({ code: 'ERR_DEMO_UNEXPECTED_VERDICT', message: 'b: expected ERR_MLS_KEY_MISMATCH, got accepted' })
    expect(renderSummary(r)).toContain('✗ unexpected verdict b: expected ERR_MLS_KEY_MISMATCH, got accepted')
    expect(renderSummary(r)).toContain('✗ 1 of 2 verdicts as expected; the demo FAILED (1.2 s).')
    expect(new VerdictBook({ section: () => undefined, note: () => undefined, verdict: () => undefined }).ok).toBe(false)
  })

  it('wraps text at 78 columns with a hanging indent', () => {
    const out = wrap('word '.repeat(40), '   ✓ ', '     ')
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(78)
    expect(out.split('\n')[1]!.startsWith('     word')).toBe(true)
  })
})
