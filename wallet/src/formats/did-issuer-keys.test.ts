/**
 * SD-JWT VC from an issuer that signs as a DID (SD-JWT VC §3.5; issue 13): `iss` = did:jwk / did:key / did:web,
 * the header `kid` a DID URL of that DID. Keys come from the shared DID resolver (the verifier's), only from
 * `assertionMethod`; JWT VC Issuer Metadata is not consulted. The attacks: a wrong key, a kid of another DID,
 * an authentication-only key, plain-HTTP did:web without the loopback option.
 */
import { base58btcEncode, base64urlDecode, base64urlEncode, createWebCryptoProvider, issueSdJwtVc, parsePublicJwk, utf8Encode } from '@e2eid/shared'
import type { PrivateJwk, PublicJwk } from '@e2eid/shared'
import { beforeAll, describe, expect, it } from 'vitest'
import { jsonRoutes } from '../test-helpers/memory-wallet.js'
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
