/**
 * Attack suite (issue 8), family "disclosure attacks by a holder" (a member colluding with the provider): a
 * disclosure swapped in from another credential, and a decoy passed off as a claim. Credentials are issued by the
 * real authority (with decoy digests, `decoys: 2`) to real wallets; the holder then re-signs its key binding token
 * over the doctored presentation with its own key, so that only the issuer's digests can give it away.
 *
 * Unit-level versions: shared/src/sd-cwt negative vectors (specs/vectors/sd-cwt/negative, "extra-disclosure",
 * "tampered-disclosure"), shared/src/sd-jwt/rfc9901-validation.test.ts, verifier/src/verify-presentation.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CWT_CLAIM,
  CborTag,
  COSE_SIGN1_TAG,
  SD_CWT_HEADER,
  TYP_KBT,
  base64urlDecode,
  base64urlEncode,
  decodeDisclosure,
  encodeCbor,
  encodeDisclosure,
  parseSdCwt,
  signCoseSign1,
  utf8Decode,
  utf8Encode,
} from '@e2eid/shared'
import type { PrivateJwk } from '@e2eid/shared'
import { createKbJwt } from '@e2eid/shared/testing'
import { verifyPresentation } from '@e2eid/verifier'
import type { AttackStack, Holder } from '../testkit/attack-stack.js'
import { MEMBER_POLICY, SD_CWT, SD_JWT, USERS, refusal, startAttackStack } from '../testkit/attack-stack.js'

const AUD = 'https://verifier.example'
const NONCE = 'n-attack'
let s: AttackStack
let alice: { jwt: Holder; cwt: Holder }
let bob: { jwt: Holder; cwt: Holder }
beforeAll(async () => {
  s = await startAttackStack()
  alice = { jwt: await s.holder('alice', SD_JWT), cwt: await s.holder('alice', SD_CWT) }
  bob = { jwt: await s.holder('bob', SD_JWT), cwt: await s.holder('bob', SD_CWT) }
})
afterAll(async () => {
  await s.close()
})

function verify(presentation: string | Uint8Array) {
  return verifyPresentation(presentation, { ...MEMBER_POLICY, aud: AUD, nonce: NONCE, now: () => s.clock.now }, s.member().context)
}

// ── SD-JWT VC (RFC 9901): issuer JWT ~ disclosures ~ KB-JWT ────────────────────────────────────────────────────────

function sdJwtDisclosures(raw: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const d of raw.split('~').slice(1).filter((x) => x !== '')) {
    const arr = JSON.parse(utf8Decode(base64urlDecode(d))) as unknown[]
    if (arr.length === 3) out.set(arr[1] as string, d)
  }
  return out
}

/** The holder's own presentation of `disclosures` (any, even foreign ones), with a KB-JWT it signs itself. */
async function sdJwtPresentation(h: Holder, disclosures: readonly string[], holderKey: PrivateJwk = h.privateJwk): Promise<string> {
  const issuerJwt = h.credential.raw.split('~')[0]!
  const sdJwt = `${issuerJwt}~${disclosures.map((d) => `${d}~`).join('')}`
  return sdJwt + (await createKbJwt({ provider: s.provider, holderKey, sdJwt, hash: 'SHA-256', aud: AUD, nonce: NONCE, iat: s.clock.now }))
}

// ── SD-CWT (draft-ietf-spice-sd-cwt): KBT whose protected kcwt carries the SD-CWT and its sd_claims ─────────────────

function sdCwtBytes(h: Holder): Uint8Array {
  return base64urlDecode(h.credential.raw)
}

function sdCwtDisclosures(h: Holder): Map<unknown, Uint8Array> {
  const out = new Map<unknown, Uint8Array>()
  for (const d of parseSdCwt(sdCwtBytes(h)).disclosures) out.set(decodeDisclosure(d).key, d)
  return out
}

/** A KBT over the holder's SD-CWT carrying `disclosures` (any), signed by the holder's key. */
async function kbt(h: Holder, disclosures: Uint8Array[]): Promise<Uint8Array> {
  const t = parseSdCwt(sdCwtBytes(h))
  const unprotected = new Map(t.sign1.unprotectedHeaders)
  unprotected.set(SD_CWT_HEADER.sdClaims, disclosures)
  const embedded = new CborTag(COSE_SIGN1_TAG, [t.sign1.protectedBytes, unprotected, t.sign1.payload, t.sign1.signature])
  const claims = new Map<unknown, unknown>([[CWT_CLAIM.aud, AUD], [CWT_CLAIM.iat, s.clock.now], [CWT_CLAIM.cnonce, utf8Encode(NONCE)]])
  return signCoseSign1({ protectedHeaders: new Map<unknown, unknown>([[SD_CWT_HEADER.typ, TYP_KBT], [SD_CWT_HEADER.kcwt, embedded]]), payload: encodeCbor(claims), key: h.privateJwk, provider: s.provider })
}

describe('attack: a disclosure swapped between two credentials', () => {
  it('attack (SD-JWT VC): Bob presents his credential with Alice\'s "role" disclosure and a valid KB-JWT of his own → ERR_SDJWT_DISCLOSURE_UNREFERENCED', async () => {
    const mine = sdJwtDisclosures(bob.jwt.credential.raw)
    const hers = sdJwtDisclosures(alice.jwt.credential.raw)
    // Control: Bob's own org + role verify, with his own role.
    const honest = await verify(await sdJwtPresentation(bob.jwt, [mine.get('org')!, mine.get('role')!]))
    expect(honest.claims).toMatchObject({ sub: USERS.bob.sub, org: 'example.com', role: USERS.bob.role })
    expect(await refusal(verify(await sdJwtPresentation(bob.jwt, [mine.get('org')!, hers.get('role')!])))).toBe('ERR_SDJWT_DISCLOSURE_UNREFERENCED')
  })

  it('attack (SD-CWT): Bob\'s KBT carries Alice\'s "role" disclosure next to his own (KBT re-signed by Bob) → ERR_SDCWT_UNUSED_DISCLOSURE', async () => {
    const mine = sdCwtDisclosures(bob.cwt)
    const hers = sdCwtDisclosures(alice.cwt)
    const honest = await verify(await kbt(bob.cwt, [mine.get('org')!, mine.get('role')!]))
    expect(honest.claims).toMatchObject({ org: 'example.com', role: USERS.bob.role })
    expect(await refusal(verify(await kbt(bob.cwt, [mine.get('org')!, hers.get('role')!])))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
  })

  it('attack (SD-CWT): Alice\'s whole disclosure set moved onto Bob\'s SD-CWT → ERR_SDCWT_UNUSED_DISCLOSURE', async () => {
    const hers = [...sdCwtDisclosures(alice.cwt).values()]
    expect(await refusal(verify(await kbt(bob.cwt, hers)))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
  })
})

describe('attack: a holder presenting a decoy as a claim', () => {
  it('attack (SD-JWT VC): a made-up disclosure ("role": "admin") offered as the preimage of one of the issuer\'s decoy digests → ERR_SDJWT_DISCLOSURE_UNREFERENCED', async () => {
    const mine = sdJwtDisclosures(bob.jwt.credential.raw)
    // The issuer JWT has more digests than disclosures: the decoys. Their preimages do not exist to the holder.
    const payload = JSON.parse(utf8Decode(base64urlDecode(bob.jwt.credential.raw.split('.')[1]!))) as { _sd: string[] }
    expect(payload._sd.length).toBeGreaterThan(mine.size)
    const decoy = base64urlEncode(utf8Encode(JSON.stringify([base64urlEncode(s.provider.randomBytes(16)), 'role', 'admin'])))
    expect(await refusal(verify(await sdJwtPresentation(bob.jwt, [mine.get('org')!, decoy])))).toBe('ERR_SDJWT_DISCLOSURE_UNREFERENCED')
    // Nor can a decoy digest be "disclosed" by writing the digest itself as a disclosure.
    expect(await refusal(verify(await sdJwtPresentation(bob.jwt, [mine.get('org')!, payload._sd[0]!])))).toBe('ERR_SDJWT_DISCLOSURE_MALFORMED')
  })

  it('attack (SD-CWT): a made-up disclosure (salt, "admin", "role") offered for a decoy → ERR_SDCWT_UNUSED_DISCLOSURE; the verified claims never show decoys', async () => {
    const mine = sdCwtDisclosures(bob.cwt)
    const decoy = encodeDisclosure(s.provider.randomBytes(16), 'admin', 'role')
    expect(await refusal(verify(await kbt(bob.cwt, [mine.get('org')!, decoy])))).toBe('ERR_SDCWT_UNUSED_DISCLOSURE')
    // Control: an honest presentation shows exactly what was disclosed plus the always-visible claims, no decoy.
    const honest = await verify(await kbt(bob.cwt, [mine.get('org')!]))
    expect(honest.claims.org).toBe('example.com')
    for (const hidden of ['role', 'name', 'email', 'handle']) expect(honest.claims).not.toHaveProperty(hidden)
    expect(JSON.stringify(honest.claims)).not.toMatch(/admin|simple\(59\)|"59"/)
  })
})
