/**
 * SD-JWT VC from an issuer that signs as a DID (SD-JWT VC §3.5; issue 13): `iss` = did:jwk / did:key / did:web,
 * the header `kid` a DID URL of that DID. Keys come from the shared DID resolver (the verifier's), only from
 * `assertionMethod`; JWT VC Issuer Metadata is not consulted. The attacks: a wrong key, a kid of another DID,
 * an authentication-only key, plain-HTTP did:web without the loopback option.
 */
import { StatusList, base58btcEncode, base64urlDecode, base64urlEncode, createWebCryptoProvider, issueSdJwtVc, parsePublicJwk, signStatusListJwt, utf8Encode } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'
import { beforeAll, describe, expect, it } from 'vitest'
import { jsonRoutes, memoryWallet } from '../test-helpers/memory-wallet.js'
import { createSdJwtVcHandler } from './sd-jwt-vc.js'
import type { CheckReceivedInput } from './types.js'

const provider = createWebCryptoProvider()
const CREDENTIAL_ISSUER = 'https://issuer.example'
const VCT = 'urn:e2eid:mimi-identity'
const handler = createSdJwtVcHandler()
let holder: PublicJwk
let ed: { privateJwk: PrivateJwk; publicJwk: PublicJwk }
let p256: { privateJwk: PrivateJwk; publicJwk: PublicJwk }

beforeAll(async () => {
  holder = parsePublicJwk((await provider.generateKeyPair('EdDSA')).publicJwk)
  ed = await provider.generateKeyPair('EdDSA')
  p256 = await provider.generateKeyPair('ES256')
})

function didJwk(jwk: PublicJwk): string {
  return `did:jwk:${base64urlEncode(utf8Encode(JSON.stringify(parsePublicJwk(jwk))))}`
}

function didKeyEd25519(jwk: PublicJwk): string {
  return `did:key:z${base58btcEncode(Uint8Array.from([0xed, 0x01, ...base64urlDecode(jwk.x)]))}`
}

async function issueAs(iss: string, kid: string | undefined, key: PrivateJwk): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return issueSdJwtVc({
    provider,
    claims: { handle: '@alice@example.com', name: 'Alice' },
    disclosable: ['handle', 'name'],
    issuerKey: key,
    ...(kid === undefined ? {} : { kid }),
    iss,
    vct: VCT,
    holderKey: holder,
    iat: now,
    exp: now + 3600,
  })
}

/** Any network use fails: did:jwk and did:key need none, and JWT VC Issuer Metadata must not be consulted. */
const noNetwork: typeof fetch = async (input) => {
  throw new Error(`unexpected fetch of ${String(input instanceof Request ? input.url : input)}`)
}

function input(credential: string, fetchFn: typeof fetch = noNetwork, extra: Partial<CheckReceivedInput> = {}): CheckReceivedInput {
  return {
    credential, issuer: CREDENTIAL_ISSUER, holderKeys: [holder], issuerMetadata: {}, credentialConfiguration: { format: 'dc+sd-jwt', vct: VCT },
    now: Date.now(), fetch: fetchFn, provider, ...extra,
  }
}

describe('SD-JWT VC issued by a did:jwk / did:key issuer (SD-JWT VC §3.5, did:jwk §2, did:key §3.1)', () => {
  it('accepts iss = did:jwk with kid = <did>#0, without any network; records the DID as iss', async () => {
    const did = didJwk(p256.publicJwk)
    const c = await handler.checkReceived(input(await issueAs(did, `${did}#0`, p256.privateJwk)))
    expect(c.metadata.iss).toBe(did)
    expect(c.claims.iss).toBe(did)
    expect(c.claims.handle).toBe('@alice@example.com')
  })

  it('accepts iss = did:key (Ed25519) with a relative kid and with no kid at all', async () => {
    const did = didKeyEd25519(ed.publicJwk)
    const fragment = did.slice('did:key:'.length)
    expect((await handler.checkReceived(input(await issueAs(did, `#${fragment}`, ed.privateJwk)))).metadata.iss).toBe(did)
    expect((await handler.checkReceived(input(await issueAs(did, undefined, ed.privateJwk)))).metadata.iss).toBe(did)
  })

  it('wrong key: a token claiming a DID but signed by another key is refused', async () => {
    const did = didJwk(p256.publicJwk)
    const mallory = await provider.generateKeyPair('ES256')
    await expect(handler.checkReceived(input(await issueAs(did, `${did}#0`, mallory.privateJwk)))).rejects.toMatchObject({ code: 'ERR_SDJWT_SIGNATURE_INVALID' })
  })

  it('a kid naming a key of another DID is refused (the key must belong to iss)', async () => {
    const mallory = await provider.generateKeyPair('ES256')
    const victim = didJwk(p256.publicJwk)
    const own = didJwk(mallory.publicJwk)
    await expect(handler.checkReceived(input(await issueAs(victim, `${own}#0`, mallory.privateJwk)))).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_MISMATCH' })
    await expect(handler.checkReceived(input(await issueAs(victim, `${victim}#1`, p256.privateJwk)))).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_KEYS' })
  })

  it('an unsupported DID method is refused, and an https iss other than the Credential Issuer still is', async () => {
    await expect(handler.checkReceived(input(await issueAs('did:ethr:0x1234', undefined, p256.privateJwk)))).rejects.toMatchObject({ code: 'ERR_DID_UNSUPPORTED_METHOD' })
    await expect(handler.checkReceived(input(await issueAs('https://evil.example', undefined, p256.privateJwk)))).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_MISMATCH' })
  })
})

describe('SD-JWT VC issued by a did:web issuer on a loopback origin (did:web §3.2)', () => {
  const ORIGIN = 'http://127.0.0.1:8443'
  const did = 'did:web:127.0.0.1%3A8443'
  const document = (assertion: string[], authentication: string[] = []) => ({
    id: did,
    verificationMethod: [
      { id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: p256.publicJwk },
      { id: '#auth', type: 'JsonWebKey2020', controller: did, publicKeyJwk: ed.publicJwk },
    ],
    assertionMethod: assertion,
    authentication,
  })

  it('accepts iss = did:web of the origin with kid = DID URL (the project issuer\'s form) when loopback HTTP is allowed', async () => {
    const fetchFn = jsonRoutes({ [`${ORIGIN}/.well-known/did.json`]: document([`${did}#key-1`]) })
    const c = await handler.checkReceived(input(await issueAs(did, `${did}#key-1`, p256.privateJwk), fetchFn, { allowInsecureLoopback: true }))
    expect(c.metadata.iss).toBe(did)
  })

  it('never fetches did:web over plain HTTP unless loopback HTTP was allowed', async () => {
    const fetchFn = jsonRoutes({ [`${ORIGIN}/.well-known/did.json`]: document([`${did}#key-1`]) })
    await expect(handler.checkReceived(input(await issueAs(did, `${did}#key-1`, p256.privateJwk), fetchFn))).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_KEYS' })
  })

  it('a key listed only under authentication does not issue credentials (DID Core §5.3.2)', async () => {
    const fetchFn = jsonRoutes({ [`${ORIGIN}/.well-known/did.json`]: document([`${did}#key-1`], ['#auth']) })
    await expect(handler.checkReceived(input(await issueAs(did, '#auth', ed.privateJwk), fetchFn, { allowInsecureLoopback: true }))).rejects.toMatchObject({ code: 'ERR_WALLET_ISSUER_KEYS' })
  })

  it('a did.json describing another DID is refused', async () => {
    const fetchFn = jsonRoutes({ [`${ORIGIN}/.well-known/did.json`]: { ...document([`${did}#key-1`]), id: 'did:web:evil.example' } })
    await expect(handler.checkReceived(input(await issueAs(did, `${did}#key-1`, p256.privateJwk), fetchFn, { allowInsecureLoopback: true }))).rejects.toMatchObject({ code: 'ERR_DID_DOCUMENT_INVALID' })
  })
})

describe('Token Status List of a DID-issued credential (draft-ietf-oauth-status-list §8.3 with SD-JWT VC §3.5 keys)', () => {
  const STATUS_URI = 'https://status.example/lists/1'

  async function walletWithDidCredential(listSigner: PrivateJwk) {
    const did = didJwk(p256.publicJwk)
    const list = StatusList.create(16, 1)
    list.set(3, 1)
    const token = await signStatusListJwt({ list, sub: STATUS_URI, iss: did, key: listSigner, provider })
    const fetchFn: typeof fetch = async (input) => {
      const url = String(input instanceof Request ? input.url : input)
      if (url === STATUS_URI) return new Response(token, { headers: { 'Content-Type': 'application/statuslist+jwt' } })
      return new Response('not found', { status: 404 })
    }
    const wallet = memoryWallet([handler], { fetch: fetchFn })
    const key = await wallet.keys.generate('EdDSA')
    const holderKey = parsePublicJwk(key.publicJwk)
    const now = Math.floor(Date.now() / 1000)
    const raw = await issueSdJwtVc({
      provider, claims: { handle: '@alice' }, issuerKey: p256.privateJwk, kid: `${did}#0`, iss: did, vct: VCT, holderKey, iat: now, exp: now + 3600,
      status: { uri: STATUS_URI, idx: 3 },
    })
    const checked = await handler.checkReceived({ ...input(raw), holderKeys: [holderKey] })
    await wallet.db.credentials.put({
      id: 'c1', format: 'dc+sd-jwt', raw, issuer: CREDENTIAL_ISSUER, credentialConfigurationId: 'cfg', keyId: key.id, claims: checked.claims,
      disclosablePaths: [], statusListUri: STATUS_URI, statusIdx: 3, metadata: checked.metadata, receivedAt: Date.now(),
    })
    return wallet
  }

  it('checks the list against the DID key (no JWT VC Issuer Metadata needed)', async () => {
    const wallet = await walletWithDidCredential(p256.privateJwk)
    expect((await wallet.status('c1')).name).toBe('INVALID')
  })

  it('refuses a list signed by another key', async () => {
    const mallory = await provider.generateKeyPair('ES256')
    const wallet = await walletWithDidCredential(mallory.privateJwk)
    await expect(wallet.status('c1')).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_INVALID' })
  })
})
