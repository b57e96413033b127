/**
 * Issuance inputs, claim paths and presentation building (RFC 9901 §4, §4.2.6, §7.2; SD-JWT VC §2.2.2).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { KeyPair } from '../crypto/jwk.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { isE2eidError } from '../errors.js'
import { parseSdJwtClaimPath } from './claim-path.js'
import { splitSdJwt } from './compact.js'
import { issueSdJwt } from './issue.js'
import { openSdJwt, previewSdJwtPresentation, presentSdJwt } from './present.js'
import { checkSdJwtVcReceipt, presentSdJwtVc } from './vc-holder.js'
import { issueSdJwtVc, issueSdJwtVcDetailed } from './vc-issue.js'
import { verifySdJwtVcPresentation } from './vc-verify.js'

const provider = createNodeCryptoProvider()
const NOW = 1_800_000_000
let issuer: KeyPair
let holder: KeyPair
beforeAll(async () => {
  issuer = await provider.generateKeyPair('EdDSA')
  holder = await provider.generateKeyPair('EdDSA')
})

const code = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (e) {
    return isE2eidError(e) ? e.code : String(e)
  }
  return undefined
}
const asyncCode = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (isE2eidError(e) ? e.code : String(e)),
  )

const claims = {
  email: 'alice@example.com',
  org: 'example.com',
  address: { street_address: '1 Main St', country: 'DE' },
  nationalities: ['DE', 'FR', 'US'],
  'odd.name': 'dotted',
}
const vcOptions = () => ({
  provider,
  claims,
  disclosable: ['email', 'address', 'address.country', 'nationalities.0', 'nationalities.1', 'nationalities.2', ['odd.name']],
  decoys: { '': 2, nationalities: 2, address: 1 },
  issuerKey: issuer.privateJwk,
  iss: 'https://issuer.example',
  vct: 'https://e2eid.example/identity',
  holderKey: holder.publicJwk,
  iat: NOW - 10,
  nbf: NOW - 10,
  exp: NOW + 3600,
  status: { idx: 42, uri: 'https://issuer.example/status-lists/1' },
})
const present = (vc: string, disclose: (string | readonly (string | number)[])[]) =>
  presentSdJwtVc({ provider, sdJwtVc: vc, disclose, holderKey: holder.privateJwk, aud: 'https://v.example', nonce: 'n1', iat: NOW })
const verify = (p: string) => verifySdJwtVcPresentation(p, { provider, issuerKeys: [issuer.publicJwk], aud: 'https://v.example', nonce: 'n1', now: NOW })

describe('claim paths (shared syntax with SD-CWT)', () => {
  it('labels joined by dots, array positions as numbers', () => {
    expect(parseSdJwtClaimPath('email')).toEqual(['email'])
    expect(parseSdJwtClaimPath('address.country')).toEqual(['address', 'country'])
    expect(parseSdJwtClaimPath('nationalities.1')).toEqual(['nationalities', 1])
    expect(parseSdJwtClaimPath(['odd.name'])).toEqual(['odd.name'])
    for (const bad of ['', 'a..b', '.a', 'a.']) expect(code(() => parseSdJwtClaimPath(bad))).toBe('ERR_SDJWT_PATH_INVALID')
    expect(code(() => parseSdJwtClaimPath([]))).toBe('ERR_SDJWT_PATH_INVALID')
    expect(code(() => parseSdJwtClaimPath(['a', -1]))).toBe('ERR_SDJWT_PATH_INVALID')
  })
})

describe('issuance (RFC 9901 §4, SD-JWT VC §2)', () => {
  it('4: the issued SD-JWT ends with "~", carries typ dc+sd-jwt, cnf, status, iat/nbf/exp in the clear, sorted _sd', async () => {
    const issued = await issueSdJwtVcDetailed({ ...vcOptions(), kid: 'k1' })
    expect(issued.compact.endsWith('~')).toBe(true)
    expect(issued.header).toEqual({ alg: 'EdDSA', typ: 'dc+sd-jwt', kid: 'k1' })
    const p = issued.payload
    expect(p).toMatchObject({ iss: 'https://issuer.example', iat: NOW - 10, nbf: NOW - 10, exp: NOW + 3600, vct: 'https://e2eid.example/identity', org: 'example.com', _sd_alg: 'sha-256' })
    expect(p.cnf).toEqual({ jwk: holder.publicJwk })
    expect(p.status).toEqual({ status_list: { idx: 42, uri: 'https://issuer.example/status-lists/1' } })
    const sd = p._sd as string[]
    expect(sd).toHaveLength(3 + 2) // email, address, odd.name + 2 decoys
    expect([...sd].sort()).toEqual(sd)
    expect((p.nationalities as unknown[]).length).toBe(3 + 2)
    expect(issued.disclosures).toHaveLength(7)
    // salts: 128 bits, all different (§4.2.1, §9.3)
    const salts = new Set(issued.disclosures.map((d) => d.salt))
    expect(salts.size).toBe(7)
    for (const s of salts) expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  it('a credential without disclosable claims has no _sd and serializes as <JWT>~', async () => {
    const issued = await issueSdJwtVcDetailed({ ...vcOptions(), disclosable: [], decoys: 0 })
    expect(issued.payload._sd).toBeUndefined()
    expect(issued.compact.split('~')).toHaveLength(2)
  })

  it('SD-JWT VC 2.2.2: registered claims are refused as attributes and as disclosable paths', async () => {
    expect(await asyncCode(issueSdJwtVc({ ...vcOptions(), claims: { ...claims, vct: 'x' } }))).toBe('ERR_SDJWT_INPUT_INVALID')
    expect(await asyncCode(issueSdJwtVc({ ...vcOptions(), disclosable: ['status'] }))).toBe('ERR_SDJWT_INPUT_INVALID')
    expect(await asyncCode(issueSdJwtVc({ ...vcOptions(), claims: { ...claims, cnf: {} } }))).toBe('ERR_SDJWT_INPUT_INVALID')
  })

  it('4.1: reserved names (_sd, ..., _sd_alg) anywhere in the claims are refused; unknown paths too', async () => {
    const base = { provider, issuerKey: issuer.privateJwk }
    expect(await asyncCode(issueSdJwt({ ...base, claims: { a: { _sd: [] } } }))).toBe('ERR_SDJWT_INPUT_INVALID')
    expect(await asyncCode(issueSdJwt({ ...base, claims: { a: [{ '...': 'x' }] } }))).toBe('ERR_SDJWT_INPUT_INVALID')
    expect(await asyncCode(issueSdJwt({ ...base, claims: { _sd_alg: 'x' } }))).toBe('ERR_SDJWT_INPUT_INVALID')
    expect(await asyncCode(issueSdJwt({ ...base, claims: { a: 1 }, disclosable: ['b'] }))).toBe('ERR_SDJWT_PATH_NOT_FOUND')
    expect(await asyncCode(issueSdJwt({ ...base, claims: { a: [1] }, disclosable: ['a.1'] }))).toBe('ERR_SDJWT_PATH_NOT_FOUND')
    expect(await asyncCode(issueSdJwt({ ...base, claims: { a: Number.NaN } }))).toBe('ERR_SDJWT_INPUT_INVALID')
  })

  it('salts come from the injected generator (reproducible issuance)', async () => {
    let n = 0
    const opts = { ...vcOptions(), decoys: 0, saltGenerator: () => `salt-${n++}` }
    const a = await issueSdJwtVcDetailed(opts)
    n = 0
    const b = await issueSdJwtVcDetailed(opts)
    expect(a.disclosures.map((d) => d.encoded)).toEqual(b.disclosures.map((d) => d.encoded))
    expect(a.payload).toEqual(b.payload)
  })
})

describe('presentation (RFC 9901 §4.2.6, §4.3)', () => {
  it('4.2.6: disclosing a nested claim discloses its containers; array positions skip decoys', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    const r = await verify(await present(vc, ['address.country', 'nationalities.1']))
    expect(r.claims.address).toEqual({ street_address: '1 Main St', country: 'DE' })
    expect(r.claims.nationalities).toEqual(['FR'])
    expect(r.claims.email).toBeUndefined()
    expect(r.status).toEqual({ idx: 42, uri: 'https://issuer.example/status-lists/1' })
  })

  it('disclosing a container discloses everything in it; a dotted claim name is reachable as an array path', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    const r = await verify(await present(vc, ['address', ['odd.name'], 'nationalities.2']))
    expect(r.claims.address).toEqual({ street_address: '1 Main St', country: 'DE' })
    expect(r.claims['odd.name']).toBe('dotted')
    expect(r.claims.nationalities).toEqual(['US'])
  })

  it('4: only the chosen disclosures are sent, in issuance order; with none it is JWT~KB', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    const none = await present(vc, [])
    const parts = splitSdJwt(none)
    expect(parts.disclosures).toHaveLength(0)
    expect(none.split('~')).toHaveLength(2)
    expect((await verify(none)).claims).toEqual({
      iss: 'https://issuer.example',
      iat: NOW - 10,
      nbf: NOW - 10,
      exp: NOW + 3600,
      vct: 'https://e2eid.example/identity',
      org: 'example.com',
      nationalities: [],
      cnf: { jwk: holder.publicJwk },
      status: { status_list: { idx: 42, uri: 'https://issuer.example/status-lists/1' } },
    })
    const one = splitSdJwt(await present(vc, ['email']))
    expect(one.disclosures).toHaveLength(1)
    const all = openSdJwt(provider, vc).disclosures.map((d) => d.encoded)
    const some = splitSdJwt(await present(vc, ['nationalities.2', 'email'])).disclosures
    expect(some).toEqual(all.filter((d) => some.includes(d)))
  })

  it('previewSdJwtPresentation shows exactly the claims a presentation will reveal', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    const preview = previewSdJwtPresentation(provider, vc, ['address.country', 'nationalities.0'])
    const verified = await verify(await present(vc, ['address.country', 'nationalities.0']))
    expect(preview).toEqual(verified.claims)
  })

  it('a path that is not in the credential, or not disclosable through its container, is refused', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    expect(await asyncCode(present(vc, ['phone']))).toBe('ERR_SDJWT_PATH_NOT_FOUND')
    expect(await asyncCode(present(vc, ['nationalities.3']))).toBe('ERR_SDJWT_PATH_NOT_FOUND')
    expect(await asyncCode(present(vc, ['org.x']))).toBe('ERR_SDJWT_PATH_NOT_FOUND')
    expect(await asyncCode(present(vc, ['a..b']))).toBe('ERR_SDJWT_PATH_INVALID')
  })

  it('7.2: a presentation cannot be built from an SD-JWT+KB; without a holder key it ends with "~"', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    const p = await present(vc, ['email'])
    expect(await asyncCode(present(p, ['email']))).toBe('ERR_SDJWT_KB_UNEXPECTED')
    const noKb = await presentSdJwt({ provider, sdJwt: vc, disclose: ['email'] })
    expect(noKb.endsWith('~')).toBe(true)
    expect((await verifySdJwtVcPresentation(noKb, { provider, issuerKeys: [issuer.publicJwk], requireKeyBinding: false, now: NOW })).claims.email).toBe('alice@example.com')
  })

  it('receipt returns all claims with holder key, issuer, vct and status', async () => {
    const vc = await issueSdJwtVc(vcOptions())
    const r = await checkSdJwtVcReceipt(vc, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW })
    expect(r).toMatchObject({ issuer: 'https://issuer.example', vct: 'https://e2eid.example/identity', status: { idx: 42, uri: 'https://issuer.example/status-lists/1' } })
    expect(r.holderKey).toEqual(holder.publicJwk)
    expect(r.claims.nationalities).toEqual(['DE', 'FR', 'US'])
    expect(await asyncCode(checkSdJwtVcReceipt(vc, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW + 3600, skew: 0 }))).toBe('ERR_SDJWT_EXPIRED')
  })
})
