/**
 * Interop with @sphereon/oid4vci-client 0.20.1 (OpenID4VCIClientV1_0_15, the newest version it speaks), used as
 * its README shows (fromURI → acquireAccessToken({ pin }) → acquireCredentials({ proofCallbacks, format, alg, jwk }))
 * with DPoP configured (createDPoPOpts), against `e2eid issuer serve` with its default configuration.
 *
 * Install note: 0.20.1 depends on @sphereon/ssi-types@0.36.1-next.159, which was never published; the root
 * package.json pins it with npm `overrides` to the published 0.37.1.
 *
 * What Sphereon itself gets wrong: it sends the drafts' singular `proof` object, removed in OpenID4VCI 1.0
 * (§8.2 has only `proofs`), with no option to send `proofs`; e2eid accepts `proof` as an alias of one `proofs.jwt`.
 * It sends no DPoP proof unless `createDPoPOpts` is given, although the issuer's authorization server metadata
 * advertises `dpop_signing_alg_values_supported`; the default issuer requires DPoP (`require_dpop`), so that client is refused
 * at /token (last describe block).
 */
import { OpenID4VCIClientV1_0_15 } from '@sphereon/oid4vci-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { base64urlDecode, coseKeyToJwk, decodeJwtUnverified, parseSdCwt, samePublicKey } from '@e2eid/shared'
import { generateJwkPair, signCompact } from '../testkit/node-jose.js'
import type { RecordedExchange, TestIssuer } from '../testkit/servers.js'
import { startDefaultIssuer, startRecordingProxy } from '../testkit/servers.js'

let issuer: TestIssuer
beforeAll(async () => {
  issuer = await startDefaultIssuer()
})
afterAll(() => issuer.close())

/** What the credential endpoint received, to show the request shape Sphereon sends. */
async function receive(offerUri: string, pin: string | undefined, configurationId = 'mimi_identity_sd_jwt', format = 'dc+sd-jwt') {
  const holder = generateJwkPair('ES256')
  const dpopKey = generateJwkPair('ES256')
  const { d: _d, ...dpopPublic } = dpopKey.privateJwk
  const createDPoPOpts = {
    jwtIssuer: { alg: 'ES256', jwk: dpopPublic as never },
    dPoPSigningAlgValuesSupported: ['ES256'],
    jwtPayloadProps: {},
    createJwtCallback: async (_iss: unknown, jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) => signCompact(dpopKey.privateJwk, jwt.header, jwt.payload),
  }
  const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offerUri, clientId: 'sphereon-wallet', retrieveServerMetadata: true })
  const token = await client.acquireAccessToken({ ...(pin === undefined ? {} : { pin }), createDPoPOpts: createDPoPOpts as never })
  const response = await client.acquireCredentials({
    credentialConfigurationId: configurationId,
    // Its format type lists only the OpenID4VCI formats; application/sd-cwt goes through as a string.
    format: format as 'dc+sd-jwt',
    alg: 'ES256',
    jwk: holder.publicJwk as never,
    proofCallbacks: { signCallback: async (jwt) => signCompact(holder.privateJwk, jwt.header as never, jwt.payload as never) },
    createDPoPOpts: createDPoPOpts as never,
  })
  return { token, response, holder }
}

describe('@sphereon/oid4vci-client 0.20.1 (out of the box, DPoP configured) → default e2eid issuer', () => {
  it.each([
    ['without tx_code, offer by value', false],
    ['with tx_code, offer by reference', true],
  ] as const)('pre-authorized code %s: dc+sd-jwt issued to its key', async (_name, txCode) => {
    const offer = await issuer.offer('mimi_identity_sd_jwt', { txCode })
    const { token, response, holder } = await receive(txCode ? offer.offer_uri : offer.offer_uri_by_value, offer.tx_code ?? undefined)
    expect(token.token_type).toBe('DPoP')
    const entry = (response as { credentials?: Array<{ credential: string }> }).credentials?.[0]
    expect(typeof entry?.credential).toBe('string')
    const { header, payload } = decodeJwtUnverified(entry!.credential.split('~')[0]!)
    expect(header.typ).toBe('dc+sd-jwt')
    expect((payload.cnf as { jwk: { x: string } }).jwk.x).toBe(holder.publicJwk.x)
  })

  it('SD-CWT (application/sd-cwt, not in its format type): passed through as the base64url string of OpenID4VCI §8.3', async () => {
    const offer = await issuer.offer('mimi_identity_sd_cwt')
    const { response, holder } = await receive(offer.offer_uri_by_value, undefined, 'mimi_identity_sd_cwt', 'application/sd-cwt')
    const entry = (response as { credentials?: Array<{ credential: string }> }).credentials?.[0]
    const token = parseSdCwt(base64urlDecode(entry!.credential))
    expect(samePublicKey(coseKeyToJwk((token.claims.get(8) as Map<number, unknown>).get(1)), holder.publicJwk as never)).toBe(true)
  })

  it('sends the singular `proof` (pre-1.0 drafts), not `proofs`: the request e2eid must accept as an alias', async () => {
    // The issuer behind a recording reverse proxy (the proxy's URL is the issuer identifier).
    const proxy = await startRecordingProxy()
    const behind = await startDefaultIssuer({ publicUrl: proxy.url })
    proxy.target = behind.url
    let outcome: unknown
    try {
      const offer = await behind.offer('mimi_identity_sd_jwt')
      outcome = await receive(offer.offer_uri_by_value, undefined).catch((e: unknown) => e)
    } finally {
      await behind.close()
      await proxy.close()
    }
    const credentialRequests = proxy.requests.filter((r) => r.method === 'POST' && r.path === '/credential').map((r) => JSON.parse(r.body) as Record<string, unknown>)
    expect(credentialRequests).toHaveLength(1)
    expect(credentialRequests[0]).toMatchObject({ credential_configuration_id: 'mimi_identity_sd_jwt', proof: { proof_type: 'jwt', jwt: expect.any(String) } })
    expect(credentialRequests[0]).not.toHaveProperty('proofs')
    // It also probes OpenID Connect discovery first (a 404 there is fine).
    expect(proxy.requests.some((r) => r.path === '/.well-known/openid-configuration')).toBe(true)
    // ...and e2eid issues for it.
    expect(outcome).not.toBeInstanceOf(Error)
  })
})

describe('@sphereon/oid4vci-client 0.20.1 without DPoP configured → default e2eid issuer (require_dpop defaults to true)', () => {
  /** Runs Sphereon's pre-authorized flow without createDPoPOpts against an issuer behind a recording proxy. */
  async function tokenWithoutDpop(config?: { require_dpop: boolean }) {
    const proxy = await startRecordingProxy()
    const behind = await startDefaultIssuer({ publicUrl: proxy.url, ...(config === undefined ? {} : { config }) })
    proxy.target = behind.url
    try {
      const offer = await behind.offer('mimi_identity_sd_jwt')
      const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offer.offer_uri_by_value, clientId: 'sphereon-wallet', retrieveServerMetadata: true })
      const outcome = await client.acquireAccessToken({}).catch((e: unknown) => e)
      const token = proxy.requests.filter((r) => r.method === 'POST' && r.path === '/token')
      return { outcome, token, asMetadata: proxy.requests.find((r) => r.path === '/.well-known/oauth-authorization-server') }
    } finally {
      await behind.close()
      await proxy.close()
    }
  }

  it('fails at /token: it sends no DPoP header and the issuer answers 400 invalid_dpop_proof (ERR_ISSUER_DPOP_MISSING)', async () => {
    const { outcome, token, asMetadata } = await tokenWithoutDpop()
    // It read the authorization server metadata, which advertises DPoP (RFC 9449 §5.1), and still sent none.
    expect(JSON.parse(asMetadata!.response!)).toMatchObject({ dpop_signing_alg_values_supported: expect.arrayContaining(['ES256']) })
    // Sphereon surfaces only the status, not the OAuth error body.
    expect(outcome).toBeInstanceOf(Error)
    expect((outcome as Error).message).toMatch(/Retrieving an access token from .*\/token .* failed with status: 400/)
    expect(token).toHaveLength(1)
    const exchange = token[0] as RecordedExchange
    expect(exchange.headers).not.toHaveProperty('dpop')
    expect(new URLSearchParams(exchange.body).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:pre-authorized_code')
    expect(exchange.status).toBe(400)
    expect(JSON.parse(exchange.response!)).toMatchObject({ error: 'invalid_dpop_proof', code: 'ERR_ISSUER_DPOP_MISSING' })
  })

  it('with require_dpop: false the same client gets a Bearer token (the refusal is the DPoP requirement, nothing else)', async () => {
    const { outcome, token } = await tokenWithoutDpop({ require_dpop: false })
    expect(outcome).not.toBeInstanceOf(Error)
    expect((outcome as { token_type?: string }).token_type).toMatch(/^bearer$/i)
    expect(token[0]?.status).toBe(200)
  })
})
