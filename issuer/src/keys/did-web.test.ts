/**
 * The authority as a did:web (W3C CCG did:web §3.2, DID Core §5.3.2): the DID of its origin (port
 * percent-encoded), `/.well-known/did.json` with every published key under assertionMethod, and
 * `sd_jwt_issuer: "did:web"` signing SD-JWT VC with iss = the DID, kid = a DID URL.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { decodeJwtUnverified, verifyJwt } from '@e2eid/shared'
import type { PublicJwk } from '@e2eid/shared'
import type { Fixture } from '../test-helpers/holder.js'
import { ISSUER, admin, authHeaders, json, jwtProof, keyPair, makeFixture, tokenAndNonce } from '../test-helpers/holder.js'
import { didWebOfOrigin } from './did-web.js'

let f: Fixture | undefined
afterEach(async () => {
  await f?.close()
  f = undefined
})

interface DidDoc {
  '@context': string[]
  id: string
  verificationMethod: Array<{ id: string; type: string; controller: string; publicKeyJwk: PublicJwk & { d?: string } }>
  assertionMethod: string[]
}

async function didDocument(g: Fixture): Promise<DidDoc> {
  const r = await g.app.request('/.well-known/did.json')
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')).toMatch(/^application\/json/)
  return (await r.json()) as DidDoc
}

async function issue(g: Fixture, configurationId: string): Promise<string> {
  const dpopKey = await keyPair(g.crypto, 'ES256')
  const holder = await keyPair(g.crypto, 'EdDSA')
  const { accessToken, nonce } = await tokenAndNonce(g, dpopKey, configurationId)
  const proof = await jwtProof(g.crypto, holder, { nonce, iat: g.clock.now })
  const r = await json(g.app, '/credential', { credential_configuration_id: configurationId, proofs: { jwt: [proof] } }, await authHeaders(g, dpopKey, accessToken, '/credential'))
  expect(r.status).toBe(200)
  return ((await r.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential
}

describe('did:web of the authority (did:web §3.2)', () => {
  it('is the host of the origin, a port percent-encoded as %3A', () => {
    expect(didWebOfOrigin('https://id.example.com')).toBe('did:web:id.example.com')
    expect(didWebOfOrigin('https://id.example.com:8443')).toBe('did:web:id.example.com%3A8443')
    expect(didWebOfOrigin('http://127.0.0.1:8080')).toBe('did:web:127.0.0.1%3A8080')
    expect(didWebOfOrigin('http://localhost:3000')).toBe('did:web:localhost%3A3000')
    expect(didWebOfOrigin('https://ID.Example.com:443')).toBe('did:web:id.example.com')
  })

  it('/.well-known/did.json lists every published key (retired ones too) as <did>#<kid> under assertionMethod, public parts only', async () => {
    f = await makeFixture()
    const first = (await (await f.app.request('/.well-known/jwks.json')).json()) as { keys: Array<{ kid: string }> }
    expect((await admin(f, '/admin/keys', { alg: 'EdDSA' })).status).toBeLessThan(300)
    expect((await admin(f, `/admin/keys/${first.keys[0]!.kid}/retire`, {})).status).toBeLessThan(300)
    const jwks = (await (await f.app.request('/.well-known/jwks.json')).json()) as { keys: Array<PublicJwk & { kid: string }> }
    expect(jwks.keys).toHaveLength(2)
    const doc = await didDocument(f)
    const did = 'did:web:issuer.example'
    expect(doc.id).toBe(did)
    expect(doc['@context'][0]).toBe('https://www.w3.org/ns/did/v1')
    expect(doc.verificationMethod.map((m) => m.id).sort()).toEqual(jwks.keys.map((k) => `${did}#${k.kid}`).sort())
    for (const m of doc.verificationMethod) {
      expect(m).toMatchObject({ type: 'JsonWebKey2020', controller: did })
      expect(m.publicKeyJwk.d).toBeUndefined()
      expect(m.publicKeyJwk).toEqual(jwks.keys.find((k) => m.id.endsWith(`#${k.kid}`)))
    }
    expect(doc.assertionMethod.sort()).toEqual(doc.verificationMethod.map((m) => m.id).sort())
    // Public and credential-less: any origin may read it.
    expect((await f.app.request('/.well-known/did.json', { headers: { origin: 'https://verifier.example' } })).headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('sd_jwt_issuer', () => {
  it('default ("url"): SD-JWT VC iss is the Credential Issuer Identifier and kid the plain key id', async () => {
    f = await makeFixture()
    const vc = await issue(f, 'mimi_identity_sd_jwt')
    const { header, payload } = decodeJwtUnverified(vc.split('~')[0]!)
    expect(payload.iss).toBe(ISSUER)
    expect(header.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('"did:web": SD-JWT VC iss is the DID, kid a DID URL of did.json whose key verifies it; vct stays the https URL; its statuslist+jwt names the plain kid of that publicKeyJwk', async () => {
    f = await makeFixture({ sd_jwt_issuer: 'did:web' })
    const vc = await issue(f, 'mimi_identity_sd_jwt')
    const issuerJwt = vc.split('~')[0]!
    const { header, payload } = decodeJwtUnverified(issuerJwt)
    const did = 'did:web:issuer.example'
    expect(payload.iss).toBe(did)
    expect(payload.vct).toBe(`${ISSUER}/vct/mimi_identity_sd_jwt`)
    const doc = await didDocument(f)
    const method = doc.verificationMethod.find((m) => m.id === header.kid)
    expect(method).toBeDefined()
    expect(doc.assertionMethod).toContain(header.kid)
    await verifyJwt(issuerJwt, { keys: [{ ...method!.publicKeyJwk, kid: header.kid as string }], typ: 'dc+sd-jwt', checkTime: false, provider: f.crypto })

    const statusUri = (payload.status as { status_list: { uri: string } }).status_list.uri
    const list = await f.app.request(new URL(statusUri).pathname)
    expect(list.headers.get('content-type')).toMatch(/statuslist\+jwt/)
    expect(decodeJwtUnverified(await list.text()).header.kid).toBe(method!.publicKeyJwk.kid)
    expect(header.kid).toBe(`${did}#${method!.publicKeyJwk.kid}`)
  })

  it('"did:web" leaves SD-CWT alone: iss is the Credential Issuer Identifier', async () => {
    f = await makeFixture({ sd_jwt_issuer: 'did:web' })
    const cwt = await issue(f, 'mimi_identity_sd_cwt')
    expect(cwt.length).toBeGreaterThan(0)
    const r = (await (await admin(f, '/admin/users/alice/credentials', undefined, 'GET')).json()) as Array<{ status_list: { uri: string } }>
    const list = await f.app.request(new URL(r[0]!.status_list.uri).pathname)
    expect(list.headers.get('content-type')).toMatch(/statuslist\+cwt/)
  })

  it('refuses other values with ERR_ISSUER_CONFIG_INVALID', async () => {
    await expect(makeFixture({ sd_jwt_issuer: 'did:key' as never })).rejects.toMatchObject({ code: 'ERR_ISSUER_CONFIG_INVALID' })
  })
})
