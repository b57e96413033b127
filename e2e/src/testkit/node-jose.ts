/**
 * @module testkit/node-jose
 * What a third-party app brings as its crypto: compact JWS sign/verify with node:crypto (ES256 with JOSE raw
 * r||s signatures, EdDSA with Ed25519), JWK key pairs, SHA hashes. Deliberately not @e2eid/shared, so that the
 * peers' side of each test shares no code with e2eid.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto'
import type { JsonWebKey } from 'node:crypto'

export type Alg = 'ES256' | 'EdDSA'
export interface JwkPair {
  alg: Alg
  publicJwk: JsonWebKey & { kty: string }
  privateJwk: JsonWebKey & { kty: string }
}

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url')

export function generateJwkPair(alg: Alg): JwkPair {
  const kp = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')
  return { alg, publicJwk: kp.publicKey.export({ format: 'jwk' }) as never, privateJwk: kp.privateKey.export({ format: 'jwk' }) as never }
}

export function algOfJwk(jwk: { kty?: string; crv?: string }): Alg {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256'
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  throw new Error(`unsupported key ${jwk.kty}/${jwk.crv}`)
}

export function signCompact(privateJwk: JsonWebKey, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`
  const key = createPrivateKey({ key: privateJwk, format: 'jwk' })
  const sig = key.asymmetricKeyType === 'ec' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign(null, Buffer.from(input), key)
  return `${input}.${b64u(sig)}`
}

export function verifyCompact(publicJwk: JsonWebKey, compact: string): boolean {
  const [h, p, s] = compact.split('.')
  if (h === undefined || p === undefined || s === undefined) return false
  const key = createPublicKey({ key: publicJwk, format: 'jwk' })
  const data = Buffer.from(`${h}.${p}`)
  const sig = Buffer.from(s, 'base64url')
  return key.asymmetricKeyType === 'ec' ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig) : verify(null, data, key, sig)
}

export function sha(data: Uint8Array, alg: string): Uint8Array {
  const name = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' }[alg.toLowerCase()] ?? 'sha256'
  return new Uint8Array(createHash(name).update(data).digest())
}

export const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n))

/** did:jwk of a public JWK. */
export function didJwk(publicJwk: JsonWebKey): string {
  const { kty, crv, x, y } = publicJwk as Record<string, string | undefined>
  return `did:jwk:${b64u(JSON.stringify(y === undefined ? { crv, kty, x } : { crv, kty, x, y }))}`
}
