/**
 * @module service/z-config
 * The verifier service's JSON configuration (`e2eid verifier serve --config FILE`):
 *
 * ```json
 * {
 *   "public_url": "https://verifier.example",
 *   "authorities": [
 *     { "issuer": "https://issuer.example", "jwt_vc_issuer": true, "cose_key_set_uri": "https://issuer.example/.well-known/cose-keys" },
 *     { "issuer": "did:web:authority.example", "did": true },
 *     { "issuer": "https://other.example", "keys": [{ "kty": "OKP", "crv": "Ed25519", "x": "…" }], "formats": ["sd-cwt"],
 *       "withdrawn": [{ "kid": "…", "since": 1767225600 }] }
 *   ],
 *   "policy": { "required_claims": ["org"], "constraints": [{ "path": "org", "equals": "example.com" }], "status": "if-present" },
 *   "dcql_query": { "credentials": [ … ] },
 *   "request_sd_cwt": false,
 *   "allow_insecure_loopback": false,
 *   "max_sessions": 1000,
 *   "requests_rate_limit_per_minute": 60,
 *   "status_min_ttl_seconds": 30,
 *   "negative_cache_seconds": 30
 * }
 *
 * The requests token (POST /requests needs `Authorization: Bearer`) is a secret: not in this file, but
 * `requestsToken` of {@link startVerifierServer} (`e2eid verifier serve --requests-token`, E2EID_VERIFIER_REQUESTS_TOKEN).
 * ```
 */
import { z } from 'zod'
import { SD_JWT_VC_FORMAT } from '@e2eid/shared'
import { zVerifierPolicy } from '../policy/z-policy.js'
import type { KeySource, TrustedAuthority } from '../trust/types.js'

const zAuthority = z
  .object({
    issuer: z.string().min(1).max(2048),
    keys: z.array(z.record(z.string(), z.unknown())).min(1).max(32).optional(),
    jwks_uri: z.string().url().optional(),
    cose_key_set_uri: z.string().url().optional(),
    jwt_vc_issuer: z.boolean().optional(),
    did: z.boolean().optional(),
    formats: z.array(z.enum(['sd-cwt', SD_JWT_VC_FORMAT])).min(1).optional(),
    /** Keys the authority withdrew as compromised: kid and UNIX time from which they are refused. */
    withdrawn: z.array(z.object({ kid: z.string().min(1).max(256), since: z.number().int().min(0) }).strict()).max(64).optional(),
  })
  .strict()
  .refine((a) => a.keys !== undefined || a.jwks_uri !== undefined || a.cose_key_set_uri !== undefined || a.jwt_vc_issuer === true || a.did === true, {
    message: 'an authority needs at least one key source',
  })

/** Schema of the service configuration file. */
export const zVerifierServiceConfig = z
  .object({
    public_url: z.string().url().optional(),
    authorities: z.array(zAuthority).min(1).max(64),
    policy: zVerifierPolicy.optional(),
    dcql_query: z.record(z.string(), z.unknown()).optional(),
    /** Ask for SD-CWT too in the default query (off by default: see the verifier README, "Interop"). */
    request_sd_cwt: z.boolean().optional(),
    allow_insecure_loopback: z.boolean().optional(),
    request_ttl_seconds: z.number().int().min(10).max(3600).optional(),
    wallet_origins: z.array(z.string().url()).max(16).optional(),
    max_sessions: z.number().int().min(1).max(1_000_000).optional(),
    requests_rate_limit_per_minute: z.number().int().min(1).max(100_000).optional(),
    /**
     * Lower clamp of a status list's `ttl` (status-list §11.5 / §13.7; default 30 s): a list is refetched after
     * max(ttl, this). `e2eid up` lowers it so that its 10 s lists show a revocation within seconds.
     */
    status_min_ttl_seconds: z.number().int().min(1).max(86_400).optional(),
    /** How long a failed issuer-key fetch is remembered (trust store `negativeCacheSeconds`; default 30, 0 = off). */
    negative_cache_seconds: z.number().int().min(0).max(3600).optional(),
  })
  .strict()

export type VerifierServiceConfig = z.output<typeof zVerifierServiceConfig>
export type VerifierServiceConfigInput = z.input<typeof zVerifierServiceConfig>

/** The trusted authorities of a configuration. */
export function authoritiesFromConfig(config: VerifierServiceConfig): TrustedAuthority[] {
  return config.authorities.map((a) => {
    const sources: KeySource[] = []
    if (a.keys !== undefined) sources.push({ type: 'keys', keys: a.keys as never })
    if (a.jwks_uri !== undefined) sources.push({ type: 'jwks_uri', uri: a.jwks_uri })
    if (a.cose_key_set_uri !== undefined) sources.push({ type: 'cose_key_set_uri', uri: a.cose_key_set_uri })
    if (a.jwt_vc_issuer === true) sources.push({ type: 'jwt_vc_issuer' })
    if (a.did === true) sources.push({ type: 'did' })
    return { issuer: a.issuer, sources, ...(a.formats === undefined ? {} : { formats: a.formats }), ...(a.withdrawn === undefined ? {} : { withdrawn: a.withdrawn }) }
  })
}
