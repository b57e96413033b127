/**
 * @module keys/did-web
 * The authority as a did:web (W3C CCG did:web §3.2): `did:web:<host>` for its origin, the port
 * percent-encoded (`did:web:127.0.0.1%3A8080`), resolved by verifiers to `<origin>/.well-known/did.json`.
 * The document lists every published signing key (retired ones too, like the JWKS: credentials they signed
 * stay verifiable until they expire) as a verification method `<did>#<kid>` under `assertionMethod`
 * (DID Core §5.3.2: the keys the subject issues credentials with).
 *
 * Some verifiers resolve SD-JWT VC issuer keys only from a DID or `x5c` (Credo's SD-JWT VC verifier), not from
 * JWT VC Issuer Metadata. With `sd_jwt_issuer: "did:web"`, SD-JWT VCs are signed with `iss` = the DID and
 * `kid` = the key's DID URL. Status list tokens are unchanged (they carry no `iss`; their `kid` is the plain key
 * id, which is also the `kid` of each `publicKeyJwk` here): a verifier checks them with the keys of the
 * credential's issuer (draft-ietf-oauth-status-list §11.3), and lists stay the same whichever form a credential
 * names its issuer in.
 */
import type { PublicJwk } from '@e2eid/shared'
import type { IssuerContext } from '../context.js'
import type { IssuerSigningKey } from '../formats/types.js'
import { SD_JWT_VC_FORMAT } from '../config/config.js'
import { publishedKeys } from './key-documents.js'

/** The did:web of an origin (`https://id.example.com` → `did:web:id.example.com`; a port becomes `%3A<port>`). */
export function didWebOfOrigin(origin: string): string {
  const u = new URL(origin)
  // §3.2 Create: the host, a port percent-encoded; a path would become ':'-separated segments (the issuer has none).
  return `did:web:${encodeURIComponent(u.host)}`
}

/** A DID Core verification method with a JWK (type JsonWebKey2020, the type Credo and did-resolver users read). */
interface JwkVerificationMethod {
  id: string
  type: 'JsonWebKey2020'
  controller: string
  publicKeyJwk: PublicJwk
}

/** The DID document served at `/.well-known/did.json`. */
export interface DidWebDocument {
  '@context': string[]
  id: string
  verificationMethod: JwkVerificationMethod[]
  assertionMethod: string[]
}

/** The authority's DID document: every published signing key as `<did>#<kid>`, all under assertionMethod. */
export async function didWebDocument(ctx: IssuerContext): Promise<DidWebDocument> {
  const did = didWebOfOrigin(ctx.issuerUrl)
  const verificationMethod = (await publishedKeys(ctx)).map((jwk): JwkVerificationMethod => ({
    id: `${did}#${jwk.kid}`,
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: jwk,
  }))
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((m) => m.id),
  }
}

/**
 * Who signs a credential of `format`: the Credential Issuer Identifier and the key's plain kid, except for
 * SD-JWT VC with `sd_jwt_issuer: "did:web"`, where it is the DID and the key's DID URL.
 */
export function signerIdentity(ctx: IssuerContext, format: string, key: IssuerSigningKey): { issuer: string; signingKey: IssuerSigningKey } {
  if (format !== SD_JWT_VC_FORMAT || ctx.config.sdJwtIssuer !== 'did:web') return { issuer: ctx.issuerUrl, signingKey: key }
  const did = didWebOfOrigin(ctx.issuerUrl)
  return { issuer: did, signingKey: { ...key, kid: `${did}#${key.kid}` } }
}
