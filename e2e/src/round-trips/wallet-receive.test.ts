import { base64urlEncode, createDidResolver, createWebCryptoProvider, decodeJwtUnverified, hexDecode, issueSdJwtVc, parsePublicJwk, resolveDidAssertionKeys, signJwt, utf8Encode, verifySdCwtPresentation, verifySdJwtVcPresentation } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSdJwtVcHandler, createSdCwtHandler, defaultFormatHandlers } from '@e2eid/wallet'
import { memoryWallet } from '@e2eid/wallet/testing'
import { ALICE, ISSUER, REDIRECT, testIssuer } from '@e2eid/issuer/testing'

const provider = createWebCryptoProvider()
let issuer: Awaited<ReturnType<typeof testIssuer>>

beforeEach(async () => {
  issuer = await testIssuer()
})
afterEach(async () => {
  await issuer.close()
})

async function nothingStored(wallet: ReturnType<typeof memoryWallet>): Promise<void> {
  expect(await wallet.db.credentials.count()).toBe(0)
  expect(await wallet.db.keys.count()).toBe(0)
}

/** A fetch that re-signs the credential request's proof with a fresh attacker key (the proof swapped in flight). */
async function swapProofKey(): Promise<typeof fetch> {
  const attacker = await provider.generateKeyPair('EdDSA')
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (url === `${ISSUER}/credential` && typeof init?.body === 'string') {
      const req = JSON.parse(init.body) as { proofs: { jwt: string[] } }
      const { payload } = decodeJwtUnverified(req.proofs.jwt[0]!)
      req.proofs.jwt[0] = await signJwt({ header: { typ: 'openid4vci-proof+jwt', jwk: attacker.publicJwk }, payload, key: attacker.privateJwk, provider })
      return issuer.fetch(input, { ...init, body: JSON.stringify(req) })
    }
    return issuer.fetch(input, init)
  }
}

/** A fetch that lets `edit` rewrite the JSON body of the credential endpoint's response. */
function editCredentialResponse(edit: (body: { credentials: Array<{ credential: string }> }) => void): typeof fetch {
  return async (input, init) => {
    const res = await issuer.fetch(input, init)
    const url = input instanceof Request ? input.url : String(input)
    if (url !== `${ISSUER}/credential` || !res.ok) return res
    const body = (await res.json()) as { credentials: Array<{ credential: string }> }
    edit(body)
    return Response.json(body, { status: res.status })
  }
}

describe('OpenID4VCI 1.0 receipt from the project issuer (SD-JWT VC)', () => {
  it('§3.5 pre-authorized code + tx_code, offer by reference, DPoP, nonce, jwt proof; stores a checked credential that presents', async () => {
    const dpopSeen: string[] = []
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (new Headers(init?.headers).has('dpop')) dpopSeen.push(new URL(url).pathname)
      return issuer.fetch(input, init)
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri, tx_code } = await issuer.offer('mimi_identity_sd_jwt', true)
    expect(offer_uri).toContain('credential_offer_uri=')
    const [cred, ...more] = await wallet.receive(offer_uri, { txCode: tx_code! })
    expect(more).toHaveLength(0)
    // RFC 9449: DPoP proofs on the token, nonce and credential requests.
    expect(dpopSeen).toEqual(expect.arrayContaining(['/token', '/nonce', '/credential', '/notification']))
    expect(cred!.format).toBe('dc+sd-jwt')
    expect(cred!.claims).toMatchObject(ALICE)
    expect(cred!.statusListUri).toMatch(/^https:\/\/issuer\.example\//)
    expect((await wallet.list()).map((c) => c.id)).toEqual([cred!.id])
    expect(await wallet.db.issuerMetadata.get(ISSUER)).toBeDefined()
    // The credential is bound to the credential's own Ed25519 key.
    const key = await wallet.keys.get(cred!.keyId)
    expect(key.alg).toBe('EdDSA')
    const { payload } = decodeJwtUnverified(cred!.raw.split('~')[0]!)
    expect((payload.cnf as { jwk: { x: string } }).jwk.x).toBe(key.publicJwk.x)

    const p = await wallet.present(cred!.id, { paths: ['handle'], aud: 'https://verifier.example', nonce: 'n-1' })
    const keys = (await issuer.jwks()).map((k) => parsePublicJwk(k))
    const v = await verifySdJwtVcPresentation(p.presentation, { provider, issuerKeys: keys, aud: 'https://verifier.example', nonce: 'n-1' })
    expect(v.claims.handle).toBe(ALICE.handle)
    expect(v.claims.email).toBeUndefined()
  })

  it('§4.1 offer by value works too', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri_by_value } = await issuer.offer('mimi_identity_sd_jwt')
    expect(offer_uri_by_value).toContain('credential_offer=')
    expect(await wallet.receive(offer_uri_by_value)).toHaveLength(1)
  })

  it('§4.1.1 a tx_code is asked for before any request; a wrong one fails at the token endpoint; nothing is stored', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri_by_value } = await issuer.offer('mimi_identity_sd_jwt', true)
    await expect(wallet.receive(offer_uri_by_value)).rejects.toMatchObject({ code: 'ERR_WALLET_TX_CODE_REQUIRED' })
    await expect(wallet.receive(offer_uri_by_value, { txCode: '000000x' })).rejects.toMatchObject({ code: 'ERR_WALLET_TOKEN_FAILED' })
    await nothingStored(wallet)
  })

  it('§8.2 batch: one fresh key per credential', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const creds = await wallet.receive(offer_uri, { batch: 3 })
    expect(creds).toHaveLength(3)
    expect(new Set(creds.map((c) => c.keyId)).size).toBe(3)
    expect(await wallet.db.keys.count()).toBe(3)
  })

  it('P-256 holder keys (option)', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const [c] = await wallet.receive(offer_uri, { keyAlg: 'ES256' })
    expect((await wallet.keys.get(c!.keyId)).publicJwk.crv).toBe('P-256')
  })

  it('§3.4 authorization code flow with PAR + PKCE (S256) and DPoP', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const offer = { credential_issuer: ISSUER, credential_configuration_ids: ['mimi_identity_sd_jwt'], grants: { authorization_code: {} } }
    const seen: string[] = []
    const creds = await wallet.receive(`openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`, {
      authorization: {
        clientId: 'e2eid-wallet',
        redirectUri: REDIRECT,
        authorize: async (url) => {
          seen.push(url)
          return issuer.login(url)
        },
      },
    })
    expect(creds).toHaveLength(1)
    // PAR: the authorization request carries only a request_uri.
    expect(new URL(seen[0]!).searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/)
  })

  it('§8.3.1 invalid_nonce: the wallet fetches a fresh c_nonce and retries once', async () => {
    let failed = false
    let nonces = 0
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${ISSUER}/nonce`) nonces++
      if (url === `${ISSUER}/credential` && !failed) {
        failed = true
        return Response.json({ error: 'invalid_nonce' }, { status: 400 })
      }
      return issuer.fetch(input, init)
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    expect(await wallet.receive(offer_uri)).toHaveLength(1)
    expect(nonces).toBe(2)
  })

  it('delete removes the credential and its key', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const [c] = await wallet.receive(offer_uri)
    await wallet.delete(c!.id)
    await nothingStored(wallet)
    await expect(wallet.get(c!.id)).rejects.toMatchObject({ code: 'ERR_WALLET_CREDENTIAL_NOT_FOUND' })
  })

  it('§5.1.3 issuer-initiated authorization code offer: issuer_state reaches the AS (PAR) and alice gets her credential', async () => {
    const pars: string[] = []
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${ISSUER}/par` && typeof init?.body === 'string') pars.push(init.body)
      return issuer.fetch(input, init)
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt', false, 'authorization_code')
    const creds = await wallet.receive(offer_uri, { authorization: { clientId: 'e2eid-wallet', redirectUri: REDIRECT, authorize: (u) => issuer.login(u) } })
    expect(creds[0]!.claims).toMatchObject(ALICE)
    const par = new URLSearchParams(pars[0]!)
    expect(par.get('issuer_state')).toBeTruthy()
    expect(par.get('state')).toBeTruthy()
    expect(par.get('code_challenge_method')).toBe('S256')
  })

  it('§3.4 an authorization response with another state is refused', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const offer = { credential_issuer: ISSUER, credential_configuration_ids: ['mimi_identity_sd_jwt'], grants: { authorization_code: {} } }
    await expect(
      wallet.receive(`openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`, {
        authorization: {
          clientId: 'e2eid-wallet',
          redirectUri: REDIRECT,
          authorize: async (url) => {
            const back = new URL(await issuer.login(url))
            back.searchParams.set('state', 'forged')
            return back.href
          },
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_WALLET_AUTHORIZATION_FAILED' })
    await nothingStored(wallet)
  })

  it('a tampered credential is refused and NOT stored (neither credential nor key)', async () => {
    const fetch = editCredentialResponse((body) => {
      const parts = body.credentials[0]!.credential.split('~')
      const d = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as unknown[]
      d[d.length - 1] = 'mallory'
      parts[1] = Buffer.from(JSON.stringify(d)).toString('base64url')
      body.credentials[0]!.credential = parts.join('~')
    })
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SDJWT_/) })
    await nothingStored(wallet)
  })

  it('batch: one bad credential refuses the whole response; no credential and no key is left', async () => {
    const notifications: string[] = []
    const edit = editCredentialResponse((body) => {
      const parts = body.credentials[1]!.credential.split('~')
      parts[1] = parts[2]! // a disclosure repeated, another one missing
      body.credentials[1]!.credential = parts.join('~')
    })
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url === `${ISSUER}/notification` && typeof init?.body === 'string') notifications.push((JSON.parse(init.body) as { event: string }).event)
      return edit(input, init)
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    await expect(wallet.receive(offer_uri, { batch: 2 })).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SDJWT_/) })
    await nothingStored(wallet)
    // §11: the issuer (which has a notification endpoint) is told.
    expect(notifications).toEqual(['credential_failure'])
  })

  it('SD-JWT VC §3.5: a credential whose iss is a did:jwk is received; the wallet records the Credential Issuer URL and the DID', async () => {
    // The Credential Issuer delivers a credential signed as a DID (same claims, same cnf as the one it issued).
    const didKey = await provider.generateKeyPair('ES256')
    const did = `did:jwk:${base64urlEncode(utf8Encode(JSON.stringify(didKey.publicJwk)))}`
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const res = await issuer.fetch(input, init)
      const url = input instanceof Request ? input.url : String(input)
      if (url !== `${ISSUER}/credential` || !res.ok) return res
      const body = (await res.json()) as { credentials: Array<{ credential: string }> }
      const { payload } = decodeJwtUnverified(body.credentials[0]!.credential.split('~')[0]!)
      body.credentials[0]!.credential = await issueSdJwtVc({
        provider, claims: { handle: ALICE.handle }, disclosable: ['handle'], issuerKey: didKey.privateJwk, kid: `${did}#0`, iss: did,
        vct: payload.vct as string, holderKey: (payload.cnf as { jwk: PublicJwk }).jwk, exp: Math.floor(Date.now() / 1000) + 600,
      })
      return Response.json(body, { status: res.status })
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const [cred] = await wallet.receive(offer_uri)
    expect(cred!.issuer).toBe(ISSUER)
    expect(cred!.metadata.iss).toBe(did)
    expect(cred!.claims.handle).toBe(ALICE.handle)
  })

  it('the project issuer with sd_jwt_issuer "did:web": iss = did:web:issuer.example, kid = its DID URL; received, status read, presented', async () => {
    const didIssuer = await testIssuer({ sd_jwt_issuer: 'did:web' })
    try {
      const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: didIssuer.fetch })
      const { offer_uri } = await didIssuer.offer('mimi_identity_sd_jwt')
      const [cred] = await wallet.receive(offer_uri)
      const { header } = decodeJwtUnverified(cred!.raw.split('~')[0]!)
      expect(cred!.issuer).toBe(ISSUER)
      expect(cred!.metadata.iss).toBe('did:web:issuer.example')
      expect(String(header.kid)).toMatch(/^did:web:issuer\.example#/)
      // The status list is checked against the DID's keys (served by the same issuer's did.json).
      expect((await wallet.status(cred!.id)).name).toBe('VALID')
      const p = await wallet.present(cred!.id, { paths: ['handle'], aud: 'https://verifier.example', nonce: 'n-2' })
      // A verifier resolves the same DID with the same shared resolver; keys are named by their DID URL.
      const resolver = createDidResolver({ fetchJson: async (url) => (await didIssuer.fetch(url)).json() })
      const keys = (await resolveDidAssertionKeys(resolver, 'did:web:issuer.example')).map((k) => ({ ...k.jwk, kid: k.id }))
      const v = await verifySdJwtVcPresentation(p.presentation, { provider, issuerKeys: keys, aud: 'https://verifier.example', nonce: 'n-2' })
      expect(v.issuer).toBe('did:web:issuer.example')
    } finally {
      await didIssuer.close()
    }
  })

  it('a credential claiming a did:jwk iss but signed by another key is refused and NOT stored', async () => {
    const didKey = await provider.generateKeyPair('ES256')
    const mallory = await provider.generateKeyPair('ES256')
    const did = `did:jwk:${base64urlEncode(utf8Encode(JSON.stringify(didKey.publicJwk)))}`
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const res = await issuer.fetch(input, init)
      const url = input instanceof Request ? input.url : String(input)
      if (url !== `${ISSUER}/credential` || !res.ok) return res
      const body = (await res.json()) as { credentials: Array<{ credential: string }> }
      const { payload } = decodeJwtUnverified(body.credentials[0]!.credential.split('~')[0]!)
      body.credentials[0]!.credential = await issueSdJwtVc({
        provider, claims: { handle: ALICE.handle }, issuerKey: mallory.privateJwk, kid: `${did}#0`, iss: did,
        vct: payload.vct as string, holderKey: (payload.cnf as { jwk: PublicJwk }).jwk,
      })
      return Response.json(body, { status: res.status })
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: 'ERR_SDJWT_SIGNATURE_INVALID' })
    await nothingStored(wallet)
  })

  it('a credential bound to another key (proof swapped in flight) is refused and NOT stored', async () => {
    const fetch = await swapProofKey()
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: 'ERR_SDJWT_CNF_MISMATCH' })
    await nothingStored(wallet)
  })

  it('a credential from an issuer whose keys we cannot find is refused', async () => {
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url.includes('/.well-known/jwt-vc-issuer')) return Response.json({ issuer: ISSUER, jwks: { keys: [(await provider.generateKeyPair('ES256')).publicJwk as PublicJwk] } })
      return issuer.fetch(input, init)
    }
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_SDJWT_/) })
    await nothingStored(wallet)
  })

  it('an offer for a format without a handler is refused before any token request', async () => {
    const wallet = memoryWallet([], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: 'ERR_WALLET_FORMAT_UNSUPPORTED' })
  })

  it('a malformed offer is refused with ERR_WALLET_OFFER_INVALID', async () => {
    const wallet = memoryWallet([createSdJwtVcHandler()], { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    await expect(wallet.receive('openid-credential-offer://?credential_offer=%7Bnot-json')).rejects.toMatchObject({ code: 'ERR_WALLET_OFFER_INVALID' })
  })
})

describe('OpenID4VCI 1.0 receipt from the project issuer (SD-CWT, application/sd-cwt)', () => {
  it('pre-authorized flow; §6.2 holder checks pass; the KBT verifies with the shared verifier', async () => {
    const wallet = memoryWallet(defaultFormatHandlers(), { trustedIssuers: [ISSUER], fetch: issuer.fetch })
    const { offer_uri, tx_code } = await issuer.offer('mimi_identity_sd_cwt', true)
    const [cred] = await wallet.receive(offer_uri, { txCode: tx_code! })
    expect(cred!.format).toBe('application/sd-cwt')
    const { sub, ...attributes } = ALICE
    // CWT claim keys: sub is label 2 (JSON view: "2").
    expect(cred!.claims).toMatchObject({ ...attributes, '2': sub })
    expect(cred!.disclosablePaths.map((p) => p.join('.')).sort()).toEqual(['email', 'handle', 'name'])
    expect(cred!.statusListUri).toMatch(/^https:\/\/issuer\.example\//)
    const p = await wallet.present(cred!.id, { paths: ['handle'], aud: 'https://verifier.example', nonce: '0a0b' })
    const keys = (await issuer.jwks()).map((k) => parsePublicJwk(k))
    const v = await verifySdCwtPresentation(hexDecode(p.presentation), { issuerKeys: keys, provider, aud: 'https://verifier.example', cnonce: hexDecode('0a0b') })
    expect(v.claims.get('handle')).toBe(ALICE.handle)
    expect(v.claims.has('email')).toBe(false)
  })

  it('a tampered SD-CWT is refused and not stored', async () => {
    const fetch = editCredentialResponse((body) => {
      const b = Buffer.from(body.credentials[0]!.credential, 'base64url')
      b[b.length - 5]! ^= 0x40
      body.credentials[0]!.credential = b.toString('base64url')
    })
    const wallet = memoryWallet([createSdCwtHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_cwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_(SDCWT|COSE|CBOR)_/) })
    await nothingStored(wallet)
  })

  it('an SD-CWT bound to a swapped-in key is refused and not stored', async () => {
    const fetch = await swapProofKey()
    const wallet = memoryWallet([createSdCwtHandler()], { trustedIssuers: [ISSUER], fetch })
    const { offer_uri } = await issuer.offer('mimi_identity_sd_cwt')
    await expect(wallet.receive(offer_uri)).rejects.toMatchObject({ code: 'ERR_SDCWT_HOLDER_KEY_MISMATCH' })
    await nothingStored(wallet)
  })
})

describe('credential status (Token Status List)', () => {
  for (const configuration of ['mimi_identity_sd_jwt', 'mimi_identity_sd_cwt']) {
    it(`${configuration}: VALID after receipt, INVALID once the issuer revokes it`, async () => {
      const wallet = memoryWallet(defaultFormatHandlers(), { trustedIssuers: [ISSUER], fetch: issuer.fetch })
      const { offer_uri } = await issuer.offer(configuration)
      const [c] = await wallet.receive(offer_uri)
      expect((await wallet.status(c!.id)).name).toBe('VALID')
      await issuer.setAllStatus('revoked')
      const s = await wallet.status(c!.id, true)
      expect(s.name).toBe('INVALID')
      expect(s.format).toBe(configuration.endsWith('jwt') ? 'jwt' : 'cwt')
    })
  }
})
