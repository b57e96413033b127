/**
 * @module policy/z-policy
 * The JSON form of a {@link VerifierPolicy} (configuration files, `e2eid verifier serve --config`).
 * Claim paths are arrays (OpenID4VP §7) or dotted strings (`address.country`).
 */
import { z } from 'zod'
import { SD_JWT_VC_FORMAT } from '@e2eid/shared'
import { parseClaimsPath, parseDottedPath } from '../claims/path.js'
import type { ClaimsPath } from '../claims/path.js'
import type { JsonValue } from '../claims/json.js'
import type { VerifierPolicy } from './policy.js'

const zJson: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(zJson), z.record(z.string(), zJson)]),
)

const zPath = z.union([z.string().min(1).max(512), z.array(z.union([z.string(), z.number(), z.null()])).min(1).max(32)]).transform(
  (p, ctx): ClaimsPath => {
    try {
      return typeof p === 'string' ? parseDottedPath(p) : parseClaimsPath(p)
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : 'invalid claims path' })
      return z.NEVER
    }
  },
)

/** Schema of the JSON policy; parses into a {@link VerifierPolicy} (without aud, nonce and clock). */
export const zVerifierPolicy = z
  .object({
    require_key_binding: z.boolean().optional(),
    formats: z.array(z.enum(['sd-cwt', SD_JWT_VC_FORMAT])).min(1).optional(),
    credential_types: z.array(z.string().min(1)).min(1).optional(),
    required_claims: z.array(zPath).max(64).optional(),
    constraints: z
      .array(z.object({ path: zPath, equals: zJson.optional(), one_of: z.array(zJson).min(1).optional() }).refine((c) => c.equals !== undefined || c.one_of !== undefined, 'a constraint needs equals or one_of'))
      .max(64)
      .optional(),
    status: z.enum(['required', 'if-present', 'skip']).optional(),
    status_unavailable: z.enum(['fail-closed', 'grace-until-exp']).optional(),
    max_age_seconds: z.number().int().positive().optional(),
    clock_skew_seconds: z.number().int().min(0).max(3600).optional(),
    key_binding_max_age_seconds: z.number().int().positive().max(86400).optional(),
  })
  .strict()
  .transform((p): VerifierPolicy => {
    const out: VerifierPolicy = {}
    if (p.require_key_binding !== undefined) out.requireKeyBinding = p.require_key_binding
    if (p.formats !== undefined) out.formats = p.formats
    if (p.credential_types !== undefined) out.credentialTypes = p.credential_types
    if (p.required_claims !== undefined) out.requiredClaims = p.required_claims
    if (p.constraints !== undefined) {
      out.constraints = p.constraints.map((c) => ({
        path: c.path,
        ...(c.equals === undefined ? {} : { equals: c.equals }),
        ...(c.one_of === undefined ? {} : { oneOf: c.one_of }),
      }))
    }
    if (p.status !== undefined) out.status = p.status
    if (p.status_unavailable !== undefined) out.statusUnavailable = p.status_unavailable
    if (p.max_age_seconds !== undefined) out.maxAgeSeconds = p.max_age_seconds
    if (p.clock_skew_seconds !== undefined) out.clockSkewSeconds = p.clock_skew_seconds
    if (p.key_binding_max_age_seconds !== undefined) out.keyBindingMaxAgeSeconds = p.key_binding_max_age_seconds
    return out
  })
