import { describe, expect, it } from 'vitest'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { signJws } from './jws.js'
import { SelfSignedJwtError, verifySelfSignedJwt } from './self-signed.js'
import { jwkThumbprint } from './thumbprint.js'

const provider = createNodeCryptoProvider()
const b64json = (v: unknown) => base64urlEncode(utf8Encode(JSON.stringify(v)))

async function proof(header: Record<string, unknown> = {}, alg: 'ES256' | 'EdDSA' = 'ES256') {
  const kp = await provider.generateKeyPair(alg)
  const jwt = await signJws(provider, alg, kp.privateJwk, { alg, typ: 'dpop+jwt', jwk: kp.publicJwk, ...header }, { htm: 'POST' })
  return { kp, jwt }
}

async function refusal(compact: string, algs: ('ES256' | 'EdDSA')[] = ['ES256', 'EdDSA']): Promise<SelfSignedJwtError> {
  const e = await verifySelfSignedJwt(compact, { typ: 'dpop+jwt', algs, crypto: provider }).then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(SelfSignedJwtError)
  return e as SelfSignedJwtError
}

describe('RFC 9449 §4.3 / OpenID4VCI App. F.1: JWT signed by the key in its own header', () => {
  it('verifies with the header jwk and returns it', async () => {
    const { kp, jwt } = await proof()
    const v = await verifySelfSignedJwt(jwt, { typ: 'dpop+jwt', algs: ['ES256'], crypto: provider })
    expect(v.jwk).toEqual(kp.publicJwk)
    expect(v.alg).toBe('ES256')
    expect(v.payload).toEqual({ htm: 'POST' })
  })
  it('refuses with the reason of each rule (the caller maps it to its code)', async () => {
    const { kp, jwt } = await proof()
    const [h, p, s] = jwt.split('.') as [string, string, string]
    expect((await refusal('a.b')).reason).toBe('malformed')
    expect((await refusal(`${b64json([1])}.${p}.${s}`)).reason).toBe('malformed')
    expect((await refusal(`${h}.${p}.${s}`, ['EdDSA'])).reason).toBe('alg')
    expect((await refusal((await proof({ typ: 'jwt' })).jwt)).reason).toBe('typ')
    expect((await refusal((await proof({ crit: ['x'], x: 1 })).jwt)).reason).toBe('malformed')
    expect((await refusal((await proof({ kid: 'k' })).jwt)).reason).toBe('key')
    expect((await refusal((await proof({ jwk: kp.privateJwk })).jwt)).reason).toBe('key')
    const other = await provider.generateKeyPair('ES256')
    expect((await refusal((await proof({ jwk: other.publicJwk })).jwt)).reason).toBe('signature')
    expect((await refusal(`${h}.${b64json({ htm: 'GET' })}.${s}`)).reason).toBe('signature')
  })
})

describe('RFC 7638 JWK thumbprint', () => {
  it('RFC 9449 §6.1 example key has jkt 0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs', y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA' } as const
    expect(jwkThumbprint(provider, jwk)).toBe('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I')
  })
})
