/**
 * RFC 9901 and SD-JWT VC -18 examples from ../shared/specs/sd-jwt (read at run time):
 * issuance reproduced byte for byte from the examples' salts, presentations verified and
 * their processed payloads compared exactly.
 */
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import { createDisclosure, decodeDisclosure } from './disclosure.js'
import { issueSdJwt } from './issue.js'
import { processSdJwtPayload } from './process.js'
import { issueSdJwtVcDetailed } from './vc-issue.js'
import { verifySdJwtVcPresentation } from './vc-verify.js'
import { verifySdJwt } from './verify.js'
import { decodeSegment, haveSdJwtVectors, replaySalts, saltsOf, sdJwtVector, vectorKeys } from './test-helpers/sd-jwt-vectors.js'

const provider = createNodeCryptoProvider()
type Disc = { label: string; digest: string; disclosure: string }
type Vector = Record<string, unknown> & { disclosures: Disc[]; verified_contents: Record<string, unknown> }
const signingInput = (jwt: string): string => jwt.split('~')[0]!.split('.').slice(0, 2).join('.')
const payloadOf = (jwt: string): Record<string, unknown> => decodeSegment(jwt.split('~')[0]!.split('.')[1]!) as Record<string, unknown>
const RFC_NOW = 1748537300
const RFC_POLICY = { typ: 'example+sd-jwt', aud: 'https://verifier.example.org', nonce: '1234567890', now: RFC_NOW }

describe.runIf(haveSdJwtVectors)('RFC 9901 examples', () => {
  const keys = haveSdJwtVectors ? vectorKeys() : undefined!
  const issuerKeys = haveSdJwtVectors ? [keys.issuer_public_jwk] : []

  it('4.2.1-4.2.3: disclosure digests over the string as sent; equivalent encodings hash differently', () => {
    const v = sdJwtVector<{
      object_property: { array: [string, string, string]; disclosure: string; sha256_digest: string; equivalent_encodings: { disclosure: string; sha256_digest?: string; digest?: string }[] }
      array_element: { array: [string, string]; disclosure: string; sha256_digest: string }
    }>('rfc9901/sec4-disclosure-format.json')
    // The RFC's Möbius example is hand-written with raw UTF-8, so it is decoded and hashed, not re-made.
    const got = decodeDisclosure(provider, 'SHA-256', v.object_property.disclosure)
    expect([got.salt, got.name, got.value]).toEqual(v.object_property.array)
    expect(got.digest).toBe(v.object_property.sha256_digest)
    const el = createDisclosure(provider, 'SHA-256', v.array_element.array[0], undefined, v.array_element.array[1], 'python')
    expect(el.encoded).toBe(v.array_element.disclosure)
    expect(el.digest).toBe(v.array_element.sha256_digest)
    const digests = new Set<string>()
    for (const e of v.object_property.equivalent_encodings) {
      const d = decodeDisclosure(provider, 'SHA-256', e.disclosure)
      expect([d.salt, d.name, d.value]).toEqual(v.object_property.array)
      const expected = e.sha256_digest ?? e.digest
      if (expected !== undefined) expect(d.digest).toBe(expected)
      digests.add(d.digest)
    }
    expect(digests.size).toBe(v.object_property.equivalent_encodings.length)
  })

  it('5.1: issuance reproduced byte for byte (signing input and every disclosure)', async () => {
    const v = sdJwtVector<Vector & { user_claims: Record<string, unknown>; issuer_signed_jwt: string; sd_jwt_issuance: string; sd_jwt_payload: unknown }>('rfc9901/sec5-main-example.json')
    const p = payloadOf(v.issuer_signed_jwt)
    const issued = await issueSdJwt({
      provider,
      issuerKey: keys.issuer_private_jwk,
      header: { typ: 'example+sd-jwt' },
      claims: { iss: p.iss, iat: p.iat, exp: p.exp, ...v.user_claims },
      trailingClaims: { cnf: p.cnf as Record<string, unknown> },
      disclosable: ['given_name', 'family_name', 'email', 'phone_number', 'phone_number_verified', 'address', 'birthdate', 'updated_at', 'nationalities.0', 'nationalities.1'],
      saltGenerator: replaySalts(saltsOf(v.disclosures)),
      jsonStyle: 'python',
    })
    expect(issued.disclosures.map((d) => d.encoded)).toEqual(v.disclosures.map((d) => d.disclosure))
    expect(issued.disclosures.map((d) => d.digest)).toEqual(v.disclosures.map((d) => d.digest))
    expect(issued.payload).toEqual(v.sd_jwt_payload)
    expect(signingInput(issued.compact)).toBe(signingInput(v.issuer_signed_jwt))
    expect(issued.compact.slice(issued.compact.indexOf('~'))).toBe(v.sd_jwt_issuance.slice(v.sd_jwt_issuance.indexOf('~')))
    // Our ECDSA signature differs (randomized) but verifies like the RFC's.
    const ours = await verifySdJwt(issued.compact, { provider, issuerKeys, ...RFC_POLICY, requireKeyBinding: false })
    const theirs = await verifySdJwt(v.sd_jwt_issuance, { provider, issuerKeys, ...RFC_POLICY, requireKeyBinding: false })
    expect(ours.claims).toEqual(theirs.claims)
  })

  it('5.1: issuance processed with all disclosures gives the full payload', async () => {
    const v = sdJwtVector<Vector & { sd_jwt_issuance: string; expected_full_payload: unknown }>('rfc9901/sec5-main-example.json')
    const r = await verifySdJwt(v.sd_jwt_issuance, { provider, issuerKeys, ...RFC_POLICY, requireKeyBinding: false })
    expect(r.claims).toEqual(v.expected_full_payload)
    expect(r.keyBinding).toBeUndefined()
  })

  it('5.2 + 7.3: the SD-JWT+KB presentation verifies (node and WebCrypto providers)', async () => {
    const v = sdJwtVector<Vector & { sd_jwt_presentation: string; kb_jwt_payload: unknown }>('rfc9901/sec5-main-example.json')
    for (const prov of [provider, createWebCryptoProvider()]) {
      const r = await verifySdJwt(v.sd_jwt_presentation, { provider: prov, issuerKeys, ...RFC_POLICY })
      expect(r.claims).toEqual(v.verified_contents)
      expect(r.keyBinding).toEqual(v.kb_jwt_payload)
      expect(r.holderKey).toEqual(keys.holder_public_jwk)
    }
  })

  it('A.1: structured claims, decoys ignored, non-ASCII escapes hashed as sent', async () => {
    const v = sdJwtVector<Vector & { sd_jwt_presentation: string; sd_jwt_payload: Record<string, unknown>; decoy_digests: string[] }>('rfc9901/A1-simple-structured-with-decoys.json')
    const r = await verifySdJwt(v.sd_jwt_presentation, { provider, issuerKeys, ...RFC_POLICY, requireKeyBinding: false })
    expect(r.claims).toEqual(v.verified_contents)
    // Each disclosure is reproduced from its salt with Python-style JSON (\\u escapes), digest included.
    for (const d of v.disclosures) {
      const got = decodeDisclosure(provider, 'SHA-256', d.disclosure)
      expect(got.digest).toBe(d.digest)
      expect(createDisclosure(provider, 'SHA-256', got.salt, got.name, got.value, 'python').encoded).toBe(d.disclosure)
    }
    // Every digest in the payload is either a disclosure or one of the listed decoys.
    const all = processSdJwtPayload(v.sd_jwt_payload, v.disclosures.map((d) => decodeDisclosure(provider, 'SHA-256', d.disclosure)))
    expect(Object.keys(all.claims).sort()).toEqual(['address', 'birthdate', 'email', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'phone_number', 'sub'])
    const payloadDigests = [...(v.sd_jwt_payload._sd as string[]), ...((v.sd_jwt_payload.address as Record<string, string[]>)._sd ?? [])]
    expect(payloadDigests.sort()).toEqual([...v.disclosures.map((d) => d.digest), ...v.decoy_digests].sort())
  })

  it('A.2: complex structured issuance reproduced and its presentation verified', async () => {
    const v = sdJwtVector<Vector & { user_claims: Record<string, unknown>; sd_jwt_presentation: string; sd_jwt_payload: unknown }>('rfc9901/A2-complex-structured.json')
    const p = payloadOf(v.sd_jwt_presentation)
    const e = 'verified_claims.verification.evidence.0'
    const c = 'verified_claims.claims'
    const issued = await issueSdJwt({
      provider,
      issuerKey: keys.issuer_private_jwk,
      header: { typ: 'example+sd-jwt' },
      claims: { iss: p.iss, iat: p.iat, exp: p.exp, ...v.user_claims },
      disclosable: [
        'verified_claims.verification.time', 'verified_claims.verification.verification_process', e, `${e}.type`, `${e}.method`, `${e}.time`, `${e}.document`,
        `${c}.given_name`, `${c}.family_name`, `${c}.nationalities`, `${c}.birthdate`, `${c}.place_of_birth`, `${c}.address`,
        'birth_middle_name', 'salutation', 'msisdn',
      ],
      saltGenerator: replaySalts(saltsOf(v.disclosures)),
      jsonStyle: 'python',
    })
    expect(issued.disclosures.map((d) => d.encoded)).toEqual(v.disclosures.map((d) => d.disclosure))
    expect(issued.payload).toEqual(v.sd_jwt_payload)
    expect(signingInput(issued.compact)).toBe(signingInput(v.sd_jwt_presentation))
    const r = await verifySdJwt(v.sd_jwt_presentation, { provider, issuerKeys, ...RFC_POLICY, requireKeyBinding: false })
    expect(r.claims).toEqual(v.verified_contents)
  })

  it('A.4: W3C VCDM 2.0 payload: issuance reproduced, presentation with KB verified', async () => {
    const v = sdJwtVector<Vector & { user_claims: Record<string, unknown>; sd_jwt_issuance: string; sd_jwt_presentation: string; sd_jwt_payload: unknown; expected_full_payload: unknown }>('rfc9901/A4-w3c-vcdm2.json')
    const p = payloadOf(v.sd_jwt_issuance)
    const s = 'credentialSubject'
    const issued = await issueSdJwt({
      provider,
      issuerKey: keys.issuer_private_jwk,
      header: { typ: 'example+sd-jwt' },
      claims: v.user_claims,
      trailingClaims: { cnf: p.cnf as Record<string, unknown> },
      disclosable: [
        `${s}.vaccine.atcCode`, `${s}.vaccine.medicinalProductName`, `${s}.vaccine.marketingAuthorizationHolder`,
        `${s}.nextVaccinationDate`, `${s}.countryOfVaccination`, `${s}.dateOfVaccination`, `${s}.order`,
        `${s}.recipient.gender`, `${s}.recipient.birthDate`, `${s}.recipient.givenName`, `${s}.recipient.familyName`,
        `${s}.administeringCentre`, `${s}.batchNumber`, `${s}.healthProfessional`,
      ],
      saltGenerator: replaySalts(saltsOf(v.disclosures)),
      jsonStyle: 'python',
    })
    expect(issued.disclosures.map((d) => d.encoded)).toEqual(v.disclosures.map((d) => d.disclosure))
    expect(signingInput(issued.compact)).toBe(signingInput(v.sd_jwt_issuance))
    const full = await verifySdJwt(v.sd_jwt_issuance, { provider, issuerKeys, ...RFC_POLICY, requireKeyBinding: false })
    expect(full.claims).toEqual(v.expected_full_payload)
    const r = await verifySdJwt(v.sd_jwt_presentation, { provider, issuerKeys, ...RFC_POLICY })
    expect(r.claims).toEqual(v.verified_contents)
  })

  it('6.1-6.3: flat, structured and recursive payloads reproduced and processed', async () => {
    const v = sdJwtVector<Record<string, { sd_jwt_payload: Record<string, unknown>; disclosures: Disc[] }> & { expected: { address_fully_disclosed: Record<string, unknown> } }>('rfc9901/sec6-nested-data.json')
    const addr = v.expected.address_fully_disclosed
    const inner = ['address.street_address', 'address.locality', 'address.region']
    const variants: Record<string, string[]> = {
      flat: ['address'],
      structured: [...inner, 'address.country'],
      structured_one_open: inner,
      recursive: [...inner, 'address.country', 'address'],
    }
    let seen = 0
    for (const [name, vec] of Object.entries(v)) {
      if (name === 'expected' || typeof vec !== 'object' || vec === null || !('sd_jwt_payload' in vec)) continue
      const disclosable = variants[name]
      expect(disclosable, `unknown variant ${name}`).toBeDefined()
      const p = vec.sd_jwt_payload
      const issued = await issueSdJwt({
        provider,
        issuerKey: keys.issuer_private_jwk,
        claims: { iss: p.iss, iat: p.iat, exp: p.exp, sub: p.sub, address: addr },
        disclosable: disclosable!,
        saltGenerator: replaySalts(saltsOf(vec.disclosures)),
        jsonStyle: 'python',
      })
      expect(issued.payload, name).toEqual(p)
      expect(issued.disclosures.map((d) => d.encoded), name).toEqual(vec.disclosures.map((d) => d.disclosure))
      const processed = processSdJwtPayload(p, vec.disclosures.map((d) => decodeDisclosure(provider, 'SHA-256', d.disclosure)))
      expect(processed.claims).toEqual({ iss: p.iss, iat: p.iat, exp: p.exp, sub: p.sub, address: addr })
      seen++
    }
    expect(seen).toBeGreaterThanOrEqual(3)
  })

  it('8.1: the flattened JSON presentation, rebuilt as compact for sd_hash, verifies', async () => {
    const v = sdJwtVector<{
      presentation: { header: { disclosures: string[]; kb_jwt: string }; protected: string; payload: string; signature: string }
      expected_presentation_processed_payload: unknown
    }>('rfc9901/sec8-json-serialization-flattened.json')
    const pr = v.presentation
    const compact = `${pr.protected}.${pr.payload}.${pr.signature}~${pr.header.disclosures.map((d) => d + '~').join('')}${pr.header.kb_jwt}`
    const r = await verifySdJwt(compact, { provider, issuerKeys, ...RFC_POLICY })
    expect(r.claims).toEqual(v.expected_presentation_processed_payload)
  })
})

describe.runIf(haveSdJwtVectors)('SD-JWT VC -18 §2.3 example', () => {
  type VcVector = Vector & { user_claims: Record<string, unknown>; sd_jwt_issuance: string; sd_jwt_presentation: string; sd_jwt_payload: unknown; expected_full_payload: unknown; issuer_header_kid: string }
  const v = haveSdJwtVectors ? sdJwtVector<VcVector>('sd-jwt-vc/example01-issuance-presentation.json') : undefined!
  const keys = haveSdJwtVectors ? vectorKeys() : undefined!

  it('2.3.1: issueSdJwtVc reproduces the issuance byte for byte', async () => {
    const p = payloadOf(v.sd_jwt_issuance)
    const { vct, ...attributes } = v.user_claims
    const issued = await issueSdJwtVcDetailed({
      provider,
      claims: attributes,
      disclosable: Object.keys(attributes),
      issuerKey: keys.issuer_private_jwk,
      kid: v.issuer_header_kid,
      iss: p.iss as string,
      vct: vct as string,
      holderKey: keys.holder_public_jwk,
      iat: p.iat as number,
      exp: p.exp as number,
      saltGenerator: replaySalts(saltsOf(v.disclosures)),
      jsonStyle: 'python',
    })
    expect(issued.disclosures.map((d) => d.encoded)).toEqual(v.disclosures.map((d) => d.disclosure))
    expect(issued.payload).toEqual(v.sd_jwt_payload)
    expect(signingInput(issued.compact)).toBe(signingInput(v.sd_jwt_issuance))
  })

  it('2.3.2: the presentation verifies with verifySdJwtVcPresentation (kid-selected key)', async () => {
    const other = { ...keys.holder_public_jwk, kid: 'other' }
    const r = await verifySdJwtVcPresentation(v.sd_jwt_presentation, {
      provider,
      issuerKeys: ({ kid }) => (kid === v.issuer_header_kid ? [other, { ...keys.issuer_public_jwk, kid }] : []),
      aud: 'https://example.com/verifier',
      nonce: '1234567890',
      now: 1785785100,
    })
    expect(r.claims).toEqual(v.verified_contents)
    expect(r.issuer).toBe('https://example.com/issuer')
    expect(r.vct).toBe('https://credentials.example.com/identity_credential')
    expect(r.holderKey).toEqual(keys.holder_public_jwk)
    expect(r.status).toBeUndefined()
    const full = await verifySdJwtVcPresentation(v.sd_jwt_issuance, { provider, issuerKeys: [keys.issuer_public_jwk], requireKeyBinding: false, now: 1785785100 })
    expect(full.claims).toEqual(v.expected_full_payload)
  })
})
