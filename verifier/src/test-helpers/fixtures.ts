/**
 * Test fixtures: an issuing authority and holders with real keys, SD-JWT VCs issued and presented by the shared
 * holder functions (independent of the verifier code under test).
 */
import { CborTag, createKbt, issueSdCwt, issueSdJwtVc, presentSdJwtVc } from '@e2eid/shared'
import type { KeyPair, PrivateJwk, PublicJwk } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { sdCwtCnonce } from '../openid4vp/nonce.js'

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

export interface SdCwtOptions {
  iat?: number
  exp?: number
  status?: { uri: string; idx: number }
  vct?: string
  holder?: KeyPair
  /** Extra plain claims. */
  extra?: [unknown, unknown][]
}

/** Issues an SD-CWT (org, role, email, handle redactable; sub and vct in the clear). */
export async function issueSdCwtFor(auth: Authority, o: SdCwtOptions = {}): Promise<{ sdCwt: Uint8Array; holder: KeyPair }> {
  const holder = o.holder ?? (await provider.generateKeyPair('EdDSA'))
  const claims = new Map<unknown, unknown>([
    [1, auth.iss],
    [2, ALICE.sub],
    [6, o.iat ?? NOW - 100],
    [4, o.exp ?? NOW + 86400],
    [11, o.vct ?? VCT],
    [new CborTag(58, 'org'), ALICE.org],
    [new CborTag(58, 'role'), ALICE.role],
    [new CborTag(58, 'email'), ALICE.email],
    [new CborTag(58, 'handle'), ALICE.handle],
    ...(o.extra ?? []),
  ])
  if (o.status !== undefined) claims.set(65535, new Map([['status_list', new Map<string, unknown>([['idx', o.status.idx], ['uri', o.status.uri]])]]))
  const sdCwt = await issueSdCwt({ claims, issuerKey: auth.keys.privateJwk, holderKey: holder.publicJwk, kid: auth.kid, decoys: 1, provider })
  return { sdCwt, holder }
}

/** Presents an SD-CWT as a KBT with the cnonce of `nonce` (hex bytes, else UTF-8). */
export async function presentSdCwt(sdCwt: Uint8Array, holderKey: PrivateJwk, disclose: string[], aud = AUD, nonce: string | Uint8Array = NONCE, iat = NOW): Promise<Uint8Array> {
  return createKbt({ sdCwt, disclose, holderKey, aud, cnonce: typeof nonce === 'string' ? sdCwtCnonce(nonce) : nonce, iat, now: iat, provider })
}
