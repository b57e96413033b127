/**
 * @module testkit/oid4vc-callbacks
 * The CallbackContext of @openid4vc/* (oauth2, openid4vci, openid4vp 0.4.6) as an app supplies it: fetch,
 * hash, random, signJwt/verifyJwt over keys the app holds (node:crypto, ./node-jose.ts). Credo fills the same
 * slots from its KMS (credo-ts packages/openid4vc/src/shared/callbacks.ts).
 */
import { clientAuthenticationNone } from '@openid4vc/oauth2'
import type { CallbackContext, Jwk, JwtSigner } from '@openid4vc/oauth2'
import { setGlobalConfig } from '@openid4vc/utils'
import type { JwkPair } from './node-jose.js'
import { random, sha, signCompact, verifyCompact } from './node-jose.js'

// The servers under test listen on http://127.0.0.1 (Credo's tests do the same for local agents).
setGlobalConfig({ allowInsecureUrls: true })

function didJwkKey(did: string): Jwk {
  const m = /^did:jwk:([A-Za-z0-9_-]+)(#.*)?$/.exec(did)
  if (m === null) throw new Error(`only did:jwk is resolved here: ${did}`)
  return JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Jwk
}

/** The public JWK a signer names (jwk, or did:jwk). */
function signerJwk(signer: JwtSigner): Jwk {
  if (signer.method === 'jwk') return signer.publicJwk
  if (signer.method === 'did') return didJwkKey(signer.didUrl)
  throw new Error(`signer method ${signer.method} not supported by this test app`)
}

export function callbacks(keys: JwkPair[], clientId = 'interop-wallet'): CallbackContext {
  return {
    fetch: (input, init) => fetch(input as never, init as never) as never,
    hash: (data, alg) => sha(data, alg),
    generateRandom: (n) => random(n),
    clientAuthentication: clientAuthenticationNone({ clientId }),
    signJwt: async (signer, { header, payload }) => {
      const pub = signerJwk(signer)
      const key = keys.find((k) => k.publicJwk.x === pub.x)
      if (key === undefined) throw new Error('no private key for this signer')
      return { jwt: signCompact(key.privateJwk, header, payload), signerJwk: pub }
    },
    verifyJwt: async (signer, { compact }) => {
      const pub = signerJwk(signer)
      return verifyCompact(pub as never, compact) ? { verified: true, signerJwk: pub } : { verified: false }
    },
    decryptJwe: () => {
      throw new Error('no JWE in these tests')
    },
    encryptJwe: () => {
      throw new Error('no JWE in these tests')
    },
  }
}

