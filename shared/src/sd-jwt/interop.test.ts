/**
 * Cross-checks with @sd-jwt/core + @sd-jwt/sd-jwt-vc 0.19.0 in both directions: our tokens verify
 * with SDJwtVcInstance, theirs verify with ours; and the sd-jwt-js test cases
 * (../shared/specs/sd-jwt/sd-jwt-js-testcases) run through our issue → present → verify.
 */
import { readdirSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { KeyPair } from '../crypto/jwk.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { vectorDir } from '../test-helpers/vectors.js'
import type { DisclosureFrame } from './frame.js'
import { disclosableFromFrame, pathsFromPresentationFrame } from './frame.js'
import { createSdJwtVcInstance, issueSdJwtVcWithSdJwtJs } from './test-helpers/sd-jwt-js.js'
import { sdJwtVector } from './test-helpers/sd-jwt-vectors.js'
import { checkSdJwtVcReceipt, presentSdJwtVc } from './vc-holder.js'
import { issueSdJwtVc, issueSdJwtVcDetailed } from './vc-issue.js'
import { verifySdJwtVcPresentation } from './vc-verify.js'

const provider = createNodeCryptoProvider()
const NOW = 1_800_000_000
const AUD = 'https://verifier.example'
const NONCE = 'abc123'
const ISS = 'https://issuer.example'
const VCT = 'https://e2eid.example/identity'
const REGISTERED = ['iss', 'iat', 'exp', 'vct', 'cnf']
const withoutRegistered = (c: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(c).filter(([k]) => !REGISTERED.includes(k)))

const claims = {
  given_name: 'Alice',
  email: 'alice@example.com',
  org: 'example.com',
  address: { street_address: '1 Main St', locality: 'Anytown', country: 'DE' },
  nationalities: ['DE', 'FR', 'US'],
}
const disclosable = ['given_name', 'email', 'address', 'address.locality', 'address.country', 'nationalities.0', 'nationalities.2']

describe.each([
  ['ES256 issuer, EdDSA holder', 'ES256', 'EdDSA'],
  ['EdDSA issuer, ES256 holder', 'EdDSA', 'ES256'],
] as const)('interop with @sd-jwt/sd-jwt-vc 0.19.0 (%s)', (_name, issuerAlg, holderAlg) => {
  let issuer: KeyPair
  let holder: KeyPair
  beforeAll(async () => {
    issuer = await provider.generateKeyPair(issuerAlg)
    holder = await provider.generateKeyPair(holderAlg)
  })

  it('our issuance and presentation verify with SDJwtVcInstance', async () => {
    const vc = await issueSdJwtVc({ provider, claims, disclosable, decoys: { '': 3, address: 1, nationalities: 2 }, issuerKey: issuer.privateJwk, iss: ISS, vct: VCT, holderKey: holder.publicJwk, iat: NOW - 10, exp: NOW + 3600 })
    const theirs = createSdJwtVcInstance({ provider, issuerPublicKeys: [issuer.publicJwk] })
    const full = await theirs.verify(vc, { currentDate: NOW })
    const mine = await checkSdJwtVcReceipt(vc, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW })
    expect(full.payload).toEqual(mine.claims)
    expect(withoutRegistered(mine.claims)).toEqual(claims)

    const pres = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['email', 'address.country', 'nationalities.2'], holderKey: holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW })
    const r = await theirs.verify(pres, { currentDate: NOW, keyBindingNonce: NONCE })
    expect(r.kb?.payload.aud).toBe(AUD)
    const ours = await verifySdJwtVcPresentation(pres, { provider, issuerKeys: [issuer.publicJwk], aud: AUD, nonce: NONCE, now: NOW })
    expect(r.payload).toEqual(ours.claims)
    expect(withoutRegistered(ours.claims)).toEqual({ email: 'alice@example.com', org: 'example.com', address: { street_address: '1 Main St', country: 'DE' }, nationalities: ['FR', 'US'] })
  })

  it('the same credential issued through SDJwtVcInstance; ours checks and presents it', async () => {
    const opts = { provider, claims, disclosable, decoys: { '': 2, nationalities: 1 }, issuerKey: issuer.privateJwk, kid: 'k1', iss: ISS, vct: VCT, holderKey: holder.publicJwk, iat: NOW - 10, exp: NOW + 3600, status: { idx: 5, uri: 'https://s.example/1' } }
    const viaLib = await issueSdJwtVcWithSdJwtJs(opts)
    const ours = await issueSdJwtVcDetailed(opts)
    expect(viaLib.header).toEqual({ alg: issuerAlg, typ: 'dc+sd-jwt', kid: 'k1' })
    const label = (d: { name: string | undefined; value: unknown }) => d.name ?? JSON.stringify(d.value)
    expect(viaLib.disclosures.map(label).sort()).toEqual(ours.disclosures.map(label).sort())
    expect((viaLib.payload._sd as string[]).length).toBe(3 + 2)
    const receipt = await checkSdJwtVcReceipt(viaLib.compact, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW })
    const receiptOurs = await checkSdJwtVcReceipt(ours.compact, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW })
    expect(receipt.claims).toEqual(receiptOurs.claims)
    expect(receipt.status).toEqual({ idx: 5, uri: 'https://s.example/1' })
    const pres = await presentSdJwtVc({ provider, sdJwtVc: viaLib.compact, disclose: ['address.locality'], holderKey: holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW })
    const v = await verifySdJwtVcPresentation(pres, { provider, issuerKeys: [issuer.publicJwk], aud: AUD, nonce: NONCE, now: NOW })
    expect(v.claims.address).toEqual({ street_address: '1 Main St', locality: 'Anytown' })
  })

  it('4.1.1 _sd_alg sha-384 / sha-512: both engines issue, ours and theirs verify', async () => {
    for (const sdAlg of ['sha-384', 'sha-512'] as const) {
      for (const engine of ['e2eid', 'sd-jwt-js'] as const) {
        const o = { provider, claims, disclosable, sdAlg, issuerKey: issuer.privateJwk, iss: ISS, vct: VCT, holderKey: holder.publicJwk, iat: NOW - 10, exp: NOW + 3600 }
        const vc = engine === 'e2eid' ? await issueSdJwtVcDetailed(o) : await issueSdJwtVcWithSdJwtJs(o)
        expect(vc.payload._sd_alg).toBe(sdAlg)
        expect(vc.disclosures[0]!.digest).toHaveLength(sdAlg === 'sha-384' ? 64 : 86)
        const pres = await presentSdJwtVc({ provider, sdJwtVc: vc.compact, disclose: ['address.country'], holderKey: holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW })
        const ours = await verifySdJwtVcPresentation(pres, { provider, issuerKeys: [issuer.publicJwk], aud: AUD, nonce: NONCE, now: NOW })
        expect(ours.claims.address).toEqual({ street_address: '1 Main St', country: 'DE' })
        const theirs = await createSdJwtVcInstance({ provider, issuerPublicKeys: [issuer.publicJwk] }).verify(pres, { currentDate: NOW, keyBindingNonce: NONCE })
        expect(theirs.payload).toEqual(ours.claims)
      }
    }
  })

  it('SDJwtVcInstance issuance and presentation verify with ours', async () => {
    const lib = createSdJwtVcInstance({ provider, issuerKey: issuer.privateJwk, holderKey: holder.privateJwk, issuerPublicKeys: [issuer.publicJwk] })
    const frame = { _sd: ['given_name', 'email', 'address'], _sd_decoy: 2, address: { _sd: ['locality', 'country'] }, nationalities: { _sd: [0, 2] } }
    const vc = await lib.issue({ iss: ISS, iat: NOW - 10, exp: NOW + 3600, vct: VCT, cnf: { jwk: holder.publicJwk }, ...claims }, frame as never)
    const receipt = await checkSdJwtVcReceipt(vc, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW })
    expect(withoutRegistered(receipt.claims)).toEqual(claims)

    const pres = await lib.present(vc, { email: true, address: { country: true } } as never, { kb: { payload: { iat: NOW, aud: AUD, nonce: NONCE } } })
    const ours = await verifySdJwtVcPresentation(pres, { provider, issuerKeys: [issuer.publicJwk], aud: AUD, nonce: NONCE, now: NOW })
    expect(withoutRegistered(ours.claims)).toEqual({ email: 'alice@example.com', org: 'example.com', address: { street_address: '1 Main St', country: 'DE' }, nationalities: ['FR'] })
    expect(ours.header.typ).toBe('dc+sd-jwt')
    // and our presentation of their credential verifies with them
    const ourPres = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['given_name', 'nationalities.1'], holderKey: holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW })
    const r = await lib.verify(ourPres, { currentDate: NOW, keyBindingNonce: NONCE })
    expect(withoutRegistered(r.payload as Record<string, unknown>)).toEqual({ given_name: 'Alice', org: 'example.com', nationalities: ['FR'] })
  })
})

const jsCasesDir = vectorDir('sd-jwt/sd-jwt-js-testcases')
const jsCases = jsCasesDir === undefined ? [] : readdirSync(jsCasesDir).filter((n) => n.endsWith('.json')).sort()

describe.runIf(jsCases.length > 0)('sd-jwt-js test cases (packages/core/test/*.json)', () => {
  let issuer: KeyPair
  let holder: KeyPair
  beforeAll(async () => {
    issuer = await provider.generateKeyPair('ES256')
    holder = await provider.generateKeyPair('EdDSA')
  })
  interface JsCase {
    claims: Record<string, unknown>
    disclosureFrame?: DisclosureFrame
    presentationFrames?: Record<string, unknown>
    presentedClaims: Record<string, unknown>
    requiredClaimKeys?: string[]
  }
  const hasPath = (obj: unknown, path: string): boolean =>
    path.split('.').every((seg) => {
      if (typeof obj !== 'object' || obj === null || !Object.hasOwn(obj, seg)) return false
      obj = (obj as Record<string, unknown>)[seg]
      return true
    })

  it.each(jsCases)('%s: issue → receipt → present → verify gives presentedClaims; SDJwtVcInstance agrees', async (file) => {
    const c = sdJwtVector<JsCase>(`sd-jwt-js-testcases/${file}`)
    const { disclosable: paths, decoys } = disclosableFromFrame(c.disclosureFrame ?? {})
    const vc = await issueSdJwtVc({ provider, claims: c.claims, disclosable: paths, decoys, issuerKey: issuer.privateJwk, iss: ISS, vct: VCT, holderKey: holder.publicJwk, iat: NOW - 10, exp: NOW + 3600 })
    const full = await checkSdJwtVcReceipt(vc, { provider, issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, now: NOW })
    expect(withoutRegistered(full.claims)).toEqual(c.claims)
    for (const k of c.requiredClaimKeys ?? []) expect(hasPath(full.claims, k), k).toBe(true)

    const pres = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: pathsFromPresentationFrame(c.presentationFrames ?? {}), holderKey: holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW })
    const ours = await verifySdJwtVcPresentation(pres, { provider, issuerKeys: [issuer.publicJwk], aud: AUD, nonce: NONCE, now: NOW })
    expect(withoutRegistered(ours.claims)).toEqual(c.presentedClaims)
    const theirs = await createSdJwtVcInstance({ provider, issuerPublicKeys: [issuer.publicJwk] }).verify(pres, { currentDate: NOW, keyBindingNonce: NONCE })
    expect(theirs.payload).toEqual(ours.claims)
  })
})
