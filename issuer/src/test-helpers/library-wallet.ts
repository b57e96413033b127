/**
 * Test-only: an @openid4vc/openid4vci 0.4.6 Openid4vciClient wired to an issuer app in-process
 * (fetch = app.request) with holder/DPoP keys signed through @e2eid/shared.
 */
import { Openid4vciClient } from '@openid4vc/openid4vci'
import { clientAuthenticationNone } from '@openid4vc/oauth2'
import type { Jwk } from '@openid4vc/oauth2'
import type { CryptoProvider, KeyPair } from '@e2eid/shared'
import { signJwt } from '@e2eid/shared'

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>

/** The library callbacks of the test wallet: signJwt uses the private keys in `keys` (by public x). */
export function walletCallbacks(crypto: CryptoProvider, fetch: Fetch, keys: KeyPair[], clientId = 'e2eid-test-wallet') {
  return {
    fetch: fetch as never,
    hash: (data) => crypto.digest('SHA-256', data),
    generateRandom: (n) => crypto.randomBytes(n),
    clientAuthentication: clientAuthenticationNone({ clientId }),
    signJwt: async (signer, { header, payload }) => {
      if (signer.method !== 'jwk') throw new Error('test wallet signs with jwk signers only')
      const key = keys.find((k) => k.publicJwk.x === signer.publicJwk.x)
      if (key === undefined) throw new Error('unknown signer key')
      const jwt = await signJwt({ header: header as Record<string, unknown>, payload: payload as Record<string, unknown>, key: key.privateJwk, provider: crypto })
      return { jwt, signerJwk: signer.publicJwk as Jwk }
    },
  } satisfies ConstructorParameters<typeof Openid4vciClient>[0]['callbacks']
}

/** A library client with {@link walletCallbacks}. */
export function libraryClient(crypto: CryptoProvider, fetch: Fetch, keys: KeyPair[], clientId = 'e2eid-test-wallet'): Openid4vciClient {
  return new Openid4vciClient({ callbacks: walletCallbacks(crypto, fetch, keys, clientId) })
}
