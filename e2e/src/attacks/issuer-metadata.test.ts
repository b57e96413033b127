/**
 * Attack suite (issue 8), family "tampered issuer metadata": the provider answers a member's request for the
 * authority's JWT VC Issuer Metadata (SD-JWT VC §2.5) with a document of its own, so that a credential it forged in
 * Alice's name (signed by its key, iss = the authority) would verify. The member's verifier is the real stack; the
 * genuine credentials come from the real authority through real wallets.
 *
 * What stops it: `issuer` must equal `iss` (§2.5.1), https only, no private keys, kid-keyed caching with a bounded
 * refresh, and, for deployments whose threat model includes the network path to the authority, pinned keys (then the
 * metadata is never consulted). A provider that can also forge the authority's TLS certificate and waits out the
 * refresh interval is outside what metadata discovery can resist: pin the keys (last test).
 *
 * Unit-level versions: verifier/src/trust/trust-store.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { issueSdJwtVc, presentSdJwtVc } from '@e2eid/shared'
import type { KeyPair, PublicJwk } from '@e2eid/shared'
import { verifyPresentation } from '@e2eid/verifier'
import type { AttackStack, Member } from '../testkit/attack-stack.js'
import { ISSUER_URL, MEMBER_POLICY, USERS, providerKey, refusal, startAttackStack, SD_JWT } from '../testkit/attack-stack.js'

const AUD = 'https://verifier.example'
const METADATA = '/.well-known/jwt-vc-issuer'
let s: AttackStack
let mallory: KeyPair
/** The provider's signing key, of the authority's algorithm (so that only the key itself differs). */
let forger: KeyPair
beforeEach(async () => {
  s = await startAttackStack()
  mallory = await providerKey(s)
  const k = (await authorityKeys())[0]!
  forger = await s.provider.generateKeyPair(k.kty === 'OKP' ? 'EdDSA' : 'ES256')
})
afterEach(async () => {
  await s.close()
})

async function authorityKeys(): Promise<PublicJwk[]> {
  return ((await (await s.issuerFetch(`${ISSUER_URL}${METADATA}`)).json()) as { jwks: { keys: PublicJwk[] } }).jwks.keys
}

/** An SD-JWT VC in Alice's name, iss = the authority, signed by the provider's key (kid chosen), bound to the provider's key. */
async function forgedPresentation(kid: string): Promise<string> {
  const sdJwtVc = await issueSdJwtVc({
    provider: s.provider,
    claims: { ...USERS.alice },
    disclosable: ['org'],
    issuerKey: { ...forger.privateJwk, kid },
    kid,
    iss: ISSUER_URL,
    vct: `${ISSUER_URL}/vct/mimi_identity_sd_jwt`,
    holderKey: mallory.publicJwk,
    iat: s.clock.now - 10,
    exp: s.clock.now + 3600,
  })
  return presentSdJwtVc({ provider: s.provider, sdJwtVc, disclose: ['org'], holderKey: mallory.privateJwk, aud: AUD, nonce: 'n', iat: s.clock.now })
}

function verify(m: Member, presentation: string) {
  // The forgery carries no status reference: require it only where it matters here (the signature).
  return verifyPresentation(presentation, { ...MEMBER_POLICY, status: 'if-present', aud: AUD, nonce: 'n', now: () => s.clock.now }, m.context)
}

const metadataMember = () => s.member({ sources: [{ type: 'jwt_vc_issuer' }] })

describe('attack: tampered issuer metadata (jwt-vc-issuer keys swapped by the provider)', () => {
  it('attack: metadata naming another issuer (the provider) with its key → ERR_VERIFY_ISSUER_METADATA_INVALID; the forged credential is refused', async () => {
    s.net.tamper.set(METADATA, () => Response.json({ issuer: 'https://provider.example', jwks: { keys: [{ ...forger.publicJwk, kid: 'p1' }] } }))
    expect(await refusal(verify(metadataMember(), await forgedPresentation('p1')))).toBe('ERR_VERIFY_ISSUER_METADATA_INVALID')
  })

  it('attack: metadata whose jwks_uri is moved to plain http on the provider\'s host → ERR_VERIFY_URL_NOT_ALLOWED', async () => {
    s.net.tamper.set(METADATA, () => Response.json({ issuer: ISSUER_URL, jwks_uri: 'http://keys.provider.example/jwks.json' }))
    expect(await refusal(verify(metadataMember(), await forgedPresentation('p1')))).toBe('ERR_VERIFY_URL_NOT_ALLOWED')
  })

  it('attack: metadata "publishing" a key pair (a private key in the JWKS) → ERR_VERIFY_KEY_SET_INVALID', async () => {
    s.net.tamper.set(METADATA, () => Response.json({ issuer: ISSUER_URL, jwks: { keys: [{ ...forger.privateJwk, kid: 'p1' }] } }))
    expect(await refusal(verify(metadataMember(), await forgedPresentation('p1')))).toBe('ERR_VERIFY_KEY_SET_INVALID')
  })

  it('attack: keys swapped after a member cached the genuine metadata: a forgery under the authority\'s kid → ERR_SDJWT_SIGNATURE_INVALID; under a new kid within the refresh interval → ERR_VERIFY_ISSUER_KEY_UNKNOWN', async () => {
    const member = metadataMember()
    const alice = await s.holder('alice', SD_JWT)
    const genuine = (await alice.wallet.present(alice.credential.id, { paths: ['org'], aud: AUD, nonce: 'n' })).presentation
    expect((await verifyPresentation(genuine, { ...MEMBER_POLICY, aud: AUD, nonce: 'n', now: () => s.clock.now }, member.context)).issuer).toBe(ISSUER_URL)
    const kid = (await authorityKeys())[0]!.kid!
    s.net.tamper.set(METADATA, () => Response.json({ issuer: ISSUER_URL, jwks: { keys: [{ ...forger.publicJwk, kid }, { ...forger.publicJwk, kid: 'p-new' }] } }))
    const before = s.net.log.filter((p) => p === METADATA).length
    expect(await refusal(verify(member, await forgedPresentation(kid)))).toBe('ERR_SDJWT_SIGNATURE_INVALID')
    expect(await refusal(verify(member, await forgedPresentation('p-new')))).toBe('ERR_VERIFY_ISSUER_KEY_UNKNOWN')
    // Neither forgery made the member fetch the (tampered) metadata again.
    expect(s.net.log.filter((p) => p === METADATA).length).toBe(before)
  })

  it('attack: a member that pins the authority\'s keys never consults the (tampered) metadata: the forgery is refused (ERR_SDJWT_SIGNATURE_INVALID), Alice\'s genuine credential verifies', async () => {
    const keys = await authorityKeys()
    s.net.tamper.set(METADATA, () => Response.json({ issuer: ISSUER_URL, jwks: { keys: [{ ...forger.publicJwk, kid: keys[0]!.kid! }] } }))
    const pinned = s.member({ sources: [{ type: 'keys', keys }] })
    expect(await refusal(verify(pinned, await forgedPresentation(keys[0]!.kid!)))).toBe('ERR_SDJWT_SIGNATURE_INVALID')
    const alice = await s.holder('alice', SD_JWT)
    const genuine = (await alice.wallet.present(alice.credential.id, { paths: ['org'], aud: AUD, nonce: 'n' })).presentation
    const v = await verifyPresentation(genuine, { ...MEMBER_POLICY, aud: AUD, nonce: 'n', now: () => s.clock.now }, pinned.context)
    expect(v.claims).toMatchObject({ sub: USERS.alice.sub, org: 'example.com' })
    expect(s.net.log).not.toContain(METADATA)
  })
})
