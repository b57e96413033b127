/**
 * Test-only credentials and presentation verifiers with REAL signatures:
 * - sd-jwt: the shared SD-JWT VC issuer / holder / verifier (RFC 9901 + SD-JWT VC);
 * - sd-cwt: a minimal KBT (COSE_Sign1 tag 18, `kcwt` = an issuer-signed CWT with `cnf`),
 *   signed and verified with shared/cose, standing in until the SD-CWT verifier lands.
 */
import {
  CborTag,
  COSE_HEADER,
  coseKeyToJwk,
  decodeCbor,
  decodeCoseSign1,
  decodeJwtUnverified,
  E2eidError,
  encodeCbor,
  issueSdJwtVc,
  jwkToCoseKey,
  parseCoseSign1,
  presentSdJwtVc,
  signCoseSign1,
  signCoseSign1Parts,
  verifyCoseSign1,
  verifySdJwtVcPresentation,
} from '@e2eid/shared'
import type { CryptoProvider, KeyPair, PublicJwk } from '@e2eid/shared'
import type { MlsPresentationVerifier, VerifiedMlsPresentation } from '../types.js'

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
}

/** A KBT whose kcwt is an issuer CWT {1 iss, 2 sub, 4 exp, 8 cnf {1 COSE_Key}, 65535 status, …claims}. */
export async function makeTestKbt(
  provider: CryptoProvider,
  issuer: TestIssuer,
  holder: KeyPair,
  c: TestHolderClaims,
  aud: string,
  cnf: 'cose-key' | 'ckt' = 'cose-key',
): Promise<Uint8Array> {
  const payload = new Map<unknown, unknown>([
    [1, issuer.iss],
    [2, c.sub],
    [4, c.exp ?? Math.floor(Date.now() / 1000) + 3600],
    [8, new Map<unknown, unknown>([cnf === 'ckt' ? [5, provider.digest('SHA-256', encodeCbor(jwkToCoseKey(holder.publicJwk), { canonical: true }))] : [1, jwkToCoseKey(holder.publicJwk)]])],
  ])
  if (c.status !== undefined) payload.set(65535, new Map([['status_list', new Map<unknown, unknown>([['idx', c.status.idx], ['uri', c.status.uri]])]]))
  for (const [k, v] of Object.entries(c.claims)) payload.set(k, v)
  const cwt = await signCoseSign1Parts({ protectedHeaders: new Map<unknown, unknown>([[COSE_HEADER.typ, 293]]), payload: encodeCbor(payload), key: issuer.keys.privateJwk, provider })
  return signCoseSign1({
    protectedHeaders: new Map<unknown, unknown>([[COSE_HEADER.typ, 294], [COSE_HEADER.kcwt, new CborTag(18, cwt)]]),
    payload: encodeCbor(new Map<unknown, unknown>([[3, aud], [6, Math.floor(Date.now() / 1000)]])),
    key: holder.privateJwk,
    provider,
  })
}

function str(m: Map<unknown, unknown>, k: unknown): string | undefined {
  const v = m.get(k)
  return typeof v === 'string' ? v : undefined
}

/** Verifies a {@link makeTestKbt} token: issuer signature (trusted keys), expiry, cnf, KBT signature by the cnf key. */
export async function verifyTestKbt(provider: CryptoProvider, trusted: readonly TestIssuer[], kbt: Uint8Array, nowSeconds = Math.floor(Date.now() / 1000)): Promise<VerifiedMlsPresentation> {
  const outer = decodeCoseSign1(kbt, { requireTag: true })
  const cwt = parseCoseSign1(outer.protectedHeaders.get(COSE_HEADER.kcwt))
  const claims = decodeCbor(cwt.payload!) as Map<unknown, unknown>
  const iss = str(claims, 1)
  const issuer = trusted.find((t) => t.iss === iss)
  if (issuer === undefined) throw new E2eidError('ERR_TEST_UNTRUSTED_ISSUER', `issuer ${String(iss)} is not trusted`)
  await verifyCoseSign1(cwt, { keys: issuer.keys.publicJwk, provider })
  if (typeof claims.get(4) !== 'number' || (claims.get(4) as number) <= nowSeconds) throw new E2eidError('ERR_TEST_EXPIRED', 'credential expired')
  const cnf = claims.get(8) as Map<unknown, unknown>
  let holderKey: PublicJwk | undefined
  let holderKeyThumbprint: Uint8Array | undefined
  if (cnf.has(1)) holderKey = coseKeyToJwk(cnf.get(1))
  else holderKeyThumbprint = cnf.get(5) as Uint8Array
  // KBT signature: by the cnf key. With ckt the verifier needs the key from elsewhere: the leaf key,
  // which the AuthenticationService then compares with the thumbprint.
  const kbKey = holderKey
  if (kbKey === undefined) throw new E2eidError('ERR_TEST_CKT_NEEDS_KEY', 'ckt: call verifyTestKbtWithKey')
  await verifyCoseSign1(outer, { keys: kbKey, provider })
  const kbtPayload = decodeCbor(outer.payload!) as Map<unknown, unknown>
  const rest: Record<string, unknown> = {}
  for (const [k, v] of claims) if (typeof k === 'string') rest[k] = v
  const statusMap = (claims.get(65535) as Map<string, Map<string, unknown>> | undefined)?.get('status_list')
  return {
    holderKey,
    ...(holderKeyThumbprint === undefined ? {} : { holderKeyThumbprint }),
    sub: str(claims, 2),
    claims: rest,
    issuer: issuer.iss,
    ...(statusMap === undefined ? {} : { status: { idx: statusMap.get('idx') as number, uri: statusMap.get('uri') as string } }),
    audience: str(kbtPayload, 3),
  }
}

/** ckt variant: the KBT is verified with the leaf key given by the AuthenticationService context. */
export async function verifyTestKbtWithLeafKey(provider: CryptoProvider, trusted: readonly TestIssuer[], kbt: Uint8Array, leafKey: PublicJwk): Promise<VerifiedMlsPresentation> {
  const outer = decodeCoseSign1(kbt, { requireTag: true })
  const cwt = parseCoseSign1(outer.protectedHeaders.get(COSE_HEADER.kcwt))
  const claims = decodeCbor(cwt.payload!) as Map<unknown, unknown>
  const issuer = trusted.find((t) => t.iss === str(claims, 1))
  if (issuer === undefined) throw new E2eidError('ERR_TEST_UNTRUSTED_ISSUER', 'issuer is not trusted')
  await verifyCoseSign1(cwt, { keys: issuer.keys.publicJwk, provider })
  await verifyCoseSign1(outer, { keys: leafKey, provider })
  const cnf = claims.get(8) as Map<unknown, unknown>
  return { holderKeyThumbprint: cnf.get(5) as Uint8Array, sub: str(claims, 2), claims: {}, issuer: issuer.iss, audience: str(decodeCbor(outer.payload!) as Map<unknown, unknown>, 3) }
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
  const f = (async (kind, presentation) => {
    f.calls++
    if (kind === 'sd-cwt') return verifyTestKbt(provider, trusted, presentation as Uint8Array)
    return verifyTestSdJwt(provider, trusted, presentation as string)
  }) as MlsPresentationVerifier & { calls: number }
  f.calls = 0
  return f
}
