import { createPublicKey, verify as nodeVerify, createHash, randomBytes } from 'node:crypto'
import { SDJwtInstance } from '@sd-jwt/core'
import { createWebCryptoProvider, issueSdJwtVc, parsePublicJwk, verifySdJwtVcPresentation } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'
import { beforeAll, describe, expect, it } from 'vitest'
import { jsonRoutes, memoryWallet } from '../test-helpers/memory-wallet.js'
import type { Wallet } from '../wallet.js'
import { createSdJwtVcHandler } from './sd-jwt-vc.js'
import type { CheckReceivedInput } from './types.js'

const provider = createWebCryptoProvider()
const ISS = 'https://issuer.example'
const VCT = 'urn:e2eid:mimi-identity'
let issuerKey: PrivateJwk
let issuerPub: PublicJwk
const handler = createSdJwtVcHandler()

beforeAll(async () => {
  const kp = await provider.generateKeyPair('ES256')
  issuerKey = { ...kp.privateJwk, kid: 'k1' }
  issuerPub = { ...kp.publicJwk, kid: 'k1' }
})

const fetchKeys = () => jsonRoutes({ [`${ISS}/.well-known/jwt-vc-issuer`]: { issuer: ISS, jwks: { keys: [issuerPub] } } })

async function issueFor(holder: PublicJwk, over: { iss?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return issueSdJwtVc({
    provider,
    claims: { handle: '@alice@example.com', email: 'alice@example.com', name: 'Alice', domain: 'example.com' },
    disclosable: ['handle', 'email', 'name'],
    decoys: 2,
    issuerKey,
    kid: 'k1',
    iss: over.iss ?? ISS,
    vct: VCT,
    holderKey: holder,
    iat: now,
    exp: over.exp ?? now + 3600,
    status: { uri: `${ISS}/status-lists/1`, idx: 42 },
  })
}

function input(credential: unknown, holderKeys: PublicJwk[]): CheckReceivedInput {
  return { credential, issuer: ISS, holderKeys, issuerMetadata: {}, credentialConfiguration: { format: 'dc+sd-jwt', vct: VCT }, now: Date.now(), fetch: fetchKeys(), provider }
}

async function walletWithCredential(): Promise<{ wallet: Wallet; id: string; holder: PublicJwk }> {
  const wallet = memoryWallet([handler], { fetch: fetchKeys() })
  const key = await wallet.keys.generate('EdDSA')
  const holder = parsePublicJwk(key.publicJwk)
  const checked = await handler.checkReceived(input(await issueFor(holder), [holder]))
  const id = wallet.keys.newId()
  await wallet.db.credentials.put({
    id, format: 'dc+sd-jwt', raw: checked.raw, issuer: ISS, credentialConfigurationId: 'cfg', keyId: key.id, claims: checked.claims,
    disclosablePaths: checked.disclosablePaths.map((p) => [...p]), metadata: checked.metadata, receivedAt: Date.now(),
  })
  return { wallet, id, holder }
}

function jwkVerifier(jwk: PublicJwk) {
  const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' })
  return (data: string, sig: string) =>
    nodeVerify(jwk.kty === 'OKP' ? null : 'sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))
}

describe('SD-JWT VC holder checks on receipt (RFC 9901 §7.2, SD-JWT VC)', () => {
  it('accepts a credential bound to our key; records claims, disclosable paths, status and vct', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const other = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const c = await handler.checkReceived(input(await issueFor(holder), [other, holder]))
    expect(c.holderKeyIndex).toBe(1)
    expect(c.claims.handle).toBe('@alice@example.com')
    expect(c.disclosablePaths.map((p) => p.join('.')).sort()).toEqual(['email', 'handle', 'name'])
    expect(c.status).toEqual({ uri: `${ISS}/status-lists/1`, idx: 42 })
    expect(c.metadata.vct).toBe(VCT)
  })

  it('refuses a credential whose cnf is not our key (wrong-key)', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const mine = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    await expect(handler.checkReceived(input(await issueFor(holder), [mine]))).rejects.toMatchObject({ code: 'ERR_SDJWT_CNF_MISMATCH' })
  })

  it('refuses a tampered disclosure (§7.1 step 3: digest not referenced)', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const sd = await issueFor(holder)
    const parts = sd.split('~')
    const d = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as unknown[]
    d[2] = 'mallory'
    parts[1] = Buffer.from(JSON.stringify(d)).toString('base64url')
    await expect(handler.checkReceived(input(parts.join('~'), [holder]))).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SDJWT_/) })
  })

  it('refuses a tampered issuer signature', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const sd = await issueFor(holder)
    const [jwt, ...rest] = sd.split('~')
    const [h, p, s] = jwt!.split('.')
    const sig = Buffer.from(s!, 'base64url')
    sig[3]! ^= 1
    await expect(handler.checkReceived(input([`${h}.${p}.${sig.toString('base64url')}`, ...rest].join('~'), [holder]))).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SDJWT_/) })
  })

  it('refuses a credential from another issuer than the one we asked', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    await expect(handler.checkReceived(input(await issueFor(holder, { iss: 'https://evil.example' }), [holder]))).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_MISMATCH' })
  })

  it('refuses a credential with a KB-JWT appended (§7.2)', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const sd = await issueFor(holder)
    await expect(handler.checkReceived(input(`${sd}eyJhbGciOiJFUzI1NiJ9.e30.AAAA`, [holder]))).rejects.toMatchObject({ code: 'ERR_SDJWT_KB_UNEXPECTED' })
  })

  it('refuses non-string credentials', async () => {
    await expect(handler.checkReceived(input({ x: 1 }, []))).rejects.toMatchObject({ code: 'ERR_WALLET_CREDENTIAL_MALFORMED' })
  })
})

describe('SD-JWT VC presentations (RFC 9901 §4.3 KB-JWT)', () => {
  it('preview shows exactly the disclosed claims; the presentation verifies with shared/ and @sd-jwt/core; history records it', async () => {
    const { wallet, id, holder } = await walletWithCredential()
    const preview = await wallet.preview(id, { paths: ['email'] })
    expect(preview.disclosed).toEqual([['email']])
    expect(preview.claims.email).toBe('alice@example.com')
    expect(preview.claims.handle).toBeUndefined()
    expect(preview.claims.domain).toBe('example.com')

    const nonce = randomBytes(8).toString('hex')
    const p = await wallet.present(id, { paths: ['email'], aud: 'https://verifier.example', nonce })
    // Smallest: exactly one disclosure, then the KB-JWT.
    expect(p.presentation.split('~')).toHaveLength(3)
    expect(p.disclosed).toEqual(preview.disclosed)

    const v = await verifySdJwtVcPresentation(p.presentation, { provider, issuerKeys: [issuerPub], aud: 'https://verifier.example', nonce })
    expect(v.claims.email).toBe('alice@example.com')
    expect(v.claims.handle).toBeUndefined()
    expect(v.holderKey).toEqual(holder)

    const sdjwt = new SDJwtInstance({
      hasher: (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest()),
      hashAlg: 'sha-256',
      verifier: jwkVerifier(issuerPub),
      kbVerifier: jwkVerifier(holder),
    })
    const r = await sdjwt.verify(p.presentation, { keyBindingNonce: nonce })
    expect((r.payload as Record<string, unknown>).email).toBe('alice@example.com')
    expect(r.kb?.payload.aud).toBe('https://verifier.example')

    const history = await wallet.history(id)
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ aud: 'https://verifier.example', nonce, disclosed: [['email']], presentation: p.presentation })
  })

  it('a presentation disclosing nothing is JWT~KB (single tilde)', async () => {
    const { wallet, id } = await walletWithCredential()
    const p = await wallet.present(id, { paths: [], aud: 'https://v', nonce: 'n' })
    expect(p.presentation.split('~')).toHaveLength(2)
    expect(p.disclosed).toEqual([])
  })

  it('a DCQL query picks the claims; values filter is honoured', async () => {
    const { wallet, id } = await walletWithCredential()
    const dcql = { credentials: [{ id: 'mimi', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['handle'] }] }] }
    const p = await wallet.present(undefined, { dcql, aud: 'https://v', nonce: 'n' })
    expect(p.credentialId).toBe(id)
    expect(p.disclosed).toEqual([['handle']])
  })

  it('an unknown claim path is refused before signing, and nothing is recorded', async () => {
    const { wallet, id } = await walletWithCredential()
    await expect(wallet.present(id, { paths: ['nope'], aud: 'https://v', nonce: 'n' })).rejects.toMatchObject({ code: 'ERR_SDJWT_PATH_NOT_FOUND' })
    expect(await wallet.history()).toHaveLength(0)
  })
})
