/**
 * @module trust/z-key-sets
 * Schemas for the key documents a verifier fetches: a JWK Set (RFC 7517 §5) and JWT VC Issuer Metadata
 * (SD-JWT VC §2.5.1: `issuer` plus exactly one of `jwks` / `jwks_uri`).
 */
import { z } from 'zod'

export const zJwkSet = z.object({ keys: z.array(z.record(z.string(), z.unknown())).max(100) })

export const zJwtVcIssuerMetadata = z
  .object({
    issuer: z.string(),
    jwks: zJwkSet.optional(),
    jwks_uri: z.string().optional(),
  })
  .refine((m) => (m.jwks === undefined) !== (m.jwks_uri === undefined), { message: 'exactly one of jwks and jwks_uri' })
