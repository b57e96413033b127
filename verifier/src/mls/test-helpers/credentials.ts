/**
 * Test-only credentials and presentation verifiers with REAL signatures, from the shared formats:
 * - sd-jwt: shared/sd-jwt SD-JWT VC issuer / holder / verifier (RFC 9901 + SD-JWT VC);
 * - sd-cwt: shared/sd-cwt issuer, KBT and §9 presentation verifier (draft-ietf-spice-sd-cwt-08).
 */
import {
  CborTag,
  createKbt,
  cwtStatusClaim,
  decodeJwtUnverified,
  E2eidError,
  issueSdCwt,
  issueSdJwtVc,
  presentSdJwtVc,
  statusReferenceFromCwtClaims,
  verifySdCwtPresentation,
  verifySdJwtVcPresentation,
} from '@e2eid/shared'
import type { CryptoProvider, KeyPair, MlsCredentialKind, PublicJwk } from '@e2eid/shared'
import type { MlsPresentationVerifier, VerifiedMlsPresentation } from '../types.js'
import { presentedAudience } from '../presentation-verifier.js'

export interface TestIssuer {
  iss: string
  keys: KeyPair
}

export async function makeIssuer(provider: CryptoProvider, iss = 'https://issuer.example'): Promise<TestIssuer> {
  return { iss, keys: await provider.generateKeyPair('ES256') }
}

export interface TestHolderClaims {
  sub: string
  claims: Record<string, unknown>
  status?: { idx: number; uri: string }
  exp?: number
  /** Attribute names to disclose (default: all). */
  disclose?: readonly string[]
}

/**
 * A real SD-CWT (shared/sd-cwt issueSdCwt: iss, sub, iat, exp, cnf, status 65535, every attribute
 * selectively disclosable) presented as a KBT (createKbt) disclosing `c.disclose` (default: all).
 */
export async function makeTestKbt(
  provider: CryptoProvider,
  issuer: TestIssuer,
  holder: KeyPair,
  c: TestHolderClaims,
  aud: string,
  cnf: 'cose-key' | 'ckt' = 'cose-key',
): Promise<Uint8Array> {
  const now = Math.floor(Date.now() / 1000)
  const exp = c.exp ?? now + 3600
  const iat = Math.min(now, exp - 60)
  const claims = new Map<unknown, unknown>([[1, issuer.iss], [2, c.sub], [4, exp], [6, iat]])
  for (const [k, v] of Object.entries(c.claims)) claims.set(new CborTag(58, k), v)
  if (c.status !== undefined) claims.set(65535, cwtStatusClaim(c.status))
  const sdCwt = await issueSdCwt({ claims, issuerKey: issuer.keys.privateJwk, holderKey: holder.publicJwk, cnf, provider })
  return createKbt({ sdCwt, disclose: c.disclose ?? Object.keys(c.claims), holderKey: holder.privateJwk, aud, provider, now: Math.min(now, exp - 30) })
}

function toRecord(claims: Map<unknown, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of claims) out[String(k)] = v
  return out
}

/**
 * Verifies a KBT with shared/sd-cwt's §9 verifier (both signatures, disclosures, times), the KBT aud
 * being the presented one (the AuthenticationService checks it against the scope). `leafKey` resolves
 * a `ckt` cnf.
 */
export async function verifyTestKbt(provider: CryptoProvider, trusted: readonly TestIssuer[], kbt: Uint8Array, leafKey?: PublicJwk): Promise<VerifiedMlsPresentation> {
  const aud = presentedAudience('sd-cwt', kbt)
  if (aud === undefined) throw new E2eidError('ERR_TEST_AUD', 'KBT has no aud')
  const v = await verifySdCwtPresentation(kbt, {
    issuerKeys: trusted.map((t) => t.keys.publicJwk),
    provider,
    aud,
    maxKbtAge: 30 * 24 * 3600,
    ...(leafKey === undefined ? {} : { holderKeys: [leafKey] }),
  })
  return {
    holderKey: v.holderKey,
    sub: v.claims.get(2) as string,
    claims: toRecord(v.claims),
    issuer: v.issuer,
    ...(v.claims.has(65535) ? { status: statusReferenceFromCwtClaims(v.claims) } : {}),
    audience: aud,
  }
}

/** Issues an SD-JWT VC to `holder` and presents it with `disclose`, KB-JWT `aud`. */
export async function makeTestSdJwt(
  provider: CryptoProvider,
  issuer: TestIssuer,
  holder: KeyPair,
  c: TestHolderClaims,
  disclose: readonly string[],
  aud: string,
): Promise<string> {
  const sdJwtVc = await issueSdJwtVc({
    provider,
    claims: { sub: c.sub, ...c.claims },
    disclosable: Object.keys(c.claims),
    issuerKey: issuer.keys.privateJwk,
    iss: issuer.iss,
    vct: 'https://credentials.example/employee',
    holderKey: holder.publicJwk,
    exp: c.exp ?? Math.floor(Date.now() / 1000) + 3600,
    ...(c.status === undefined ? {} : { status: c.status }),
  })
  return presentSdJwtVc({ provider, sdJwtVc, disclose, holderKey: holder.privateJwk, aud, nonce: 'mls' })
}

/** Verifies an SD-JWT+KB-JWT with the shared SD-JWT VC verifier; the KB-JWT aud is returned for the AS to check. */
export async function verifyTestSdJwt(provider: CryptoProvider, trusted: readonly TestIssuer[], text: string): Promise<VerifiedMlsPresentation> {
  const kb = text.slice(text.lastIndexOf('~') + 1)
  const aud = decodeJwtUnverified(kb).payload.aud
  if (typeof aud !== 'string') throw new E2eidError('ERR_TEST_AUD', 'KB-JWT has no aud')
  const v = await verifySdJwtVcPresentation(text, {
    provider,
    issuerKeys: (ctx: { iss?: string }) => {
      const t = trusted.find((x) => x.iss === ctx.iss)
      return t === undefined ? [] : [t.keys.publicJwk]
    },
    aud,
    maxKbAge: 30 * 24 * 3600,
  })
  return {
    ...(v.holderKey === undefined ? {} : { holderKey: v.holderKey }),
    sub: typeof v.claims.sub === 'string' ? v.claims.sub : undefined,
    claims: v.claims,
    issuer: v.issuer,
    ...(v.status === undefined ? {} : { status: v.status }),
    audience: aud,
  }
}

/** The test MlsPresentationVerifier: both kinds, with real signatures, counting calls. */
export function testVerifier(provider: CryptoProvider, trusted: readonly TestIssuer[]): MlsPresentationVerifier & { calls: number } {
  const f = Object.assign(
    async (kind: MlsCredentialKind, presentation: Uint8Array | string): Promise<VerifiedMlsPresentation> => {
      f.calls++
      if (kind === 'sd-cwt') return verifyTestKbt(provider, trusted, presentation as Uint8Array)
      return verifyTestSdJwt(provider, trusted, presentation as string)
    },
    { calls: 0 },
  )
  return f
}
