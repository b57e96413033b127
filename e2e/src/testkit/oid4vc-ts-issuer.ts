/**
 * @module testkit/oid4vc-ts-issuer
 * A third-party credential issuer built the way Credo 0.6's OpenId4VcIssuerModule builds one: the protocol
 * from @openid4vc/oauth2 + @openid4vc/openid4vci 0.4.6 (Oauth2AuthorizationServer, Oauth2ResourceServer,
 * Openid4vciIssuer), the SD-JWT VC from @sd-jwt/sd-jwt-vc 0.19.0, served on node:http at 127.0.0.1.
 * Pre-authorized code flow, Bearer access tokens (JWT, RFC 9068), a nonce endpoint, jwt proofs.
 *
 * `keyedBy: 'metadata'`: `iss` = the issuer URL, keys published at /.well-known/jwt-vc-issuer (SD-JWT VC §5).
 * `keyedBy: 'did:jwk'`: `iss` = did:jwk of the signing key, `kid` = `<did>#0` (what Credo issues with a DID).
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Oauth2AuthorizationServer, Oauth2ResourceServer, Oauth2ServerErrorResponseError, preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2'
import type { AuthorizationServerMetadata } from '@openid4vc/oauth2'
import { Openid4vciIssuer } from '@openid4vc/openid4vci'
import type { IssuerMetadataResult } from '@openid4vc/openid4vci'
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { didJwk, generateJwkPair } from './node-jose.js'
import { callbacks } from './oid4vc-callbacks.js'

export interface PeerIssuer {
  url: string
  /** The `iss` its credentials carry. */
  iss: string
  vct: string
  /** Its credential signing key (public). */
  publicJwk: Record<string, unknown>
  /** A fresh pre-authorized code offer, by value (openid-credential-offer://?credential_offer=…). */
  offer(): Promise<string>
  close(): Promise<void>
}

const CONFIG_ID = 'PeerIdentitySdJwt'

export async function startOid4vcTsIssuer(keyedBy: 'metadata' | 'did:jwk'): Promise<PeerIssuer> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const asKey = generateJwkPair('ES256')
  const credKey = generateJwkPair('ES256')
  const did = didJwk(credKey.publicJwk)
  const iss = keyedBy === 'metadata' ? url : did
  const kid = keyedBy === 'metadata' ? 'cred-key-1' : `${did}#0`
  const vct = `${url}/vct/identity`
  const cb = callbacks([asKey, credKey])
  const as = new Oauth2AuthorizationServer({ callbacks: cb })
  const rs = new Oauth2ResourceServer({ callbacks: cb })
  const vci = new Openid4vciIssuer({ callbacks: cb })

  const asMetadata: AuthorizationServerMetadata = as.createAuthorizationServerMetadata({
    issuer: url,
    token_endpoint: `${url}/token`,
    jwks_uri: `${url}/jwks`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    'pre-authorized_grant_anonymous_access_supported': true,
  })
  const credentialIssuer = vci.createCredentialIssuerMetadata({
      credential_issuer: url,
      credential_endpoint: `${url}/credential`,
      nonce_endpoint: `${url}/nonce`,
      credential_configurations_supported: {
        [CONFIG_ID]: {
          format: 'dc+sd-jwt',
          vct,
          cryptographic_binding_methods_supported: ['jwk'],
          credential_signing_alg_values_supported: ['ES256'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
        },
      },
  })
  const issuerMetadata: IssuerMetadataResult = {
    originalDraftVersion: 'V1' as never,
    authorizationServers: [asMetadata],
    credentialIssuer,
    knownCredentialConfigurations: vci.getKnownCredentialConfigurationsSupported(credentialIssuer),
  }
  const codes = new Set<string>()
  const nonces = new Set<string>()
  const sdjwt = new SDJwtVcInstance({ signer: await ES256.getSigner(credKey.privateJwk), signAlg: 'ES256', hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt })

  async function handle(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname
    const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value))
    const requestLike = { method: (req.method ?? 'GET') as 'GET', url: `${url}${req.url ?? '/'}`, headers: new Headers(req.headers as Record<string, string>) }
    if (req.method === 'GET' && path === '/.well-known/openid-credential-issuer') return json(200, issuerMetadata.credentialIssuer)
    if (req.method === 'GET' && path === '/.well-known/oauth-authorization-server') return json(200, asMetadata)
    if (req.method === 'GET' && path === '/jwks') return json(200, { keys: [{ ...asKey.publicJwk, kid: 'as-key', alg: 'ES256' }] })
    if (req.method === 'GET' && path === '/.well-known/jwt-vc-issuer' && keyedBy === 'metadata') return json(200, { issuer: url, jwks: { keys: [{ ...credKey.publicJwk, kid, alg: 'ES256', use: 'sig' }] } })
    if (req.method === 'POST' && path === '/token') {
      const parsed = as.parseAccessTokenRequest({ request: requestLike, accessTokenRequest: Object.fromEntries(new URLSearchParams(body)) })
      if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) return json(400, { error: 'unsupported_grant_type' })
      const code = parsed.grant.preAuthorizedCode
      await as.verifyPreAuthorizedCodeAccessTokenRequest({
        authorizationServerMetadata: asMetadata,
        grant: parsed.grant,
        accessTokenRequest: parsed.accessTokenRequest,
        request: requestLike,
        expectedPreAuthorizedCode: codes.has(code) ? code : 'no-such-code',
      })
      codes.delete(code)
      const token = await as.createAccessTokenResponse({
        authorizationServer: url,
        audience: url,
        subject: 'holder',
        expiresInSeconds: 300,
        signer: { method: 'jwk', alg: 'ES256', publicJwk: { ...asKey.publicJwk, kid: 'as-key' } as never },
      })
      return json(200, token)
    }
    if (req.method === 'POST' && path === '/nonce') {
      const c_nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')
      nonces.add(c_nonce)
      return json(200, vci.createNonceResponse({ cNonce: c_nonce, cNonceExpiresIn: 300 }))
    }
    if (req.method === 'POST' && path === '/credential') {
      await rs.verifyResourceRequest({ request: requestLike, resourceServer: url, authorizationServers: [asMetadata] })
      const credentialRequest = vci.parseCredentialRequest({ issuerMetadata, credentialRequest: JSON.parse(body) as Record<string, unknown> })
      const proofJwt = credentialRequest.proofs?.jwt?.[0]
      if (proofJwt === undefined) return json(400, { error: 'invalid_proof' })
      const nonce = JSON.parse(Buffer.from(proofJwt.split('.')[1]!, 'base64url').toString()) as { nonce?: string }
      if (nonce.nonce === undefined || !nonces.delete(nonce.nonce)) return json(400, { error: 'invalid_nonce' })
      const { signer } = await vci.verifyCredentialRequestJwtProof({ issuerMetadata, jwt: proofJwt, expectedNonce: nonce.nonce })
      const credential = await sdjwt.issue(
        { iss, iat: Math.floor(Date.now() / 1000), vct, cnf: { jwk: signer.publicJwk }, handle: 'im:carol@peer.example', email: 'carol@peer.example' },
        { _sd: ['handle', 'email'] },
        { header: { kid } },
      )
      return json(200, vci.createCredentialResponse({ credentialRequest, credentials: [{ credential }] }))
    }
    return json(404, { error: 'not_found' })
  }

  server.on('request', (req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      handle(req, body, res).catch((e: unknown) => {
        if (e instanceof Oauth2ServerErrorResponseError) res.writeHead(e.status ?? 400, { 'content-type': 'application/json' }).end(JSON.stringify(e.errorResponse))
        else res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'server_error', error_description: String(e) }))
      })
    })
  })

  return {
    url,
    iss,
    vct,
    publicJwk: credKey.publicJwk as Record<string, unknown>,
    async offer() {
      const code = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')
      codes.add(code)
      const { credentialOffer } = await vci.createCredentialOffer({
        issuerMetadata,
        credentialConfigurationIds: [CONFIG_ID],
        grants: { [preAuthorizedCodeGrantIdentifier]: { 'pre-authorized_code': code } },
      })
      return credentialOffer
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
