/**
 * Interop with @openid4vc/openid4vp 0.4.6 and dcql 3.0.0 (the OpenID4VP layer of Credo and oid4vc-ts), used as
 * their READMEs / Credo's source show, against e2eid on loopback with default configurations:
 * - `Openid4vpVerifier` (a relying party: unsigned request, client_id `redirect_uri:`, direct_post, DCQL for a
 *   dc+sd-jwt credential) is answered by `e2eid wallet respond`; the relying party checks the response with
 *   parseOpenid4vpAuthorizationResponse, the presentation with @sd-jwt/sd-jwt-vc and the DCQL result with dcql.
 * - `Openid4vpClient` + dcql as a wallet (Credo's holder: resolveOpenId4vpAuthorizationRequest → DcqlQuery.query →
 *   present → createOpenid4vpAuthorizationResponse → submitOpenid4vpAuthorizationResponse) answer the request of
 *   `e2eid verifier serve` (default configuration).
 * - What dcql 3 itself gets wrong: it refuses a whole DCQL query as soon as one credential query names a
 *   format it does not know (`application/sd-cwt`, OpenID4VP 1.0 §6.1 lets deployments define formats).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Openid4vpClient, Openid4vpVerifier } from '@openid4vc/openid4vp'
import { digest, generateSalt, ES256 } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { DcqlPresentationResult, DcqlQuery } from 'dcql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningVerifier } from '@e2eid/verifier'
import type { CliWallet } from '../testkit/cli-wallet.js'
import { cliWallet } from '../testkit/cli-wallet.js'
import { generateJwkPair, random, verifyCompact } from '../testkit/node-jose.js'
import { callbacks } from '../testkit/oid4vc-callbacks.js'
import type { TestIssuer } from '../testkit/servers.js'
import { BOB, newVerifierRequest, startDefaultIssuer, startDefaultVerifier, verifierResult } from '../testkit/servers.js'
import { receiveWithOid4vcTs } from '../testkit/vci-holder.js'

let issuer: TestIssuer
let wallet: CliWallet

beforeAll(async () => {
  issuer = await startDefaultIssuer()
  wallet = await cliWallet()
})
afterAll(async () => {
  await wallet.close()
  await issuer.close()
})

/** Issuer keys from the issuer's JWT VC Issuer Metadata (SD-JWT VC §5). */
async function issuerKeys(): Promise<Array<Record<string, unknown>>> {
  return ((await (await fetch(`${issuer.url}/.well-known/jwt-vc-issuer`)).json()) as { jwks: { keys: Array<Record<string, unknown>> } }).jwks.keys
}

describe('Openid4vpVerifier (@openid4vc/openid4vp 0.4.6) ← `e2eid wallet respond`', () => {
  it('an unsigned by-value request (redirect_uri: client, direct_post, DCQL dc+sd-jwt) is answered, and the answer verifies', async () => {
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    expect((await wallet.run('receive', offer_uri, '--trust-issuer', issuer.url)).code).toBe(0)

    // The relying party's response endpoint: one POST, kept for the checks below.
    let received: Record<string, string> | undefined
    const rp = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        received = Object.fromEntries(new URLSearchParams(body))
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((r) => rp.listen(0, '127.0.0.1', r))
    try {
      const responseUri = `http://127.0.0.1:${(rp.address() as AddressInfo).port}/response`
      const verifier = new Openid4vpVerifier({ callbacks: callbacks([]) })
      const vct = `${issuer.url}/vct/mimi_identity_sd_jwt`
      const dcql_query = { credentials: [{ id: 'identity', format: 'dc+sd-jwt' as const, meta: { vct_values: [vct] }, claims: [{ path: ['handle'] }] }] }
      const nonce = Buffer.from(random(32)).toString('hex')
      const state = Buffer.from(random(32)).toString('base64url')
      const { authorizationRequest, authorizationRequestPayload } = await verifier.createOpenId4vpAuthorizationRequest({
        authorizationRequestPayload: {
          response_type: 'vp_token',
          client_id: `redirect_uri:${responseUri}`,
          response_uri: responseUri,
          response_mode: 'direct_post',
          nonce,
          state,
          dcql_query,
          client_metadata: { vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] } } },
        },
      })
      expect(authorizationRequest.startsWith('openid4vp://')).toBe(true)

      const r = await wallet.run('respond', authorizationRequest, '--json')
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 200, presentations: [{ query: 'identity', disclosed: ['handle'] }] })

      // The relying party's side, as Credo's OpenId4VpVerifierService does it.
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({ authorizationResponse: received!, authorizationRequestPayload, callbacks: callbacks([]) })
      expect(parsed.expectedNonce).toBe(nonce)
      expect(parsed.authorizationResponsePayload.state).toBe(state)
      const presentation = parsed.type === 'dcql' ? parsed.dcql.presentations.identity : undefined
      expect(Array.isArray(presentation) ? presentation.length : 0).toBe(1)
      const keys = await issuerKeys()
      const sdjwt = new SDJwtVcInstance({
        hasher: digest,
        verifier: async (data, sig) => {
          for (const k of keys) if (verifyCompact(k, `${data}.${sig}`)) return true
          return false
        },
        kbVerifier: async (data, sig, payload) => verifyCompact((payload.cnf as { jwk: Record<string, unknown> }).jwk, `${data}.${sig}`),
      })
      const v = await sdjwt.verify((presentation as string[])[0]!, { keyBindingNonce: nonce })
      expect(v.kb?.payload.aud).toBe(`redirect_uri:${responseUri}`)
      expect(v.payload).toMatchObject({ iss: issuer.url, vct, handle: BOB.handle })
      expect(v.payload.email).toBeUndefined()
      const result = DcqlPresentationResult.fromDcqlPresentation(
        { identity: [{ credential_format: 'dc+sd-jwt', vct: v.payload.vct, claims: v.payload as never, cryptographic_holder_binding: true }] },
        { dcqlQuery: DcqlQuery.parse(dcql_query) },
      )
      expect(result.can_be_satisfied).toBe(true)
    } finally {
      rp.close()
    }
  })
})

describe('Openid4vpClient (@openid4vc/openid4vp 0.4.6) + dcql 3.0.0 as a wallet → `e2eid verifier serve` (default configuration)', () => {
  let verifier: RunningVerifier
  beforeAll(async () => {
    verifier = await startDefaultVerifier(issuer.url)
  })
  afterAll(() => verifier.close())

  it("resolves e2eid's default request, selects with DcqlQuery.query, answers; the verifier accepts", async () => {
    const holder = generateJwkPair('ES256')
    const { offer_uri } = await issuer.offer('mimi_identity_sd_jwt')
    const { credential } = await receiveWithOid4vcTs(offer_uri, 'mimi_identity_sd_jwt', { holder })

    const req = await newVerifierRequest(verifier.url)
    const client = new Openid4vpClient({ callbacks: callbacks([holder]) })
    const parsedRequest = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: req.request_uri })
    // Credo's holder resolves the request; this is where dcql parses the verifier's DCQL query.
    const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsedRequest.params as never })
    expect(resolved.client).toMatchObject({ prefix: 'redirect_uri', effective: `redirect_uri:${verifier.url}/response` })
    const query = DcqlQuery.parse(resolved.dcql!.query as never)
    DcqlQuery.validate(query)

    const sdjwt = new SDJwtVcInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, kbSigner: await ES256.getSigner(holder.privateJwk), kbSignAlg: 'ES256' })
    const claims = (await sdjwt.getClaims(credential)) as Record<string, unknown> & { vct: string }
    const match = DcqlQuery.query(query, [{ credential_format: 'dc+sd-jwt', vct: claims.vct, claims: claims as never, cryptographic_holder_binding: true }])
    expect(match.can_be_satisfied).toBe(true)
    const queryId = Object.keys(match.credential_matches).find((id) => match.credential_matches[id]!.success)!

    const request = resolved.authorizationRequestPayload as { nonce: string; response_uri: string }
    const presentation = await sdjwt.present(credential, { handle: true }, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: resolved.client.effective, nonce: request.nonce } } })
    const response = await client.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: resolved.authorizationRequestPayload,
      authorizationResponsePayload: { vp_token: { [queryId]: [presentation] } },
    })
    const submitted = await client.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: response.authorizationResponsePayload })
    expect(submitted.response.status).toBe(200)
    expect(await verifierResult(verifier.url, req)).toMatchObject({ status: 'verified', presentations: [{ queryId, issuer: issuer.url, claims: { handle: BOB.handle } }] })
  })
})

describe('dcql 3.0.0 itself', () => {
  const sdJwtQuery = { id: 'sd_jwt', format: 'dc+sd-jwt' as const, meta: { vct_values: ['https://issuer.example/vct/mimi_identity_sd_jwt'] } }
  it('accepts a query for dc+sd-jwt', () => {
    expect(() => DcqlQuery.parse({ credentials: [sdJwtQuery] })).not.toThrow()
  })
  it('refuses the WHOLE query when one credential query names a format it does not know (application/sd-cwt), even as an alternative', () => {
    const withSdCwt = {
      credentials: [sdJwtQuery, { id: 'sd_cwt', format: 'application/sd-cwt', meta: {} }],
      credential_sets: [{ options: [['sd_jwt'], ['sd_cwt']] }],
    }
    expect(() => DcqlQuery.parse(withSdCwt as never)).toThrow(/application\/sd-cwt|format/)
  })
})
