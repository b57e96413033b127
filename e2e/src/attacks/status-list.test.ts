/**
 * Attack suite (issue 8), family "status list attacks by the provider", end to end: real credentials with real
 * status references from the authority (createIssuerApp, revocation through its admin API), presented by real
 * wallets, verified by a member's verifier stack whose network the provider tampers with (the provider serves or
 * withholds the list: a caching proxy, a CDN, a delivery service that pre-fetches status for its clients).
 *
 * Unit-level versions with a hand-made list on a loopback server: verifier/src/status/checker.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StatusList, decodeJwtUnverified, hexDecode, signStatusListJwt } from '@e2eid/shared'
import { verifyPresentation } from '@e2eid/verifier'
import type { VerifierPolicy } from '@e2eid/verifier'
import type { AttackStack, Holder, Member } from '../testkit/attack-stack.js'
import { ISSUER_URL, LIST_LIFETIME, LIST_TTL, MEMBER_POLICY, SD_CWT, SD_JWT, providerKey, refusal, startAttackStack } from '../testkit/attack-stack.js'

const AUD = 'https://verifier.example'
let s: AttackStack
// One authority per test: the tests move its clock.
beforeEach(async () => {
  s = await startAttackStack()
})
afterEach(async () => {
  await s.close()
})

async function present(h: Holder): Promise<string | Uint8Array> {
  const p = await h.wallet.present(h.credential.id, { paths: ['org'], aud: AUD })
  return h.credential.format === 'dc+sd-jwt' ? p.presentation : hexDecode(p.presentation)
}

function verify(m: Member, presentation: string | Uint8Array, extra: Partial<VerifierPolicy> = {}) {
  return verifyPresentation(presentation, { ...MEMBER_POLICY, aud: AUD, now: () => s.clock.now, ...extra }, m.context)
}

function listPath(h: Holder): string {
  return new URL(h.credential.statusListUri!).pathname
}

/** The list the authority serves right now (bytes or text as served). */
async function honestList(h: Holder): Promise<{ body: Uint8Array; contentType: string }> {
  const r = await s.issuerFetch(`${ISSUER_URL}${listPath(h)}`, { headers: { accept: 'application/statuslist+jwt, application/statuslist+cwt' } })
  return { body: new Uint8Array(await r.arrayBuffer()), contentType: r.headers.get('content-type') ?? '' }
}

function serve(body: Uint8Array, contentType: string): () => Response {
  return () => new Response(body.slice(), { status: 200, headers: { 'content-type': contentType } })
}

describe('attack: a status list served by the provider and signed by another key', () => {
  it('attack: after Alice is revoked the provider serves its own "all valid" list (same uri, same kid, fresh iat) signed by its key → ERR_STATUS_LIST_SIGNATURE_INVALID', async () => {
    const alice = await s.holder('alice', SD_JWT)
    const member = s.member()
    const presentation = await present(alice)
    expect((await verify(member, presentation)).status).toMatchObject({ status: 0 })
    await s.setStatus(alice, 'revoked')
    const genuine = new TextDecoder().decode((await honestList(alice)).body)
    const header = decodeJwtUnverified(genuine).header
    const payload = decodeJwtUnverified(genuine).payload as { sub: string; status_list: { bits: 1 | 2 | 4 | 8 } }
    const mallory = await providerKey(s)
    const forged = await signStatusListJwt({
      list: StatusList.create(1024, payload.status_list.bits),
      sub: payload.sub,
      iat: s.clock.now + LIST_TTL + 1,
      exp: s.clock.now + 10 * LIST_LIFETIME,
      ttl: 86_400,
      key: { ...mallory.privateJwk, ...(typeof header.kid === 'string' ? { kid: header.kid } : {}) },
      provider: s.provider,
    })
    s.net.tamper.set(listPath(alice), serve(new TextEncoder().encode(forged), 'application/statuslist+jwt'))
    s.clock.now += LIST_TTL + 1 // past the cached list's ttl: the member fetches again
    try {
      expect(await refusal(verify(member, presentation))).toBe('ERR_STATUS_LIST_SIGNATURE_INVALID')
      // A forged list is an attack, not unavailability: no grace either (the member holds a cached genuine list).
      expect(await refusal(verify(member, presentation, { statusUnavailable: 'grace-until-exp' }))).toBe('ERR_STATUS_LIST_SIGNATURE_INVALID')
      // A fresh member that never saw the genuine list is not fooled either.
      expect(await refusal(verify(s.member(), presentation))).toBe('ERR_STATUS_LIST_SIGNATURE_INVALID')
    } finally {
      s.net.tamper.clear()
    }
    // Control: the authority's own list says revoked.
    expect(await refusal(verify(s.member(), presentation))).toBe('ERR_STATUS_REVOKED')
  })

  it('attack: the provider swaps the list of an SD-CWT for another list of the same authority (a valid one, another uri) → ERR_STATUS_LIST_SUB_MISMATCH (its sub is not the referenced uri)', async () => {
    const bob = await s.holder('bob', SD_CWT)
    const other = await s.holder('mallory', SD_JWT)
    const presentation = await present(bob)
    await s.setStatus(bob, 'revoked')
    // Another list of the authority, genuinely signed, in which Bob's index is 0: only its `sub` gives it away.
    expect(listPath(other)).not.toBe(listPath(bob))
    const foreign = await honestList(other)
    s.net.tamper.set(listPath(bob), serve(foreign.body, foreign.contentType))
    try {
      expect(await refusal(verify(s.member(), presentation))).toBe('ERR_STATUS_LIST_SUB_MISMATCH')
    } finally {
      s.net.tamper.clear()
    }
    expect(await refusal(verify(s.member(), presentation))).toBe('ERR_STATUS_REVOKED')
  })
})

describe('attack: a status list withheld by the provider', () => {
  for (const configuration of [SD_JWT, SD_CWT]) {
    it(`attack: the provider withholds the list (${configuration === SD_JWT ? 'SD-JWT VC' : 'SD-CWT'}) → fail closed by default (ERR_STATUS_UNAVAILABLE); with policy grace-until-exp the cached list answers until its exp, then fail closed`, async () => {
      const h = await s.holder(configuration === SD_JWT ? 'alice' : 'bob', configuration)
      const presentation = await present(h)
      const strict = s.member()
      const lenient = s.member()
      const grace: Partial<VerifierPolicy> = { statusUnavailable: 'grace-until-exp' }
      // Both saw the genuine list once.
      expect((await verify(strict, presentation)).status).toMatchObject({ status: 0 })
      expect((await verify(lenient, presentation, grace)).status).toMatchObject({ status: 0 })
      s.net.tamper.set(listPath(h), () => new Response('unavailable', { status: 503 }))
      try {
        // Withheld from a member that never had it: nothing to fall back on, whatever the policy.
        expect(await refusal(verify(s.member(), presentation, grace))).toBe('ERR_STATUS_UNAVAILABLE')
        s.clock.now += LIST_TTL + 1
        expect(await refusal(verify(strict, presentation))).toBe('ERR_STATUS_UNAVAILABLE')
        const offline = await verify(lenient, presentation, grace)
        expect(offline.status).toMatchObject({ status: 0, offline: true })
        // A network error (dropped connection) instead of a 503: the same.
        s.net.tamper.set(listPath(h), () => Promise.reject(new TypeError('connection reset')))
        expect(await refusal(verify(strict, presentation))).toBe('ERR_STATUS_UNAVAILABLE')
        // Past the cached list's exp the grace ends.
        s.clock.now += LIST_LIFETIME
        expect(await refusal(verify(lenient, presentation, grace))).toBe('ERR_STATUS_UNAVAILABLE')
      } finally {
        s.net.tamper.clear()
      }
    })
  }
})

describe('attack: a stale status list replayed after a revocation', () => {
  it('attack: the provider replays the list captured before Alice\'s revocation to a member that has seen the newer one → ERR_STATUS_LIST_STALE', async () => {
    const alice = await s.holder('alice', SD_JWT)
    const presentation = await present(alice)
    const member = s.member()
    s.clock.now += LIST_TTL + 1 // let the issuer's own token cache expire
    const before = await honestList(alice) // what the provider captured while Alice was valid
    s.clock.now += 2
    await s.setStatus(alice, 'revoked')
    expect(await refusal(verify(member, presentation))).toBe('ERR_STATUS_REVOKED') // the member saw the new list
    s.net.tamper.set(listPath(alice), serve(before.body, before.contentType))
    s.clock.now += LIST_TTL + 1
    try {
      expect(await refusal(verify(member, presentation))).toBe('ERR_STATUS_LIST_STALE')
    } finally {
      s.net.tamper.clear()
    }
  })

  it('attack: the same replay to a member that never saw the newer list is bounded by a local freshness policy (maxListAgeSeconds) → ERR_STATUS_LIST_TOO_OLD once the captured list is older', async () => {
    const alice = await s.holder('alice', SD_JWT)
    s.clock.now += LIST_TTL + 1
    const before = await honestList(alice)
    const presentation = await present(alice)
    await s.setStatus(alice, 'revoked')
    s.net.tamper.set(listPath(alice), serve(before.body, before.contentType))
    try {
      // Without a freshness policy a never-seen replay is accepted until the list's own exp (draft §13.2 residual):
      // the member has no newer iat to compare with.
      expect((await verify(s.member(), presentation)).status).toMatchObject({ status: 0 })
      const fresh = s.member({ maxListAgeSeconds: 2 * LIST_TTL })
      s.clock.now += 2 * LIST_TTL + 1
      expect(await refusal(verify(fresh, presentation))).toBe('ERR_STATUS_LIST_TOO_OLD')
    } finally {
      s.net.tamper.clear()
    }
    expect(await refusal(verify(s.member(), presentation))).toBe('ERR_STATUS_REVOKED')
  })
})
