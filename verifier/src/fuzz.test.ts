/**
 * Issue 8: fuzzing the verifier's decoders and request parsers with fast-check. Only E2eidError comes out (or, over
 * HTTP, a 4xx): no other exception, no acceptance of garbage. Runs: E2EID_FUZZ_RUNS (default 2000).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hexEncode, isE2eidError } from '@e2eid/shared'
import { parseDcqlQuery } from './dcql/evaluate.js'
import { detectPresentation } from './formats/detect.js'
import { createHttpClient } from './http.js'
import { parseDirectPostResponse } from './openid4vp/response.js'
import { zVerifierPolicy } from './policy/z-policy.js'
import { createVerifierApp } from './service/app.js'
import { AUD, NONCE, NOW, VCT, issueSdCwtFor, issueSdJwt, makeAuthority, presentSdCwt, presentSdJwt, provider } from './test-helpers/fixtures.js'
import { createTrustStore } from './trust/trust-store.js'
import type { TrustStore } from './trust/types.js'
import { verifyPresentation } from './verify-presentation.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
// Full verifications are slower than parsers: a tenth of the runs in `npm test`; `npm run fuzz` (E2EID_FUZZ_RUNS set)
// runs every target the full number (issue 8: 100,000 per target).
const VERIFY_RUNS = process.env.E2EID_FUZZ_RUNS === undefined ? Math.max(50, Math.floor(RUNS / 10)) : RUNS

function onlyE2eid(f: () => unknown): void {
  try {
    f()
  } catch (e) {
    if (!isE2eidError(e)) throw e
  }
}

async function onlyE2eidAsync(f: () => Promise<unknown>): Promise<'accepted' | 'refused'> {
  try {
    await f()
    return 'accepted'
  } catch (e) {
    if (!isE2eidError(e)) throw e
    return 'refused'
  }
}

let trust: TrustStore
let kbt: Uint8Array
let sdJwtVp: string
beforeAll(async () => {
  const auth = await makeAuthority('https://issuer.example', 'k1', 'EdDSA')
  trust = createTrustStore({ http: createHttpClient({}), authorities: [{ issuer: auth.iss, sources: [{ type: 'keys', keys: [auth.publicJwk] }] }] })
  const c = await issueSdCwtFor(auth)
  kbt = await presentSdCwt(c.sdCwt, c.holder.privateJwk, ['org'])
  const j = await issueSdJwt(auth)
  sdJwtVp = await presentSdJwt(j.vc, j.holder.privateJwk, ['org'])
})

const policy = { aud: AUD, nonce: NONCE, now: () => NOW }

describe('fuzz: verifier parsers give only E2eidError', () => {
  it('fuzz parseDirectPostResponse over random forms', () => {
    const value = fc.oneof(fc.string(), fc.json(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined))
    fc.assert(
      fc.property(fc.record({ vp_token: value, state: value, error: value }, { requiredKeys: [] }), (form) => onlyE2eid(() => parseDirectPostResponse(form as Record<string, unknown>))),
      { numRuns: RUNS },
    )
  })

  it('fuzz parseDcqlQuery and the policy schema over random JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        onlyE2eid(() => parseDcqlQuery(v))
        expect(() => zVerifierPolicy.safeParse(v)).not.toThrow()
      }),
      { numRuns: RUNS },
    )
  })

  it('fuzz detectPresentation over random strings and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 200 }), fc.stringMatching(/^[0-9a-f~._-]{0,80}$/)), (x) => onlyE2eid(() => detectPresentation(x))),
      { numRuns: RUNS },
    )
  })
})

describe('fuzz: mutated presentations are refused with E2eidError, never accepted', () => {
  it('fuzz SD-CWT KBT byte mutations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 10_000 }), fc.integer({ min: 1, max: 255 }), async (pos, xor) => {
        const bad = Uint8Array.from(kbt)
        const i = pos % bad.length
        bad[i] = bad[i]! ^ xor
        const r = await onlyE2eidAsync(() => verifyPresentation(bad, policy, { trust, provider }))
        // A flipped byte may land in an unprotected, unused place (e.g. a map length making the CBOR invalid is
        // refused; nothing signed can change). It must never be accepted with different claims.
        if (r === 'accepted') {
          const v = await verifyPresentation(bad, policy, { trust, provider })
          expect(v.claims.org).toBe('example.com')
        }
      }),
      { numRuns: VERIFY_RUNS },
    )
  })

  it('fuzz SD-JWT+KB character mutations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 10_000 }), fc.constantFrom('A', '_', '-', '~', '.', 'z', '0'), async (pos, ch) => {
        const i = pos % sdJwtVp.length
        if (sdJwtVp[i] === ch) return
        const bad = sdJwtVp.slice(0, i) + ch + sdJwtVp.slice(i + 1)
        const r = await onlyE2eidAsync(() => verifyPresentation(bad, policy, { trust, provider }))
        if (r === 'accepted') {
          // Only base64url padding-bit changes could decode to the same bytes; the claims must be unchanged.
          const v = await verifyPresentation(bad, policy, { trust, provider })
          expect(v.claims.org).toBe('example.com')
        }
      }),
      { numRuns: VERIFY_RUNS },
    )
  })

  it('fuzz service /response with random bodies: always 4xx or 200, never 5xx', async () => {
    const app = createVerifierApp({ publicUrl: 'https://verifier.example', trust, provider, now: () => NOW, policy: { credentialTypes: [VCT] } })
    const created = (await (await app.request('/requests', { method: 'POST' })).json()) as { request: { state: string } }
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.record({ vp_token: fc.oneof(fc.string(), fc.json()), state: fc.constantFrom(created.request.state, 'x', '') }).map((r) => new URLSearchParams(r).toString()),
          fc.constant(`vp_token=${encodeURIComponent(JSON.stringify({ sd_jwt: [hexEncode(kbt)] }))}&state=nope`),
        ),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x'),
        async (body, type) => {
          const res = await app.request('/response', { method: 'POST', headers: { 'content-type': type }, body })
          expect(res.status).toBeLessThan(500)
        },
      ),
      { numRuns: VERIFY_RUNS },
    )
  })
})
