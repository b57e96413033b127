/**
 * @module oauth/library
 * The @openid4vc/oauth2 + @openid4vc/openid4vci (0.4.6) server classes with their callbacks backed
 * by our {@link CryptoProvider}. We use them to build and validate metadata, offers, token-request
 * parsing and nonce/credential responses; key checks whose failures need our own error codes
 * (proofs, DPoP, nonces, codes) are done in our modules.
 */
import { Oauth2AuthorizationServer, clientAuthenticationNone, setGlobalConfig } from '@openid4vc/oauth2'
import type { CallbackContext, Jwk } from '@openid4vc/oauth2'
import { Openid4vciIssuer } from '@openid4vc/openid4vci'
import type { CryptoProvider } from '@e2eid/shared'
import { algorithmFromJose, base64urlDecode, parsePublicJwk, utf8Encode } from '@e2eid/shared'

/** The library objects of one issuer app. */
export interface Oid4vcLibrary {
  issuer: Openid4vciIssuer
  authorizationServer: Oauth2AuthorizationServer
}

function callbacks(crypto: CryptoProvider): Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> {
  return {
    hash: (data, alg) => {
      if (alg !== 'sha-256') throw new Error(`hash ${alg} not supported`)
      return crypto.digest('SHA-256', data)
    },
    generateRandom: (n) => crypto.randomBytes(n),
    // We never let the library sign: our own modules sign with the authority's key.
    signJwt: () => {
      throw new Error('signing through the protocol library is not used by this issuer')
    },
    // Only used if the library verifies a holder-signed JWT: key from the header jwk, our alg allow-list.
    verifyJwt: async (signer, jwt) => {
      if (signer.method !== 'jwk') return { verified: false }
      try {
        const desc = algorithmFromJose(signer.alg)
        const jwk = parsePublicJwk(signer.publicJwk)
        const [h, p, s] = jwt.compact.split('.')
        const ok = await crypto.verify(desc.alg, jwk, utf8Encode(`${h}.${p}`), base64urlDecode(s ?? ''))
        return ok ? { verified: true, signerJwk: signer.publicJwk as Jwk } : { verified: false }
      } catch {
        return { verified: false }
      }
    },
    clientAuthentication: clientAuthenticationNone({ clientId: 'unused' }),
  }
}

/**
 * Builds the library objects. A plain-http issuer identifier is only allowed on loopback (local
 * development); the library then needs its global `allowInsecureUrls` switch.
 */
export function createOid4vcLibrary(crypto: CryptoProvider, issuerUrl: string): Oid4vcLibrary {
  const u = new URL(issuerUrl)
  if (u.protocol === 'http:') setGlobalConfig({ allowInsecureUrls: true })
  const cb = callbacks(crypto)
  return { issuer: new Openid4vciIssuer({ callbacks: cb }), authorizationServer: new Oauth2AuthorizationServer({ callbacks: cb }) }
}
