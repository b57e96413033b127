import { describe, expect, it } from 'vitest'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { signJws } from './jws.js'
import { E2eidError } from '../errors.js'
import { verifySelfSignedJwt } from './self-signed.js'
import type { SelfSignedJwtCodes } from './self-signed.js'
import { jwkThumbprint } from './thumbprint.js'

const provider = createNodeCryptoProvider()
const b64json = (v: unknown) => base64urlEncode(utf8Encode(JSON.stringify(v)))

async function proof(header: Record<string, unknown> = {}, alg: 'ES256' | 'EdDSA' = 'ES256') {
  const kp = await provider.generateKeyPair(alg)
  const jwt = await signJws(provider, alg, kp.privateJwk, { alg, typ: 'dpop+jwt', jwk: kp.publicJwk, ...header }, { htm: 'POST' })
  return { kp, jwt }
}

// The caller's code for each refusal reason (the issuer's are ERR_ISSUER_DPOP_* / ERR_ISSUER_PROOF_*): five distinct codes.
const codes = {
  malformed: 'ERR_JWS_MALFORMED',
  typ: 'ERR_JWT_TYP_MISMATCH',
  alg: 'ERR_JWS_HEADER_INVALID',
  key: 'ERR_KEY_INVALID',
  signature: 'ERR_JWS_SIGNATURE_INVALID',
} as const satisfies SelfSignedJwtCodes

async function refusal(compact: string, algs: ('ES256' | 'EdDSA')[] = ['ES256', 'EdDSA']): Promise<E2eidError> {
  const e = await verifySelfSignedJwt(compact, { typ: 'dpop+jwt', algs, crypto: provider, codes }).then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(E2eidError)
  return e as E2eidError
}

describe('RFC 9449 §4.3 / OpenID4VCI App. F.1: JWT signed by the key in its own header', () => {
  it('verifies with the header jwk and returns it', async () => {
    const { kp, jwt } = await proof()
    const v = await verifySelfSignedJwt(jwt, { typ: 'dpop+jwt', algs: ['ES256'], crypto: provider, codes })
    expect(v.jwk).toEqual(kp.publicJwk)
    expect(v.alg).toBe('ES256')
    expect(v.payload).toEqual({ htm: 'POST' })
  })
  it('refuses with the caller\'s code for the reason of each rule', async () => {
    const { kp, jwt } = await proof()
    const [h, p, s] = jwt.split('.') as [string, string, string]
    expect((await refusal('a.b')).code).toBe(codes.malformed)
    expect((await refusal(`${b64json([1])}.${p}.${s}`)).code).toBe(codes.malformed)
    expect((await refusal(`${h}.${p}.${s}`, ['EdDSA'])).code).toBe(codes.alg)
    expect((await refusal((await proof({ typ: 'jwt' })).jwt)).code).toBe(codes.typ)
    expect((await refusal((await proof({ crit: ['x'], x: 1 })).jwt)).code).toBe(codes.malformed)
    expect((await refusal((await proof({ kid: 'k' })).jwt)).code).toBe(codes.key)
    expect((await refusal((await proof({ jwk: kp.privateJwk })).jwt)).code).toBe(codes.key)
    const other = await provider.generateKeyPair('ES256')
    expect((await refusal((await proof({ jwk: other.publicJwk })).jwt)).code).toBe(codes.signature)
    expect((await refusal(`${h}.${b64json({ htm: 'GET' })}.${s}`)).code).toBe(codes.signature)
  })
})

describe('RFC 7638 JWK thumbprint', () => {
  it('RFC 9449 §6.1 example key has jkt 0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs', y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA' } as const
    expect(jwkThumbprint(provider, jwk)).toBe('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I')
  })
})
