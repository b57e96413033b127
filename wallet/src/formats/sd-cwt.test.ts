import { CborTag, createWebCryptoProvider, hexDecode, issueSdCwt, base64urlEncode, parsePublicJwk, verifySdCwtPresentation, decodeCbor, utf8Encode } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'
import { beforeAll, describe, expect, it } from 'vitest'
import { jsonRoutes, memoryWallet } from '../test-helpers/memory-wallet.js'
import type { Wallet } from '../wallet.js'
import { SD_CWT_FORMAT, createSdCwtHandler } from './sd-cwt.js'
import type { CheckReceivedInput } from './types.js'

const provider = createWebCryptoProvider()
const ISS = 'https://issuer.example'
let issuerKey: PrivateJwk
let issuerPub: PublicJwk
const handler = createSdCwtHandler()

beforeAll(async () => {
  const kp = await provider.generateKeyPair('ES256')
  issuerKey = kp.privateJwk
  issuerPub = kp.publicJwk
})

const fetchKeys = () => jsonRoutes({ [`${ISS}/.well-known/jwt-vc-issuer`]: { issuer: ISS, jwks: { keys: [issuerPub] } } })

async function issueFor(holder: PublicJwk, iss = ISS, decoys = 2): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const claims = new Map<unknown, unknown>([
    [1, iss],
    [2, 'https://holder.example/alice'],
    [4, now + 3600],
    [6, now - 10],
    [11, 'urn:e2eid:mimi-identity'],
    [new CborTag(58, 'handle'), 'im:alice@example.com'],
    [new CborTag(58, 'email'), 'alice@example.com'],
    ['domain', 'example.com'],
    [new CborTag(58, 'address'), new Map<unknown, unknown>([[new CborTag(58, 'country'), 'fr'], ['city', 'Paris']])],
    [65535, new Map([['status_list', new Map<unknown, unknown>([['idx', 7], ['uri', `${ISS}/status-lists/2`]])]])],
  ])
  const bytes = await issueSdCwt({ claims, issuerKey, holderKey: holder, provider, decoys })
  return base64urlEncode(bytes)
}

function input(credential: unknown, holderKeys: PublicJwk[]): CheckReceivedInput {
  return { credential, issuer: ISS, holderKeys, issuerMetadata: {}, credentialConfiguration: { format: SD_CWT_FORMAT }, now: Date.now(), fetch: fetchKeys(), provider }
}

async function walletWithCredential(): Promise<{ wallet: Wallet; id: string; holder: PublicJwk }> {
  const wallet = memoryWallet([handler], { fetch: fetchKeys() })
  const key = await wallet.keys.generate('EdDSA')
  const holder = parsePublicJwk(key.publicJwk)
  const checked = await handler.checkReceived(input(await issueFor(holder), [holder]))
  const id = wallet.keys.newId()
  await wallet.db.credentials.put({
    id, format: SD_CWT_FORMAT, raw: checked.raw, issuer: ISS, credentialConfigurationId: 'cfg', keyId: key.id, claims: checked.claims,
    disclosablePaths: checked.disclosablePaths.map((p) => [...p]), metadata: checked.metadata, receivedAt: Date.now(),
  })
  return { wallet, id, holder }
}

describe('SD-CWT holder checks on receipt (draft-ietf-spice-sd-cwt-08 §6.2)', () => {
  it('accepts a credential bound to one of our keys; every digest has its disclosure; claims/status/vct recorded', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const other = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const c = await handler.checkReceived(input(await issueFor(holder), [other, holder]))
    expect(c.holderKeyIndex).toBe(1)
    expect(c.claims).toMatchObject({ handle: 'im:alice@example.com', email: 'alice@example.com', domain: 'example.com', address: { country: 'fr', city: 'Paris' } })
    expect(c.disclosablePaths.map((p) => p.join('.')).sort()).toEqual(['address', 'address.country', 'email', 'handle'])
    expect(c.status).toEqual({ uri: `${ISS}/status-lists/2`, idx: 7 })
    expect(c.metadata.vct).toBe('urn:e2eid:mimi-identity')
  })

  it('refuses a credential whose cnf is not our key', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const mine = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    await expect(handler.checkReceived(input(await issueFor(holder), [mine]))).rejects.toMatchObject({ code: 'ERR_SDCWT_HOLDER_KEY_MISMATCH' })
  })

  it('refuses a tampered credential (issuer signature)', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const bytes = Buffer.from(await issueFor(holder), 'base64url')
    bytes[bytes.length - 3]! ^= 1
    await expect(handler.checkReceived(input(bytes.toString('base64url'), [holder]))).rejects.toMatchObject({ code: 'ERR_SDCWT_ISSUER_SIGNATURE_INVALID' })
  })

  it('§6.2 refuses a credential with a digest whose disclosure was withheld (a hidden claim or decoy)', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    const v = decodeCbor(Buffer.from(await issueFor(holder), 'base64url')) as CborTag
    const arr = v.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array]
    const sd = arr[1].get(17) as Uint8Array[]
    arr[1].set(17, sd.slice(1))
    const { encodeCbor } = await import('@e2eid/shared')
    await expect(handler.checkReceived(input(base64urlEncode(encodeCbor(v)), [holder]))).rejects.toMatchObject({ code: 'ERR_SDCWT_MISSING_DISCLOSURE' })
  })

  it('refuses an SD-CWT naming another issuer', async () => {
    const holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
    await expect(handler.checkReceived(input(await issueFor(holder, 'https://evil.example'), [holder]))).rejects.toMatchObject({ code: 'ERR_SDCWT_ISS_MISMATCH' })
  })

  it('refuses a non-base64url credential', async () => {
    await expect(handler.checkReceived(input('%%%', []))).rejects.toMatchObject({ code: 'ERR_WALLET_CREDENTIAL_MALFORMED' })
    await expect(handler.checkReceived(input(42, []))).rejects.toMatchObject({ code: 'ERR_WALLET_CREDENTIAL_MALFORMED' })
  })
})

describe('SD-CWT presentations: KBT (§8.1)', () => {
  it('preview = what the verifier sees; the KBT verifies with shared verifySdCwtPresentation; smallest disclosure set', async () => {
    const { wallet, id, holder } = await walletWithCredential()
    const preview = await wallet.preview(id, { paths: ['address.country'] })
    // The parent (address) comes along; nothing else, and no decoy.
    expect(preview.disclosed.map((p) => p.join('.')).sort()).toEqual(['address', 'address.country'])
    expect(preview.claims).toMatchObject({ domain: 'example.com', address: { country: 'fr', city: 'Paris' } })
    expect(preview.claims.handle).toBeUndefined()

    const p = await wallet.present(id, { paths: ['address.country'], aud: 'https://verifier.example', nonce: 'a1b2c3d4' })
    expect(p.presentation).toMatch(/^[0-9a-f]+$/)
    const v = await verifySdCwtPresentation(hexDecode(p.presentation), {
      issuerKeys: [issuerPub], provider, aud: 'https://verifier.example', cnonce: hexDecode('a1b2c3d4'),
    })
    expect(v.holderKey.x).toBe(holder.x)
    expect(v.claims.get('address')).toBeInstanceOf(Map)
    expect(v.claims.has('handle')).toBe(false)
    expect(v.claims.has('email')).toBe(false)
    expect(v.disclosures).toHaveLength(2)
    const h = await wallet.history(id)
    expect(h[0]).toMatchObject({ aud: 'https://verifier.example', nonce: 'a1b2c3d4', format: SD_CWT_FORMAT })
  })

  it('wrong aud or nonce is caught by the verifier', async () => {
    const { wallet, id } = await walletWithCredential()
    const p = await wallet.present(id, { paths: ['handle'], aud: 'https://a.example', nonce: '00' })
    await expect(verifySdCwtPresentation(hexDecode(p.presentation), { issuerKeys: [issuerPub], provider, aud: 'https://b.example' })).rejects.toMatchObject({ code: 'ERR_SDCWT_AUD_MISMATCH' })
    await expect(verifySdCwtPresentation(hexDecode(p.presentation), { issuerKeys: [issuerPub], provider, aud: 'https://a.example', cnonce: hexDecode('01') })).rejects.toMatchObject({ code: 'ERR_SDCWT_CNONCE_MISMATCH' })
  })

  it('KBT cnonce (claim 39) from an OpenID4VP nonce: hex → its bytes, other text → UTF-8 (specs/openid4vp-sd-cwt.md)', async () => {
    const { wallet, id } = await walletWithCredential()
    const hex = await wallet.present(id, { paths: ['handle'], aud: 'https://a.example', nonce: 'A1B2' })
    await expect(verifySdCwtPresentation(hexDecode(hex.presentation), { issuerKeys: [issuerPub], provider, aud: 'https://a.example', cnonce: new Uint8Array([0xa1, 0xb2]) })).resolves.toBeDefined()
    const text = await wallet.present(id, { paths: ['handle'], aud: 'https://a.example', nonce: 'n-1' })
    await expect(verifySdCwtPresentation(hexDecode(text.presentation), { issuerKeys: [issuerPub], provider, aud: 'https://a.example', cnonce: utf8Encode('n-1') })).resolves.toBeDefined()
    await expect(verifySdCwtPresentation(hexDecode(text.presentation), { issuerKeys: [issuerPub], provider, aud: 'https://a.example', cnonce: utf8Encode('n-2') })).rejects.toMatchObject({ code: 'ERR_SDCWT_CNONCE_MISMATCH' })
  })

  it('no disclosures: the KBT embeds the SD-CWT without sd_claims (empty array is invalid)', async () => {
    const { wallet, id } = await walletWithCredential()
    const p = await wallet.present(id, { paths: [], aud: 'https://v.example' })
    const v = await verifySdCwtPresentation(hexDecode(p.presentation), { issuerKeys: [issuerPub], provider, aud: 'https://v.example' })
    expect(v.disclosures).toHaveLength(0)
    expect(v.claims.get('domain')).toBe('example.com')
  })

  it('an unknown path is refused before signing', async () => {
    const { wallet, id } = await walletWithCredential()
    await expect(wallet.present(id, { paths: ['nope'], aud: 'https://v.example' })).rejects.toMatchObject({ code: 'ERR_SDCWT_PATH_NOT_FOUND' })
    expect(await wallet.history()).toHaveLength(0)
  })
})
