/**
 * fuzz (issue #8): arbitrary request bodies and headers at every endpoint that parses input. Only a 4xx
 * JSON error (or a success) comes out — never a 5xx, never an exception — and no input takes over 100 ms.
 * Runs: E2EID_FUZZ_RUNS (default 2000 per target; `npm run fuzz` uses 100,000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ISSUER, UNLIMITED_RATES, admin, form, keyPair, makeFixture } from '../test-helpers/holder.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
let f: Fixture
let bearer: string

beforeAll(async () => {
  // Bearer tokens (require_dpop off) so each run needs no fresh DPoP signature; a high rate limit.
  f = await makeFixture({ require_dpop: false, require_bound_nonce: false, ...UNLIMITED_RATES })
  await admin(f, '/admin/users', { id: 'alice', claims: { name: 'Alice' } })
  const r = await admin(f, '/admin/offers', { user_id: 'alice', credential_configuration_id: 'mimi_identity_sd_jwt' })
  const uri = ((await r.json()) as { offer_uri_by_value: string }).offer_uri_by_value
  const code = (JSON.parse(new URL(uri).searchParams.get('credential_offer')!) as { grants: Record<string, Record<string, string>> }).grants[
    'urn:ietf:params:oauth:grant-type:pre-authorized_code'
  ]!['pre-authorized_code']!
  const t = await form(f.app, '/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code })
  bearer = ((await t.json()) as { access_token: string }).access_token
}, 60_000)
afterAll(async () => {
  await f.close()
})

/**
 * Sends the request and checks the answer. An input slower than 100 ms is retried once: the machine is
 * shared, so one pause is noise, but a pathological input is slow every time.
 */
async function check(send: () => Response | Promise<Response>): Promise<void> {
  let start = performance.now()
  let r = await send()
  let ms = performance.now() - start
  if (ms > 100) {
    start = performance.now()
    r = await send()
    ms = performance.now() - start
  }
  if (r.status >= 500 || ms > 100) throw new Error(`status ${r.status} after ${ms.toFixed(1)} ms: ${await r.text()}`)
  if (r.status >= 400) {
    const body = (await r.json()) as { error?: unknown }
    if (typeof body.error !== 'string') throw new Error('4xx without an OAuth error member')
  }
}

const jsonValue = fc.jsonValue({ maxDepth: 3 })
const formKeys = fc.constantFrom('grant_type', 'pre-authorized_code', 'tx_code', 'code', 'code_verifier', 'redirect_uri', 'client_id', 'authorization_details', 'scope', 'response_type', 'code_challenge', 'code_challenge_method', 'request_uri', 'resource', 'dpop_jkt', 'state')
const formValues = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('urn:ietf:params:oauth:grant-type:pre-authorized_code', 'authorization_code', 'code', 'S256', 'plain', '[]', '[{"type":"openid_credential"}]', 'https://wallet.example/cb', ISSUER),
  jsonValue.map((v) => JSON.stringify(v)),
)
const formBody = fc.dictionary(formKeys, formValues, { maxKeys: 8 })
const b64json = jsonValue.map((v) => base64urlEncode(utf8Encode(JSON.stringify(v))))
const jwtLike = fc.oneof(fc.string({ maxLength: 200 }), fc.tuple(b64json, b64json, fc.base64String({ maxLength: 90 })).map(([h, p, s]) => `${h}.${p}.${s.replace(/=/g, '')}`))

describe('fuzz: issuer endpoints never answer 5xx', () => {
  it('fuzz /token with arbitrary forms and DPoP headers', async () => {
    await fc.assert(
      fc.asyncProperty(formBody, fc.option(jwtLike), async (params, dpop) => {
        await check(() => form(f.app, '/token', params, dpop === null ? {} : { dpop }))
      }),
      { numRuns: RUNS },
    )
  })
  it('fuzz /par with arbitrary forms', async () => {
    await fc.assert(
      fc.asyncProperty(formBody, async (params) => {
        await check(() => form(f.app, '/par', params))
      }),
      { numRuns: RUNS },
    )
  })
  it('fuzz /credential with arbitrary JSON and proof-shaped JWTs', async () => {
    const body = fc.oneof(
      jsonValue,
      fc.record({ credential_configuration_id: fc.oneof(fc.string(), fc.constant('mimi_identity_sd_jwt')), proofs: fc.oneof(jsonValue, fc.record({ jwt: fc.array(jwtLike, { maxLength: 3 }) })) }, { requiredKeys: [] }),
    )
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await check(() =>
          f.app.request('/credential', { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(b) ?? 'null' }),
        )
      }),
      { numRuns: RUNS },
    )
  })
  it('fuzz /credential and /nonce with arbitrary Authorization and DPoP headers', async () => {
    const auth = fc.oneof(fc.string({ maxLength: 100 }), fc.string({ maxLength: 60 }).map((s) => `DPoP ${s}`), fc.constant(`Bearer ${bearer}`), fc.constant(`DPoP ${bearer}`))
    await fc.assert(
      fc.asyncProperty(auth, fc.option(jwtLike), fc.constantFrom('/credential', '/nonce', '/notification'), async (a, dpop, path) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        try {
          new Headers({ authorization: a })
          headers.authorization = a
        } catch {
          // not a valid header value: send none
        }
        if (dpop !== null) headers.dpop = dpop
        await check(() => f.app.request(path, { method: 'POST', headers, body: '{}' }))
      }),
      { numRuns: RUNS },
    )
  })
  it('fuzz /notification with arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(jsonValue, async (b) => {
        await check(() =>
          f.app.request('/notification', { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(b) ?? 'null' }),
        )
      }),
      { numRuns: RUNS },
    )
  })
  it('fuzz a valid DPoP-signed proof structure with arbitrary claims at /credential', async () => {
    const holder = await keyPair(f.crypto, 'EdDSA')
    const { signJwt } = await import('@e2eid/shared')
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('aud', 'iat', 'nonce', 'iss', 'exp'), jsonValue), fc.dictionary(fc.constantFrom('typ', 'kid', 'x5c', 'crit', 'jwk'), jsonValue), async (payload, header) => {
        let jwt: string
        try {
          jwt = await signJwt({ header: { typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk, ...header }, payload, key: holder.privateJwk, provider: f.crypto })
        } catch {
          return
        }
        await check(() =>
          f.app.request('/credential', {
            method: 'POST',
            headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
            body: JSON.stringify({ credential_configuration_id: 'mimi_identity_sd_jwt', proofs: { jwt: [jwt] } }),
          }),
        )
      }),
      { numRuns: Math.min(RUNS, 500) },
    )
  })
  it('fuzz checks that a random body really fails (sanity)', async () => {
    // A fresh rate-limit window: at 100,000 runs the /token fuzz above uses up the fixture clock's window (→ 429).
    f.clock.now += 61
    const r = await form(f.app, '/token', { grant_type: 'password' })
    expect(r.status).toBe(400)
  })
})
