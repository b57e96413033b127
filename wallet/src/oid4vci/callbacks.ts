/**
 * @module oid4vci/callbacks
 * The crypto and I/O callbacks `@openid4vc/*` needs (the library has no crypto of its own):
 * hashing, randomness, fetch, and JWT signing by a registry of in-memory signers keyed by their
 * public JWK (the ephemeral DPoP key and the holder keys, whose private halves stay wrapped).
 */
import { E2eidError, digestSync, signJwt } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk, PublicJwk } from '@e2eid/shared'
import type { CallbackContext, ClientAuthenticationCallback, Jwk, JwtSigner } from '@openid4vc/oauth2'

/** Signs a JWT given its header and payload; returns the compact JWT. */
export type JwtSignFunction = (header: Record<string, unknown>, payload: Record<string, unknown>) => Promise<string>

/** Identity of a public key for lookups: curve plus coordinates (never `kid`, which a peer controls). */
function jwkIdentity(jwk: { crv?: unknown; x?: unknown; y?: unknown }): string {
  return `${String(jwk.crv)}.${String(jwk.x)}.${String(jwk.y ?? '')}`
}

/** Holds the signers the oid4vc-ts `signJwt` callback may use. */
export class SignerRegistry {
  private readonly signers = new Map<string, JwtSignFunction>()

  /** Registers a signer for `publicJwk`. */
  add(publicJwk: PublicJwk, sign: JwtSignFunction): void {
    this.signers.set(jwkIdentity(publicJwk), sign)
  }

  /** Registers an in-memory private key (the ephemeral DPoP key). */
  addPrivate(publicJwk: PublicJwk, privateJwk: PrivateJwk, provider: CryptoProvider): void {
    this.add(publicJwk, (header, payload) => signJwt({ header, payload, key: privateJwk, provider }))
  }

  /** The oid4vc-ts `signJwt` callback. */
  readonly signJwt = async (
    signer: JwtSigner,
    jwt: { header: Record<string, unknown>; payload: Record<string, unknown> },
  ): Promise<{ jwt: string; signerJwk: Jwk }> => {
    if (signer.method !== 'jwk') throw new E2eidError('ERR_WALLET_SIGNER', `signer method ${signer.method} is not supported`)
    const sign = this.signers.get(jwkIdentity(signer.publicJwk))
    if (sign === undefined) throw new E2eidError('ERR_WALLET_SIGNER', 'no signer registered for this key')
    return { jwt: await sign(jwt.header, jwt.payload), signerJwk: signer.publicJwk }
  }
}

const HASHES = { 'sha-256': 'SHA-256', 'sha-384': 'SHA-384', 'sha-512': 'SHA-512' } as const

/** Builds the oid4vc-ts callback context. */
export function createCallbacks(options: {
  provider: CryptoProvider
  fetch: typeof fetch
  signers: SignerRegistry
  clientAuthentication: ClientAuthenticationCallback
}): Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> {
  const f = options.fetch
  return {
    // oid4vc-ts calls `.catch` on the result: always hand it a real Promise (peers.md §2 gotcha 1).
    fetch: async (input, init) => f(input as RequestInfo, init as RequestInit),
    hash: (data, alg) => {
      const h = HASHES[alg as keyof typeof HASHES]
      if (h === undefined) throw new E2eidError('ERR_HASH_UNSUPPORTED', `hash ${String(alg)} is not supported`)
      return digestSync(h, data)
    },
    generateRandom: (n) => options.provider.randomBytes(n),
    signJwt: options.signers.signJwt as CallbackContext['signJwt'],
    clientAuthentication: options.clientAuthentication,
  }
}
