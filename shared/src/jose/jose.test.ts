import { describe, expect, it } from 'vitest'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import type { SignatureAlgorithm } from '../crypto/algorithms.js'
import type { PrivateJwk, PublicJwk } from '../crypto/jwk.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { createWebCryptoProvider } from '../crypto/webcrypto.js'
import { readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { checkJwtTimeClaims, decodeJwtUnverified, signJwt, verifyJwt } from './index.js'

const node = createNodeCryptoProvider()
const web = createWebCryptoProvider()
const NOW = 1_700_000_000
const now = () => NOW

function b64json(v: unknown): string {
  return base64urlEncode(utf8Encode(JSON.stringify(v)))
}

async function keyPair(alg: SignatureAlgorithm, kid = 'k1'): Promise<{ priv: PrivateJwk; pub: PublicJwk }> {
  const kp = await node.generateKeyPair(alg)
  return { priv: { ...kp.privateJwk, kid }, pub: { ...kp.publicJwk, kid } }
}

describe('RFC 7515 §5 JWS compact sign/verify over the CryptoProvider', () => {
  for (const alg of ['ES256', 'ES384', 'EdDSA'] as const) {
    for (const [signer, verifier] of [[node, web], [web, node]] as const) {
      it(`${alg}: ${signer.name} signs, ${verifier.name} verifies`, async () => {
        const { priv, pub } = await keyPair(alg)
        const jwt = await signJwt({ header: { typ: 'example+jwt', kid: 'k1' }, payload: { a: 1, iat: NOW }, key: priv, provider: signer })
        const out = await verifyJwt(jwt, { keys: [pub], typ: 'example+jwt', provider: verifier, now })
        expect(out.header).toEqual({ typ: 'example+jwt', kid: 'k1', alg })
        expect(out.payload).toEqual({ a: 1, iat: NOW })
        expect(decodeJwtUnverified(jwt).payload).toEqual({ a: 1, iat: NOW })
      })
    }
  }

  it('status list draft §8.2 JWT (signed by the draft generator) verifies', async () => {
    if (vectorDir('status-list') === undefined) return
    const v = JSON.parse(readVectorText('status-list/status-list-token-jwt.json')) as {
      compact_jwt_section_8_2: string
      verification_key_jwk: PublicJwk
      compact_jwt_decoded: { payload: unknown }
    }
    const out = await verifyJwt(v.compact_jwt_section_8_2, { keys: [v.verification_key_jwk], typ: 'statuslist+jwt', provider: web, now })
    expect(out.payload).toEqual(v.compact_jwt_decoded.payload)
  })
})

describe('RFC 8725 §3.1 algorithm allow-list', () => {
  it('alg none is ERR_ALG_NOT_ALLOWED even with an empty signature', async () => {
    const { pub } = await keyPair('ES256')
    const jwt = `${b64json({ alg: 'none', typ: 'x+jwt' })}.${b64json({ a: 1 })}.`
    // an empty signature part is malformed; a non-empty one gets the alg check
    await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_MALFORMED' })
    await expect(verifyJwt(jwt + 'AAAA', { keys: [pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED' })
  })
  it('HS256 / RS256 are ERR_ALG_NOT_ALLOWED', async () => {
    const { pub } = await keyPair('ES256')
    for (const alg of ['HS256', 'RS256', 'ES512']) {
      const jwt = `${b64json({ alg, typ: 'x+jwt' })}.${b64json({})}.AAAA`
      await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED' })
    }
  })
  it('the caller can narrow the allow-list', async () => {
    const { priv, pub } = await keyPair('EdDSA')
    const jwt = await signJwt({ header: { typ: 'x+jwt' }, payload: {}, key: priv, provider: node })
    await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node, algorithms: ['ES256'] })).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED' })
  })
  it('signing with a non-allowed alg fails', async () => {
    const { priv } = await keyPair('ES256')
    await expect(signJwt({ header: { alg: 'none' }, payload: {}, key: priv, provider: node })).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED' })
    await expect(signJwt({ header: { alg: 'EdDSA' }, payload: {}, key: priv, provider: node })).rejects.toMatchObject({ code: 'ERR_ALG_KEY_MISMATCH' })
  })
})

describe('RFC 8725 §3.11 explicit typing', () => {
  it('typ missing or different is ERR_JWT_TYP_MISMATCH; RFC 7515 §4.1.9 comparison', async () => {
    const { priv, pub } = await keyPair('ES256')
    const noTyp = await signJwt({ header: {}, payload: {}, key: priv, provider: node })
    await expect(verifyJwt(noTyp, { keys: [pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWT_TYP_MISMATCH' })
    const other = await signJwt({ header: { typ: 'kb+jwt' }, payload: {}, key: priv, provider: node })
    await expect(verifyJwt(other, { keys: [pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWT_TYP_MISMATCH' })
    const full = await signJwt({ header: { typ: 'Application/X+JWT' }, payload: {}, key: priv, provider: node })
    await expect(verifyJwt(full, { keys: [pub], typ: 'x+jwt', provider: node })).resolves.toBeTruthy()
    await expect(verifyJwt(other, { keys: [pub], typ: ['x+jwt', 'kb+jwt'], provider: node })).resolves.toBeTruthy()
  })
})

describe('RFC 7515 §4.1.11 crit', () => {
  it('an unknown critical header is ERR_JWS_CRIT_UNSUPPORTED; an understood one passes', async () => {
    const { priv, pub } = await keyPair('ES256')
    const jwt = await signJwt({ header: { typ: 'x+jwt', crit: ['ext'], ext: 1 }, payload: {}, key: priv, provider: node })
    await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_CRIT_UNSUPPORTED' })
    await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node, crit: ['ext'] })).resolves.toBeTruthy()
  })
  it('malformed crit is ERR_JWS_CRIT_INVALID', async () => {
    const { priv, pub } = await keyPair('ES256')
    for (const header of [{ crit: [] }, { crit: 'ext', ext: 1 }, { crit: ['alg'] }, { crit: ['absent'] }]) {
      const jwt = await signJwt({ header: { typ: 'x+jwt', ...header }, payload: {}, key: priv, provider: node })
      await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node, crit: ['absent', 'ext', 'alg'] })).rejects.toMatchObject({ code: 'ERR_JWS_CRIT_INVALID' })
    }
  })
})

describe('key selection and signature', () => {
  it('kid selects among trusted keys; an unknown kid is ERR_JWS_KEY_NOT_FOUND', async () => {
    const a = await keyPair('ES256', 'a')
    const b = await keyPair('ES256', 'b')
    const jwt = await signJwt({ header: { typ: 'x+jwt', kid: 'b' }, payload: {}, key: b.priv, provider: node })
    expect((await verifyJwt(jwt, { keys: [a.pub, b.pub], typ: 'x+jwt', provider: node })).key.kid).toBe('b')
    await expect(verifyJwt(jwt, { keys: [a.pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_KEY_NOT_FOUND' })
    // a key of another curve never matches
    const ed = await keyPair('EdDSA', 'b')
    await expect(verifyJwt(jwt, { keys: [ed.pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_KEY_NOT_FOUND' })
  })
  it('a wrong key with the same kid, a tampered payload or signature is ERR_JWS_SIGNATURE_INVALID', async () => {
    const a = await keyPair('ES256', 'a')
    const evil = await keyPair('ES256', 'a')
    const jwt = await signJwt({ header: { typ: 'x+jwt', kid: 'a' }, payload: { v: 1 }, key: evil.priv, provider: node })
    await expect(verifyJwt(jwt, { keys: [a.pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_INVALID' })
    const good = await signJwt({ header: { typ: 'x+jwt', kid: 'a' }, payload: { v: 1 }, key: a.priv, provider: node })
    const [h, , s] = good.split('.')
    await expect(verifyJwt(`${h}.${b64json({ v: 2 })}.${s}`, { keys: [a.pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_INVALID' })
    await expect(verifyJwt(`${h}.${b64json({ v: 1 })}.${(s!.startsWith('A') ? 'B' : 'A') + s!.slice(1)}`, { keys: [a.pub], typ: 'x+jwt', provider: node })).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_INVALID' })
  })
  it('malformed input has stable codes', async () => {
    const { pub } = await keyPair('ES256')
    const opts = { keys: [pub], typ: 'x+jwt', provider: node }
    await expect(verifyJwt('a.b', opts)).rejects.toMatchObject({ code: 'ERR_JWS_MALFORMED' })
    await expect(verifyJwt('a.b.c.d', opts)).rejects.toMatchObject({ code: 'ERR_JWS_MALFORMED' })
    await expect(verifyJwt(`${b64json([1])}.${b64json({})}.AAAA`, opts)).rejects.toMatchObject({ code: 'ERR_JWS_HEADER_INVALID' })
    await expect(verifyJwt(`e30.${b64json({})}.AAAA`, opts)).rejects.toMatchObject({ code: 'ERR_JWS_HEADER_INVALID' })
    await expect(verifyJwt(`${b64json({ alg: 'ES256', typ: 'x+jwt' })}.bm90IGpzb24.AAAA`, opts)).rejects.toMatchObject({ code: 'ERR_JWT_PAYLOAD_INVALID' })
    await expect(verifyJwt(`${b64json({ alg: 'ES256', typ: 'x+jwt' })}.${b64json({})}.A*AA`, opts)).rejects.toMatchObject({ code: 'ERR_JWS_MALFORMED' })
  })
})

describe('RFC 7519 §4.1.4-4.1.6 time claims with an injected clock', () => {
  it('exp: expired at exp (on or after), skew tolerated', () => {
    expect(() => checkJwtTimeClaims({ exp: NOW }, { now })).toThrow(expect.objectContaining({ code: 'ERR_JWT_EXPIRED' }))
    expect(() => checkJwtTimeClaims({ exp: NOW + 1 }, { now })).not.toThrow()
    expect(() => checkJwtTimeClaims({ exp: NOW }, { now, skew: 5 })).not.toThrow()
  })
  it('nbf and iat in the future are rejected', () => {
    expect(() => checkJwtTimeClaims({ nbf: NOW + 1 }, { now })).toThrow(expect.objectContaining({ code: 'ERR_JWT_NOT_YET_VALID' }))
    expect(() => checkJwtTimeClaims({ iat: NOW + 1 }, { now })).toThrow(expect.objectContaining({ code: 'ERR_JWT_IAT_IN_FUTURE' }))
    expect(() => checkJwtTimeClaims({ iat: NOW + 1, nbf: NOW + 1 }, { now, skew: 1 })).not.toThrow()
  })
  it('required and malformed claims', () => {
    expect(() => checkJwtTimeClaims({}, { now, requireExp: true })).toThrow(expect.objectContaining({ code: 'ERR_JWT_CLAIM_MISSING' }))
    expect(() => checkJwtTimeClaims({}, { now, requireIat: true })).toThrow(expect.objectContaining({ code: 'ERR_JWT_CLAIM_MISSING' }))
    expect(() => checkJwtTimeClaims({ exp: '1' }, { now })).toThrow(expect.objectContaining({ code: 'ERR_JWT_CLAIM_INVALID' }))
    expect(() => checkJwtTimeClaims({ iat: NOW - 100 }, { now, maxAge: 50 })).toThrow(expect.objectContaining({ code: 'ERR_JWT_TOO_OLD' }))
  })
  it('verifyJwt applies them (deny by default) unless checkTime is false', async () => {
    const { priv, pub } = await keyPair('ES256')
    const jwt = await signJwt({ header: { typ: 'x+jwt' }, payload: { exp: NOW }, key: priv, provider: node })
    await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node, now })).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' })
    await expect(verifyJwt(jwt, { keys: [pub], typ: 'x+jwt', provider: node, now, checkTime: false })).resolves.toBeTruthy()
  })
})

describe('fuzz: verifyJwt only ever raises E2eidError on malformed input', () => {
  it('fuzz compact strings', async () => {
    const fc = (await import('fast-check')).default
    const { E2eidError } = await import('../errors.js')
    const { pub } = await keyPair('ES256')
    const part = fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue().map((v) => b64json(v)), fc.constant(b64json({ alg: 'ES256', typ: 'x+jwt' })))
    await fc.assert(
      fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 4 }), async (parts) => {
        try {
          await verifyJwt(parts.join('.'), { keys: [pub], typ: 'x+jwt', provider: node })
          return false // nothing here carries a valid signature
        } catch (e) {
          return e instanceof E2eidError
        }
      }),
      { numRuns: Number(process.env.E2EID_FUZZ_RUNS ?? 2000) },
    )
  })
})
