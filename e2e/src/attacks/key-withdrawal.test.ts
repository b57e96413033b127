/**
 * Attack suite (issue 14): the authority's signing key is stolen. The thief signs credentials and status lists
 * with it (here: the authority's own signatures after the theft time stand in for the thief's; a status list
 * signed by the stolen key is replayed by the provider). The authority withdraws the key
 * (`e2eid issuer keys compromise`): it is no longer published, and verifiers that pin keys list it under the
 * authority's `withdrawn` with the theft time. Then credentials it signed from that time on, and every status
 * list it signed, are refused (ERR_VERIFY_ISSUER_KEY_WITHDRAWN); credentials signed before still verify.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hexDecode } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { createHttpClient, createStatusChecker, createTrustStore, authoritiesFromConfig, zVerifierServiceConfig, verifyPresentation } from '@e2eid/verifier'
import type { VerifierContext } from '@e2eid/verifier'
import type { AttackStack, Holder } from '../testkit/attack-stack.js'
import { ISSUER_URL, MEMBER_POLICY, SD_CWT, SD_JWT, refusal, startAttackStack } from '../testkit/attack-stack.js'

const AUD = 'https://verifier.example'
let s: AttackStack
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

async function publishedKeys(): Promise<PublicJwk[]> {
  return ((await (await s.issuerFetch(`${ISSUER_URL}/.well-known/jwks.json`)).json()) as { keys: PublicJwk[] }).keys
}

/** A verifier that pins the authority's keys (a static trust store), optionally told of withdrawn keys. */
function pinned(keys: PublicJwk[], withdrawn?: Array<{ kid: string; since: number }>): VerifierContext {
  const http = createHttpClient({ fetch: s.net.fetch })
  const trust = createTrustStore({ http, authorities: [{ issuer: ISSUER_URL, sources: [{ type: 'keys', keys }], ...(withdrawn === undefined ? {} : { withdrawn }) }], now: () => s.clock.now })
  return { trust, status: createStatusChecker({ http, provider: s.provider, now: () => s.clock.now }), provider: s.provider }
}

function verify(ctx: VerifierContext, presentation: string | Uint8Array) {
  return verifyPresentation(presentation, { ...MEMBER_POLICY, aud: AUD, now: () => s.clock.now }, ctx)
}

describe.each([SD_JWT, SD_CWT])('attack: a stolen authority key (%s)', (configuration) => {
  it('credentials it signs from the theft on, and status lists it signed, are refused once withdrawn; earlier credentials verify', async () => {
    const alice = await s.holder('alice', configuration)
    const [stolen] = await publishedKeys()
    s.clock.now += 10
    const theft = s.clock.now
    // Signed with the stolen key after the theft (the thief's credential for "bob").
    const forged = await s.holder('bob', configuration)
    const listPath = new URL(forged.credential.statusListUri!).pathname
    const oldList = await s.issuerFetch(`${ISSUER_URL}${listPath}`, { headers: { accept: 'application/statuslist+jwt, application/statuslist+cwt' } })
    const oldListBody = new Uint8Array(await oldList.arrayBuffer())
    const oldListType = oldList.headers.get('content-type') ?? ''

    const r = await s.admin('POST', `/admin/keys/${stolen!.kid}/compromise`, { since: theft })
    expect(r.status).toBe(200)
    const { active_kid } = (await r.json()) as { active_kid: string }
    const now = await publishedKeys()
    expect(now.map((k) => k.kid)).toEqual([active_kid])
    s.clock.now += 5

    // Without the withdrawal, a verifier pinning the keys accepts the thief's credential (the attack).
    expect((await verify(pinned([stolen!, now[0]!]), await present(forged))).issuer).toBe(ISSUER_URL)
    // Told of the withdrawal: refused; alice's earlier credential still verifies (its list is re-signed by the new key).
    const told = pinned([stolen!, now[0]!], [{ kid: stolen!.kid!, since: theft }])
    expect(await refusal(verify(told, await present(forged)))).toBe('ERR_VERIFY_ISSUER_KEY_WITHDRAWN')
    expect((await verify(told, await present(alice))).issuer).toBe(ISSUER_URL)

    // The provider replays a status list signed by the stolen key: accepted by a verifier that was not told, refused by one that was.
    s.net.tamper.set(listPath, () => new Response(oldListBody.slice(), { status: 200, headers: { 'content-type': oldListType } }))
    try {
      expect((await verify(pinned([stolen!, now[0]!]), await present(alice))).issuer).toBe(ISSUER_URL)
      // Lists are checked only against the authority's keys that are not withdrawn.
      expect(await refusal(verify(pinned([stolen!, now[0]!], [{ kid: stolen!.kid!, since: theft }]), await present(alice)))).toBe('ERR_STATUS_LIST_SIGNATURE_INVALID')
      // A verifier that pinned only the stolen key has no key left for status lists at all.
      expect(await refusal(verify(pinned([stolen!], [{ kid: stolen!.kid!, since: theft }]), await present(alice)))).toBe('ERR_VERIFY_ISSUER_KEY_WITHDRAWN')
    } finally {
      s.net.tamper.clear()
    }

    // A verifier that discovers keys from the authority's documents no longer finds the withdrawn key at all.
    expect(await refusal(verify(s.member({ maxListAgeSeconds: 1 }).context, await present(forged)))).toBe('ERR_VERIFY_ISSUER_KEY_UNKNOWN')
  })
})

describe('withdrawn keys in the trust store configuration', () => {
  it('a withdrawn entry without kid or with a bad since is ERR_VERIFY_CONFIG_INVALID', () => {
    const http = createHttpClient({ fetch: s.net.fetch })
    for (const withdrawn of [[{ kid: '', since: 1 }], [{ kid: 'k', since: -1 }], [{ kid: 'k', since: 1.5 }]]) {
      expect(() => createTrustStore({ http, authorities: [{ issuer: ISSUER_URL, sources: [{ type: 'jwt_vc_issuer' }], withdrawn }] })).toThrow(expect.objectContaining({ code: 'ERR_VERIFY_CONFIG_INVALID' }))
    }
  })
  it('the verifier service config carries withdrawn keys to the trust store (authorities[].withdrawn)', () => {
    const config = zVerifierServiceConfig.parse({ authorities: [{ issuer: ISSUER_URL, jwt_vc_issuer: true, withdrawn: [{ kid: 'k1', since: 1767225600 }] }] })
    expect(authoritiesFromConfig(config)[0]!.withdrawn).toEqual([{ kid: 'k1', since: 1767225600 }])
    expect(zVerifierServiceConfig.safeParse({ authorities: [{ issuer: ISSUER_URL, jwt_vc_issuer: true, withdrawn: [{ kid: 'k1' }] }] }).success).toBe(false)
  })
})
