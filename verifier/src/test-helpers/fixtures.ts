/**
 * Test fixtures: an issuing authority and holders with real keys, SD-JWT VCs issued and presented by the shared
 * holder functions (independent of the verifier code under test).
 */
import { issueSdJwtVc, presentSdJwtVc } from '@e2eid/shared'
import type { KeyPair, PrivateJwk, PublicJwk } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'

export const provider = createNodeCryptoProvider()
export const NOW = 1_800_000_000
export const VCT = 'https://issuer.example/vct/mimi-identity'
export const AUD = 'https://verifier.example'
export const NONCE = 'n-0S6_WzA2Mj'

export interface Authority {
  iss: string
  kid: string
  keys: KeyPair
  publicJwk: PublicJwk
}

export async function makeAuthority(iss = 'https://issuer.example', kid = 'k1', alg: 'ES256' | 'EdDSA' = 'ES256'): Promise<Authority> {
  const keys = await provider.generateKeyPair(alg)
  return { iss, kid, keys, publicJwk: { ...keys.publicJwk, kid } }
}

export interface SdJwtOptions {
  claims?: Record<string, unknown>
  disclosable?: string[]
  iat?: number
  exp?: number
  status?: { uri: string; idx: number }
  vct?: string
  holder?: KeyPair
}

export const ALICE = { sub: 'im:alice@example.com', org: 'example.com', role: 'engineer', email: 'alice@example.com', handle: '@alice' }

/** Issues an SD-JWT VC for a holder (generating the holder key if not given). */
export async function issueSdJwt(auth: Authority, o: SdJwtOptions = {}): Promise<{ vc: string; holder: KeyPair }> {
  const holder = o.holder ?? (await provider.generateKeyPair('EdDSA'))
  const vc = await issueSdJwtVc({
    provider,
    claims: o.claims ?? ALICE,
    disclosable: o.disclosable ?? ['email', 'handle', 'role', 'org'],
    issuerKey: auth.keys.privateJwk,
    kid: auth.kid,
    iss: auth.iss,
    vct: o.vct ?? VCT,
    holderKey: holder.publicJwk,
    iat: o.iat ?? NOW - 100,
    exp: o.exp ?? NOW + 86400,
    ...(o.status === undefined ? {} : { status: o.status }),
  })
  return { vc, holder }
}

/** Presents an SD-JWT VC with a KB-JWT. */
export async function presentSdJwt(vc: string, holderKey: PrivateJwk, disclose: string[], aud = AUD, nonce = NONCE, iat = NOW): Promise<string> {
  return presentSdJwtVc({ provider, sdJwtVc: vc, disclose, holderKey, aud, nonce, iat })
}
