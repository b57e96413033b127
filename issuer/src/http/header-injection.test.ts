/**
 * Issue 14 item 7, header injection: text from the request (the DPoP proof's JOSE header: alg, typ, jwk
 * members) went into WWW-Authenticate's error_description; a character above U+00FF made the Headers object
 * throw, turning the 401 into a 500 with a stack trace in the log. Every header that echoes input is now
 * printable ASCII (RFC 6750 §3 error_description charset); this fuzzes each of them (WWW-Authenticate at every
 * endpoint that authenticates, the login redirect's Location; the issuer sends no DPoP-Nonce).
 * Runs: E2EID_FUZZ_RUNS (default 2000 per target).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { KeyPair } from '@e2eid/shared'
import { base64urlEncode, utf8Encode } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ALICE_CLAIMS, ISSUER, UNLIMITED_RATES, admin, aliceOffer, dpopProof, form, keyPair, makeFixture, preAuthToken } from '../test-helpers/holder.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const REDIRECT = 'https://wallet.example/cb'
const PASSWORD = 'correct horse battery'
let f: Fixture
let key: KeyPair
let token: string

beforeAll(async () => {
  f = await makeFixture({ ...UNLIMITED_RATES, clients: { wallet: { redirect_uris: [REDIRECT] } } })
  key = await keyPair(f.crypto, 'ES256')
  await admin(f, '/admin/users', { id: 'alice', claims: ALICE_CLAIMS, password: PASSWORD })
  const { code } = await aliceOffer(f)
  token = ((await (await preAuthToken(f, key, code)).json()) as { access_token: string }).access_token
}, 60_000)
afterAll(async () => {
  await f.close()
})

const b64 = (v: unknown) => base64urlEncode(utf8Encode(JSON.stringify(v)))
/** An unsigned compact JWT with this JOSE header (the header checks come before the signature). */
const jwtWithHeader = (header: unknown, payload: unknown = { jti: 'jti-0123456789', htm: 'POST', htu: `${ISSUER}/credential`, iat: 0 }) =>
  `${b64(header)}.${b64(payload)}.${base64urlEncode(new Uint8Array(64))}`

/** A 4xx OAuth error whose every header value is printable ASCII. */
async function expectCleanRefusal(r: Response): Promise<void> {
  expect(r.status).toBeGreaterThanOrEqual(400)
  expect(r.status).toBeLessThan(500)
  r.headers.forEach((value, name) => {
    expect(value, name).toMatch(/^[\x20-\x7E]*$/)
  })
  expect(typeof ((await r.json()) as { error?: unknown }).error).toBe('string')
}

function credential(dpop: string, authorization = `DPoP ${token}`): Promise<Response> {
  return Promise.resolve(f.app.request('/credential', { method: 'POST', headers: { authorization, dpop, 'content-type': 'application/json' }, body: '{}' }))
}

// Text that lands in a message: above U+00FF, Latin-1, controls, quotes and backslashes.
const nasty = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('\u0100', 'ā"\\', '\r\nSet-Cookie: x=1', 'é', '\u2028', '"'))
const joseHeader = fc.record(
  {
    typ: fc.oneof(fc.constant('dpop+jwt'), nasty),
    alg: fc.oneof(fc.constantFrom('ES256', 'EdDSA'), nasty, fc.jsonValue({ maxDepth: 2 })),
    jwk: fc.oneof(
      fc.record({ kty: fc.oneof(fc.constantFrom('EC', 'OKP'), nasty), crv: fc.oneof(fc.constantFrom('P-256', 'Ed25519'), nasty), x: nasty, y: nasty }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    crit: nasty,
    kid: nasty,
  },
  { requiredKeys: [] },
)

describe('issue 14 item 7: input echoed in response headers', () => {
  it('a DPoP proof alg above U+00FF is a 401 with a clean WWW-Authenticate, not a 500', async () => {
    const r = await credential(jwtWithHeader({ typ: 'dpop+jwt', alg: 'Ā', jwk: key.publicJwk }))
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof", error_description="[\x20-\x21\x23-\x5B\x5D-\x7E]*", algs="ES256 EdDSA"$/)
    await expectCleanRefusal(r)
  })

  it('a jwk member above U+00FF is a 401 with a clean WWW-Authenticate', async () => {
    await expectCleanRefusal(await credential(jwtWithHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256\u0100"\\', x: 'ā', y: 'x' } })))
  })

  it('fuzz: DPoP proofs with arbitrary JOSE headers at /credential, /notification, /nonce, /token and /par', async () => {
    const paths = fc.constantFrom('/credential', '/notification', '/nonce', '/token', '/par')
    await fc.assert(
      fc.asyncProperty(paths, joseHeader, async (path, header) => {
        const dpop = jwtWithHeader(header, { jti: 'jti-0123456789', htm: 'POST', htu: `${ISSUER}${path}`, iat: f.clock.now })
        const r =
          path === '/token' || path === '/par'
            ? await form(f.app, path, { grant_type: 'authorization_code', code: 'x', response_type: 'code' }, { dpop })
            : await f.app.request(path, { method: 'POST', headers: { authorization: `DPoP ${token}`, dpop, 'content-type': 'application/json' }, body: '{}' })
        await expectCleanRefusal(r)
      }),
      { numRuns: RUNS },
    )
  }, 120_000)

  it('fuzz: arbitrary Authorization and admin headers (Latin-1, the most a request header can carry)', async () => {
    const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 })
    const auth = fc.oneof(latin1, latin1.map((s) => `DPoP ${s}`), latin1.map((s) => `Bearer ${s}`))
    const paths = fc.constantFrom('/credential', '/notification', '/nonce', '/admin/keys')
    await fc.assert(
      fc.asyncProperty(paths, auth, async (path, authorization) => {
        const proof = await dpopProof(f.crypto, key, 'POST', `${ISSUER}${path}`, { iat: f.clock.now, accessToken: token })
        await expectCleanRefusal(await f.app.request(path, { method: 'POST', headers: { authorization: authorization.trim(), dpop: proof, 'content-type': 'application/json' }, body: '{' }))
      }),
      { numRuns: Math.min(RUNS, 500) },
    )
  }, 120_000)

  it('fuzz: the login redirect (Location) carries the wallet\'s state percent-encoded, whatever it holds', async () => {
    const challenge = base64urlEncode(f.crypto.digest('SHA-256', utf8Encode('v'.repeat(43))))
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }), async (state) => {
        const par = await form(f.app, '/par', { response_type: 'code', client_id: 'wallet', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', scope: 'mimi_identity_sd_jwt', state })
        expect(par.status).toBe(201)
        const { request_uri } = (await par.json()) as { request_uri: string }
        const page = await f.app.request(`/authorize?client_id=wallet&request_uri=${encodeURIComponent(request_uri)}`)
        const session = /name="session" value="([^"]+)"/.exec(await page.text())![1]!
        const r = await form(f.app, '/authorize', { session, username: 'alice', password: PASSWORD })
        expect(r.status).toBe(302)
        const location = r.headers.get('location')!
        expect(location).toMatch(/^[\x21-\x7E]+$/)
        expect(new URL(location).searchParams.get('state')).toBe(new URLSearchParams({ s: state }).get('s')) // lone surrogates become U+FFFD on the way
      }),
      { numRuns: Math.min(RUNS, 200) },
    )
  }, 120_000)
})
