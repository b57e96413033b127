/**
 * One negative test per check that our layer adds over @sd-jwt 0.19.0 (reference/sd-jwt-js.md §7),
 * named after its RFC 9901 / SD-JWT VC clause. Each token is valid except for the one defect.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { isE2eidError } from '../errors.js'
import type { Forge } from './test-helpers/forge.js'
import { AUD, createForge, digestOf, NONCE, NOW, rawDisclosure } from './test-helpers/forge.js'
import { checkSdJwtVcReceipt } from './vc-holder.js'
import type { VerifySdJwtVcOptions } from './vc-verify.js'
import { verifySdJwtVcPresentation } from './vc-verify.js'
import { verifySdJwt } from './verify.js'

const provider = createNodeCryptoProvider()
let f: Forge
beforeAll(async () => {
  f = await createForge(provider)
})

const policy = (over: Partial<VerifySdJwtVcOptions> = {}): VerifySdJwtVcOptions => ({
  provider,
  issuerKeys: [f.issuer.publicJwk],
  aud: AUD,
  nonce: NONCE,
  now: NOW,
  skew: 0,
  ...over,
})

/** `<JWT>~<disclosures>~<KB>` with a fresh, correct KB-JWT unless `kb` is false. */
async function token(
  payload: Record<string, unknown>,
  disclosures: string[] = [],
  opts: { header?: Record<string, unknown>; kb?: false | Parameters<Forge['kb']>[1] } = {},
): Promise<string> {
  const sd = (await f.jwt(payload, opts.header)) + '~' + disclosures.map((d) => d + '~').join('')
  return opts.kb === false ? sd : sd + (await f.kb(sd, opts.kb))
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e, `expected ${code}`).toBeDefined()
  expect(isE2eidError(e) ? e.code : e).toBe(code)
}

describe('baseline', () => {
  it('a well-formed SD-JWT VC + KB verifies (so every rejection below is caused by its one defect)', async () => {
    const d = rawDisclosure(['salt-a', 'email', 'a@example.com'])
    const r = await verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, d)] }), [d]), policy())
    expect(r.claims.email).toBe('a@example.com')
    expect(r.keyBinding?.nonce).toBe(NONCE)
  })
})

describe('RFC 9901 §4 serialization', () => {
  it('4: a bare JWT (no "~") is not an SD-JWT', async () => {
    const jwt = await f.jwt(f.vcPayload())
    await rejects(verifySdJwtVcPresentation(jwt, policy({ requireKeyBinding: false })), 'ERR_SDJWT_MALFORMED')
  })
  it('4: KB with no disclosures is JWT~KB, never JWT~~KB', async () => {
    const jwt = await f.jwt(f.vcPayload())
    const kb = await f.kb(jwt + '~')
    await rejects(verifySdJwtVcPresentation(`${jwt}~~${kb}`, policy()), 'ERR_SDJWT_MALFORMED')
  })
  it('4: the same disclosure sent twice is rejected', async () => {
    const d = rawDisclosure(['s', 'email', 'a@example.com'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, d)] }), [d, d]), policy()), 'ERR_SDJWT_DISCLOSURE_DUPLICATE')
  })
  it('input longer than the cap is refused before parsing', async () => {
    await rejects(verifySdJwtVcPresentation('a'.repeat(2000) + '~', policy({ maxLength: 1000 })), 'ERR_SDJWT_TOO_LARGE')
  })
})

describe('RFC 9901 §7.1 step 2: the issuer-signed JWT', () => {
  it('7.1 step 2a: issuer alg "none" is rejected', async () => {
    const h = base64urlEncode(utf8Encode(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt' })))
    const p = base64urlEncode(utf8Encode(JSON.stringify(f.vcPayload())))
    await rejects(verifySdJwtVcPresentation(`${h}.${p}.~`, policy({ requireKeyBinding: false })), 'ERR_SDJWT_ALG_NOT_ALLOWED')
  })
  it('7.1 step 2a: an algorithm outside the allow-list is rejected (HS256; ES256 when only EdDSA is allowed)', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { header: { alg: 'HS256' } }), policy()), 'ERR_SDJWT_ALG_NOT_ALLOWED')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload()), policy({ algorithms: ['EdDSA'] })), 'ERR_SDJWT_ALG_NOT_ALLOWED')
  })
  it('7.1 step 2b: a signature over another payload is rejected', async () => {
    const t = await token(f.vcPayload(), [], { kb: false })
    const [h, , s] = t.slice(0, -1).split('.')
    const p2 = base64urlEncode(utf8Encode(JSON.stringify(f.vcPayload({ vct: 'https://evil.example' }))))
    await rejects(verifySdJwtVcPresentation(`${h}.${p2}.${s}~`, policy({ requireKeyBinding: false })), 'ERR_SDJWT_SIGNATURE_INVALID')
  })
  it('7.1 step 2c: no trusted key for the issuer / kid is rejected', async () => {
    const t = await token(f.vcPayload(), [], { header: { kid: 'k2' } })
    await rejects(verifySdJwtVcPresentation(t, policy({ issuerKeys: [{ ...f.issuer.publicJwk, kid: 'k1' }] })), 'ERR_SDJWT_ISSUER_KEY_UNKNOWN')
    await rejects(verifySdJwtVcPresentation(t, policy({ issuerKeys: ({ iss }) => (iss === 'https://other.example' ? [f.issuer.publicJwk] : []) })), 'ERR_SDJWT_ISSUER_KEY_UNKNOWN')
    await rejects(verifySdJwtVcPresentation(t, policy({ issuerKeys: [f.holder.publicJwk] })), 'ERR_SDJWT_ISSUER_KEY_UNKNOWN')
  })
  it('7.1 step 2d: an unsupported _sd_alg (truncated sha-256-32) is rejected', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd_alg: 'sha-256-32' })), policy()), 'ERR_SDJWT_HASH_ALG_UNSUPPORTED')
  })
  it('9.11 / SD-JWT VC 2.2.1: typ dc+sd-jwt is required; vc+sd-jwt only with acceptLegacyTyp', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { header: { typ: undefined } }), policy()), 'ERR_SDJWT_TYP_INVALID')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { header: { typ: 'JWT' } }), policy()), 'ERR_SDJWT_TYP_INVALID')
    const legacy = await token(f.vcPayload(), [], { header: { typ: 'vc+sd-jwt' } })
    await rejects(verifySdJwtVcPresentation(legacy, policy()), 'ERR_SDJWT_TYP_INVALID')
    expect((await verifySdJwtVcPresentation(legacy, policy({ acceptLegacyTyp: true }))).vct).toBe('https://e2eid.example/identity')
  })
  it('RFC 7515 4.1.9: typ compares as a media type (application/ prefix, case-insensitive)', async () => {
    expect((await verifySdJwtVcPresentation(await token(f.vcPayload(), [], { header: { typ: 'application/DC+SD-JWT' } }), policy())).vct).toBeDefined()
    expect((await verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { header: { typ: 'application/kb+jwt' } } }), policy())).vct).toBeDefined()
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { header: { typ: 'application/example+sd-jwt' } }), policy()), 'ERR_SDJWT_TYP_INVALID')
  })
  it('RFC 7515 4.1.11: an unknown crit header is rejected', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { header: { crit: ['x'], x: 1 } }), policy()), 'ERR_SDJWT_CRIT_UNSUPPORTED')
  })
})

describe('RFC 9901 §7.1 steps 3-5: processing the disclosures', () => {
  it('7.1 step 3.c.ii.1: a 2-element disclosure referenced from _sd is rejected', async () => {
    const d = rawDisclosure(['s', 'value-only'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, d)] }), [d]), policy()), 'ERR_SDJWT_DISCLOSURE_MALFORMED')
  })
  it('7.1 step 3.c.iii.1: a 3-element disclosure referenced from an array is rejected', async () => {
    const d = rawDisclosure(['s', 'name', 'x'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ list: [{ '...': digestOf(provider, d) }] }), [d]), policy()), 'ERR_SDJWT_DISCLOSURE_MALFORMED')
  })
  it('7.1 step 3.c.ii.2: a disclosure named _sd or ... is rejected', async () => {
    for (const name of ['_sd', '...']) {
      const d = rawDisclosure(['s', name, ['x']])
      await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, d)] }), [d]), policy()), 'ERR_SDJWT_DISCLOSURE_RESERVED_NAME')
    }
  })
  it('7.1 step 3.c.ii.3: a disclosed claim that already exists at its level is rejected', async () => {
    const d = rawDisclosure(['s', 'email', 'b@example.com'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ email: 'a@example.com', _sd: [digestOf(provider, d)] }), [d]), policy()), 'ERR_SDJWT_CLAIM_COLLISION')
  })
  it('7.1 step 3.c.ii.3: a disclosure named like the plain _sd_alg collides with it', async () => {
    const d = rawDisclosure(['s', '_sd_alg', 'sha-512'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, d)] }), [d]), policy()), 'ERR_SDJWT_CLAIM_COLLISION')
  })
  it('7.1 step 4: duplicate digest (twice in _sd, and once in the payload plus once inside a disclosure)', async () => {
    const d = rawDisclosure(['s', 'email', 'a@example.com'])
    const h = digestOf(provider, d)
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [h, h] }), [d]), policy()), 'ERR_SDJWT_DIGEST_DUPLICATE')
    const outer = rawDisclosure(['t', 'contact', { _sd: [h] }])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [h, digestOf(provider, outer)] }), [d, outer]), policy()), 'ERR_SDJWT_DIGEST_DUPLICATE')
    // a duplicated decoy (no disclosure) is a duplicate too
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: ['decoy', 'decoy'] })), policy()), 'ERR_SDJWT_DIGEST_DUPLICATE')
  })
  it('7.1 step 5: a disclosure not referenced by any digest is rejected', async () => {
    const d = rawDisclosure(['s', 'email', 'a@example.com'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [d]), policy()), 'ERR_SDJWT_DISCLOSURE_UNREFERENCED')
    // a child disclosure sent without the parent that references it
    const child = rawDisclosure(['c', 'country', 'DE'])
    const parent = rawDisclosure(['p', 'address', { _sd: [digestOf(provider, child)] }])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, parent)] }), [child]), policy()), 'ERR_SDJWT_DISCLOSURE_UNREFERENCED')
  })
  it('4.2.4.2: an array placeholder {"...": d} with other keys is rejected', async () => {
    const d = rawDisclosure(['s', 'DE'])
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ n: [{ '...': digestOf(provider, d), x: 1 }] }), [d]), policy()), 'ERR_SDJWT_SD_MALFORMED')
  })
  it('4.1: _sd that is not an array of strings, and "..." as an object key, are rejected', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: 'x' })), policy()), 'ERR_SDJWT_SD_MALFORMED')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [42] })), policy()), 'ERR_SDJWT_SD_MALFORMED')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ o: { '...': 'x', y: 1 } })), policy()), 'ERR_SDJWT_SD_MALFORMED')
  })
  it('4.2.3: digests are over the disclosure as sent (a re-encoded disclosure does not match)', async () => {
    const sent = rawDisclosure(['s', 'email', 'a@example.com'])
    const reencoded = base64urlEncode(utf8Encode('["s", "email", "a@example.com"]'))
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ _sd: [digestOf(provider, sent)] }), [reencoded]), policy()), 'ERR_SDJWT_DISCLOSURE_UNREFERENCED')
  })
})

describe('RFC 9901 §7.1 step 6: validity on the processed payload', () => {
  it('7.1 step 6: exp == now is expired (no skew)', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ exp: NOW })), policy()), 'ERR_SDJWT_EXPIRED')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ exp: NOW - 10 })), policy({ skew: 10 })), 'ERR_SDJWT_EXPIRED')
    expect((await verifySdJwtVcPresentation(await token(f.vcPayload({ exp: NOW - 10 })), policy({ skew: 11 }))).vct).toBeDefined()
  })
  it('7.1 step 6: a NaN or negative skew / NaN clock is refused rather than disabling the checks', async () => {
    const t = await token(f.vcPayload({ exp: NOW }))
    await rejects(verifySdJwtVcPresentation(t, policy({ skew: Number.NaN })), 'ERR_SDJWT_INPUT_INVALID')
    await rejects(verifySdJwtVcPresentation(t, policy({ skew: -1 })), 'ERR_SDJWT_INPUT_INVALID')
    await rejects(verifySdJwtVcPresentation(t, policy({ now: Number.NaN })), 'ERR_SDJWT_INPUT_INVALID')
    await rejects(verifySdJwtVcPresentation(t, policy({ maxKbAge: Number.NaN })), 'ERR_SDJWT_INPUT_INVALID')
  })
  it('7.1 step 6: an exp hidden in a disclosure is checked after processing', async () => {
    const d = rawDisclosure(['s', 'exp', NOW - 1])
    const payload = f.vcPayload({ _sd: [digestOf(provider, d)] })
    delete payload.exp
    await rejects(verifySdJwt(await token(payload, [d]), { ...policy(), typ: 'dc+sd-jwt' }), 'ERR_SDJWT_EXPIRED')
  })
  it('7.1 step 6: nbf in the future, iat in the future, non-numeric exp', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ nbf: NOW + 1 })), policy()), 'ERR_SDJWT_NOT_YET_VALID')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ iat: NOW + 1 })), policy()), 'ERR_SDJWT_IAT_IN_FUTURE')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ exp: '2099-01-01' })), policy()), 'ERR_SDJWT_CLAIM_INVALID')
  })
})

describe('RFC 9901 §7.3: key binding', () => {
  it('7.3 step 1-2: KB is required by policy, also when no nonce is passed (KB stripping)', async () => {
    const stripped = await token(f.vcPayload(), [], { kb: false })
    const { nonce: _n, ...noNonce } = policy()
    await rejects(verifySdJwtVcPresentation(stripped, noNonce), 'ERR_SDJWT_KB_MISSING')
    await rejects(verifySdJwtVcPresentation(stripped, policy()), 'ERR_SDJWT_KB_MISSING')
  })
  it('7.3 step 3: a KB-JWT signed by another key than cnf.jwk is rejected', async () => {
    const other = await provider.generateKeyPair('EdDSA')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { key: other.privateJwk } }), policy()), 'ERR_SDJWT_KB_SIGNATURE_INVALID')
  })
  it('7.3 step 4: KB-JWT typ must be kb+jwt', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { header: { typ: 'JWT' } } }), policy()), 'ERR_SDJWT_KB_TYP_INVALID')
  })
  it('7.3 step 3 / 4.3: KB-JWT alg none is rejected', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { header: { alg: 'none' } } }), policy()), 'ERR_SDJWT_KB_ALG_NOT_ALLOWED')
  })
  it('7.3 step 5: KB-JWT iat outside the window (too old, in the future)', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { iat: NOW - 301 } } }), policy()), 'ERR_SDJWT_KB_IAT_INVALID')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { iat: NOW + 1 } } }), policy()), 'ERR_SDJWT_KB_IAT_INVALID')
  })
  it('7.3 step 6: aud and nonce must match', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { aud: 'https://other.example' } } }), policy()), 'ERR_SDJWT_KB_AUD_MISMATCH')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { aud: [AUD] } } }), policy()), 'ERR_SDJWT_KB_MALFORMED')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { nonce: 'replayed' } } }), policy()), 'ERR_SDJWT_KB_NONCE_MISMATCH')
  })
  it('7.3 step 7: sd_hash covers everything up to and including the last "~"', async () => {
    const d = rawDisclosure(['s', 'email', 'a@example.com'])
    const jwt = await f.jwt(f.vcPayload({ _sd: [digestOf(provider, d)] }))
    const withoutTilde = `${jwt}~${d}` // sd-jwt-rust #31
    const kb = await f.kb(withoutTilde)
    await rejects(verifySdJwtVcPresentation(`${jwt}~${d}~${kb}`, policy()), 'ERR_SDJWT_KB_SD_HASH_MISMATCH')
    // a disclosure removed after the KB-JWT was made
    const kb2 = await f.kb(`${jwt}~${d}~`)
    await rejects(verifySdJwtVcPresentation(`${jwt}~${kb2}`, policy()), 'ERR_SDJWT_KB_SD_HASH_MISMATCH')
  })
  it('7.3 step 8: a KB-JWT that is otherwise invalid as a JWT (exp passed, nbf ahead) is rejected', async () => {
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { exp: NOW } } }), policy()), 'ERR_SDJWT_KB_EXPIRED')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { nbf: NOW + 5 } } }), policy()), 'ERR_SDJWT_KB_EXPIRED')
    expect((await verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { exp: NOW + 60 } } }), policy())).keyBinding?.iat).toBe(NOW)
  })
  it('4.3: a KB-JWT without nonce / iat / sd_hash is rejected', async () => {
    for (const missing of ['nonce', 'iat', 'sd_hash']) {
      await rejects(verifySdJwtVcPresentation(await token(f.vcPayload(), [], { kb: { payload: { [missing]: undefined } } }), policy()), 'ERR_SDJWT_KB_MALFORMED')
    }
  })
  it('RFC 7800 / SD-JWT VC 2.2.2: cnf.jwk is required for key binding', async () => {
    const p = f.vcPayload()
    delete p.cnf
    await rejects(verifySdJwtVcPresentation(await token(p), policy()), 'ERR_SDJWT_CNF_MISSING')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ cnf: { jwk: { kty: 'EC', crv: 'P-256', x: 'AA' } } })), policy()), 'ERR_SDJWT_CNF_INVALID')
  })
})

describe('SD-JWT VC §2.2.2 claims', () => {
  it('2.2.2: vct is required', async () => {
    const p = f.vcPayload()
    delete p.vct
    await rejects(verifySdJwtVcPresentation(await token(p), policy()), 'ERR_SDJWT_VCT_MISSING')
  })
  it('2.2.2: vct, cnf, status must not be selectively disclosed', async () => {
    for (const [name, value] of [['vct', 'https://e2eid.example/other'], ['status', { status_list: { idx: 1, uri: 'https://s' } }]] as const) {
      const d = rawDisclosure(['s', name, value])
      const p = f.vcPayload({ _sd: [digestOf(provider, d)] })
      delete p[name]
      await rejects(verifySdJwtVcPresentation(await token(p, [d]), policy()), 'ERR_SDJWT_VC_CLAIM_DISCLOSED')
    }
  })
  it('our profile: iss is required; status.status_list must have idx and uri', async () => {
    const p = f.vcPayload()
    delete p.iss
    await rejects(verifySdJwtVcPresentation(await token(p), policy()), 'ERR_SDJWT_ISS_MISSING')
    await rejects(verifySdJwtVcPresentation(await token(f.vcPayload({ status: { status_list: { idx: -1, uri: 'https://s' } } })), policy()), 'ERR_SDJWT_STATUS_INVALID')
    const ok = await verifySdJwtVcPresentation(await token(f.vcPayload({ status: { status_list: { idx: 7, uri: 'https://s/1' } } })), policy())
    expect(ok.status).toEqual({ idx: 7, uri: 'https://s/1' })
  })
})

describe('RFC 9901 §7.2: holder checks on receipt', () => {
  const receipt = () => ({ provider, issuerKeys: [f.issuer.publicJwk], holderKey: f.holder.publicJwk, now: NOW })
  it('7.2: an issued SD-JWT that carries a KB-JWT is rejected', async () => {
    await rejects(checkSdJwtVcReceipt(await token(f.vcPayload()), receipt()), 'ERR_SDJWT_KB_UNEXPECTED')
  })
  it('7.2: cnf must be the holder key', async () => {
    const other = await provider.generateKeyPair('EdDSA')
    await rejects(checkSdJwtVcReceipt(await token(f.vcPayload({ cnf: { jwk: other.publicJwk } }), [], { kb: false }), receipt()), 'ERR_SDJWT_CNF_MISMATCH')
  })
  it('7.2 (7.1 step 5): every disclosure must be referenced; step 2b: the signature must verify', async () => {
    const d = rawDisclosure(['s', 'email', 'a@example.com'])
    await rejects(checkSdJwtVcReceipt(await token(f.vcPayload(), [d], { kb: false }), receipt()), 'ERR_SDJWT_DISCLOSURE_UNREFERENCED')
    const t = await token(f.vcPayload(), [], { kb: false })
    await rejects(checkSdJwtVcReceipt(t, { ...receipt(), issuerKeys: [(await provider.generateKeyPair('ES256')).publicJwk] }), 'ERR_SDJWT_SIGNATURE_INVALID')
  })
})
