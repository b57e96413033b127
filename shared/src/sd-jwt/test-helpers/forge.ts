/**
 * Test-only: builds arbitrary (also malformed) SD-JWTs signed with real keys, so each negative
 * test isolates exactly one defect.
 */
import type { SignatureAlgorithm } from '../../crypto/algorithms.js'
import type { KeyPair, PrivateJwk } from '../../crypto/jwk.js'
import type { CryptoProvider } from '../../crypto/provider.js'
import { base64urlEncode } from '../../encoding/base64url.js'
import { utf8Encode } from '../../encoding/bytes.js'
import { digestText } from '../hash.js'
import { signJws } from '../../jose/jws.js'
import { KB_JWT_TYP, SD_JWT_VC_FORMAT } from '../../format-ids.js'

export const NOW = 1_800_000_000

/** base64url(JSON) of any value, as a disclosure string. */
export function rawDisclosure(value: unknown): string {
  return base64urlEncode(utf8Encode(JSON.stringify(value)))
}

export function digestOf(provider: CryptoProvider, disclosure: string): string {
  return digestText(provider, 'SHA-256', disclosure)
}

export interface Forge {
  provider: CryptoProvider
  issuer: KeyPair
  holder: KeyPair
  /** Signs `<header>.<payload>` with the issuer key (header defaults: ES256, dc+sd-jwt). */
  jwt(payload: Record<string, unknown>, header?: Record<string, unknown>, key?: PrivateJwk, alg?: SignatureAlgorithm): Promise<string>
  /** A KB-JWT over `sdJwt` (defaults: typ kb+jwt, aud/nonce below, iat NOW, holder key). */
  kb(sdJwt: string, over?: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: PrivateJwk }): Promise<string>
  /** Standard VC payload (iss, iat, exp, vct, cnf) plus `extra`. */
  vcPayload(extra?: Record<string, unknown>): Record<string, unknown>
}

export const AUD = 'https://verifier.example'
export const NONCE = 'n-0S6_WzA2Mj'

export async function createForge(provider: CryptoProvider): Promise<Forge> {
  const issuer = await provider.generateKeyPair('ES256')
  const holder = await provider.generateKeyPair('EdDSA')
  return {
    provider,
    issuer,
    holder,
    jwt: (payload, header = {}, key = issuer.privateJwk, alg = 'ES256') =>
      signJws(provider, alg, key, { alg, typ: SD_JWT_VC_FORMAT, ...header }, payload),
    kb: (sdJwt, over = {}) =>
      signJws(
        provider,
        'EdDSA',
        over.key ?? holder.privateJwk,
        { alg: 'EdDSA', typ: KB_JWT_TYP, ...over.header },
        { iat: NOW, aud: AUD, nonce: NONCE, sd_hash: digestText(provider, 'SHA-256', sdJwt), ...over.payload },
      ),
    vcPayload: (extra = {}) => ({
      iss: 'https://issuer.example',
      iat: NOW - 100,
      exp: NOW + 86_400,
      vct: 'https://e2eid.example/identity',
      cnf: { jwk: holder.publicJwk },
      _sd_alg: 'sha-256',
      ...extra,
    }),
  }
}
