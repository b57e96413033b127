/**
 * @module keys/key-documents
 * Where verifiers find the authority's keys: a JWKS (`/.well-known/jwks.json`), the SD-JWT VC JWT VC
 * Issuer Metadata (`/.well-known/jwt-vc-issuer`, draft-ietf-oauth-sd-jwt-vc §4) and a COSE_KeySet
 * (`/.well-known/cose-keys`, RFC 9052 §7, CBOR). Retired keys stay listed: credentials they signed
 * are still valid until they expire. Compromised keys are not listed.
 */
import type { PublicJwk } from '@e2eid/shared'
import { encodeCbor, jwkToCoseKey } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import { activeSigningKey, listSigningKeys } from './signing-keys.js'

/** The public keys, active first. Generates the first key if there is none yet. */
export async function publishedKeys(ctx: IssuerContext): Promise<PublicJwk[]> {
  await activeSigningKey(ctx)
  // A compromised key is withdrawn: never published again (compromiseSigningKey).
  const keys = (await listSigningKeys(ctx)).filter((k) => k.compromisedSince == null)
  return keys.sort((a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null)).map((k) => k.publicJwk)
}

/** RFC 7517 §5 JWK Set. */
export async function jwksDocument(ctx: IssuerContext): Promise<{ keys: PublicJwk[] }> {
  return { keys: await publishedKeys(ctx) }
}

/** SD-JWT VC JWT VC Issuer Metadata: `{ issuer, jwks }`; `issuer` must equal the credentials' `iss`. */
export async function jwtVcIssuerDocument(ctx: IssuerContext): Promise<{ issuer: string; jwks: { keys: PublicJwk[] } }> {
  return { issuer: ctx.issuerUrl, jwks: await jwksDocument(ctx) }
}

/** COSE_KeySet (array of COSE_Key), kid as the UTF-8 bytes of the JWK kid, alg the polymorphic COSE id. */
export async function coseKeySetDocument(ctx: IssuerContext): Promise<Uint8Array> {
  const keys = await publishedKeys(ctx)
  return encodeCbor(keys.map((k) => jwkToCoseKey(k, { includeKid: true, ...(k.alg === undefined ? {} : { alg: k.alg }) })))
}
