/**
 * @module config/config
 * The issuer's configuration: credential configurations (which claims are selectively
 * disclosable, how many decoys), lifetimes, limits and the wallet page origin for CORS.
 * A config FILE (`e2eid issuer serve --config FILE`) is JSON validated by {@link zIssuerConfigFile}.
 */
import { z } from 'zod'
import { SD_CWT_FORMAT, SD_JWT_VC_FORMAT, parseWith } from '@e2eid/shared'
import { DEFAULT_SCRYPT_N } from '../util/password.js'
import { checkTrustedProxies } from '../http/client-address.js'

/** The OpenID4VCI format identifiers (SD-CWT project-defined, SD-JWT VC App. A.3), from @e2eid/shared. */
export { SD_CWT_FORMAT, SD_JWT_VC_FORMAT }

const zClaimName = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/)

/** One entry of `credential_configurations_supported`, with our issuance policy. */
const zCredentialConfiguration = z.object({
  format: z.enum([SD_CWT_FORMAT, SD_JWT_VC_FORMAT]),
  /** OAuth scope that requests this configuration in the authorization code flow. */
  scope: z.string().min(1).max(128).regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/).optional(),
  /** SD-JWT VC `vct` (required for dc+sd-jwt) or the SD-CWT credential type (`vct` claim, optional). */
  vct: z.string().min(1).max(512).optional(),
  /**
   * Claims of the user that are issued as selectively disclosable; all others are always disclosed. Never `vct` or
   * `status`: a redactable status reference lets the holder hide it from verifiers (SD-JWT VC §3.2.2.2; for SD-CWT the
   * e2eid profile's NEVER_REDACTED).
   */
  selectively_disclosable: z
    .array(zClaimName.refine((n) => n !== 'vct' && n !== 'status', { message: 'vct and status must never be selectively disclosable' }))
    .max(64)
    .default([]),
  /** Number of decoy digests added to the top-level redacted claims. */
  decoys: z.number().int().min(0).max(32).default(0),
  /** Credential lifetime in seconds (exp - nbf). */
  validity_seconds: z.number().int().min(60).max(400 * 24 * 3600).default(30 * 24 * 3600),
  /** Proof signing algorithms accepted for the holder key (the holder's MLS signature key). */
  proof_signing_alg_values_supported: z.array(z.enum(['EdDSA', 'ES256'])).min(1).default(['EdDSA', 'ES256']),
  display: z.array(z.object({ name: z.string().min(1), locale: z.string().optional() })).optional(),
  /** Claims listed in `credential_metadata.claims` (display order). */
  claims: z.array(z.object({ path: z.array(z.string()).min(1), mandatory: z.boolean().optional() })).optional(),
})
export type CredentialConfiguration = z.infer<typeof zCredentialConfiguration>
type CredentialConfigurationInput = z.input<typeof zCredentialConfiguration>

const zRate = z.number().int().min(1).max(1_000_000)

/** The JSON config file. Every member is optional; defaults come from {@link defaultIssuerConfig}. */
export const zIssuerConfigFile = z
  .object({
    issuer_url: z.string().url().optional(),
    wallet_origins: z.array(z.string().url()).optional(),
    credential_configurations: z.record(z.string().min(1).max(128).regex(/^[A-Za-z0-9_.-]+$/), zCredentialConfiguration).optional(),
    access_token_ttl: z.number().int().min(10).max(3600).optional(),
    c_nonce_ttl: z.number().int().min(10).max(3600).optional(),
    pre_authorized_code_ttl: z.number().int().min(30).max(30 * 24 * 3600).optional(),
    max_tx_code_failures: z.number().int().min(1).max(10).optional(),
    tx_code_length: z.number().int().min(4).max(12).optional(),
    batch_size: z.number().int().min(1).max(100).optional(),
    offer_uri_ttl: z.number().int().min(10).max(30 * 24 * 3600).optional(),
    max_credentials_per_grant: z.number().int().min(1).max(10_000).optional(),
    body_limit_bytes: z.number().int().min(1024).max(10 * 1024 * 1024).optional(),
    token_rate_limit_per_minute: z.number().int().min(1).max(100_000).optional(),
    status_list_ttl: z.number().int().min(1).max(30 * 24 * 3600).optional(),
    status_list_token_lifetime: z.number().int().min(60).max(400 * 24 * 3600).optional(),
    signing_alg: z.enum(['ES256', 'EdDSA']).optional(),
    require_dpop: z.boolean().optional(),
    require_bound_nonce: z.boolean().optional(),
    accept_legacy_proof: z.boolean().optional(),
    sd_jwt_issuer: z.enum(['url', 'did:web']).optional(),
    clients: z.record(z.string().min(1).max(256), z.object({ redirect_uris: z.array(z.string().url()).min(1) })).optional(),
    trusted_proxies: z.array(z.string().min(1).max(64)).max(256).optional(),
    trusted_proxy_header: z.enum(['x-forwarded-for', 'forwarded']).optional(),
    rate_limits_per_minute: z
      .object({
        par: zRate,
        authorize: zRate,
        nonce: zRate,
        credential: zRate,
        credential_per_account: zRate,
        admin: zRate,
        admin_failures: zRate,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
export type IssuerConfigFile = z.input<typeof zIssuerConfigFile>

/** Resolved configuration the app runs with. */
export interface IssuerConfig {
  /** Origins of the wallet page admitted by CORS (nothing else is). */
  walletOrigins: string[]
  credentialConfigurations: Record<string, CredentialConfiguration>
  /** Access token lifetime (s). OpenID4VCI §13.10: longer than ~5 min must be sender-constrained; ours are DPoP-bound. */
  accessTokenTtl: number
  /** c_nonce lifetime (s): short, single use (OpenID4VCI §7). */
  cNonceTtl: number
  preAuthorizedCodeTtl: number
  /** Wrong tx_code tries before the pre-authorized code is invalidated (OpenID4VCI errata, §13.6). */
  maxTxCodeFailures: number
  txCodeLength: number
  /** Max proofs per credential request (OpenID4VCI §12.2.4 batch_credential_issuance). */
  batchSize: number
  /**
   * How long an offer by reference (`credential_offer_uri`, §4.1.3) can be fetched, in seconds (default 600);
   * it is fetched at most once. The code itself lives `preAuthorizedCodeTtl`.
   */
  offerUriTtl: number
  /** Credentials one grant (one access token) may mint in total (default `batchSize`). */
  maxCredentialsPerGrant: number
  bodyLimitBytes: number
  tokenRateLimitPerMinute: number
  /** Status list token `ttl` (draft-ietf-oauth-status-list §5.1/§6.1). */
  statusListTtl: number
  statusListTokenLifetime: number
  /** Algorithm of the authority's signing key generated on first start. */
  signingAlg: 'ES256' | 'EdDSA'
  /** Allowed clock skew for proof iat and DPoP iat (s). */
  proofMaxAge: number
  /** Refuse token requests without a DPoP proof (RFC 9449): every access token is sender-constrained. */
  requireDpop: boolean
  /**
   * Hardening, default false: the nonce endpoint only answers requests that carry the access token, so that
   * every c_nonce is bound to one token. When false (OpenID4VCI §7: the endpoint is not a protected resource),
   * requests without a token get an unbound, single-use, short-lived c_nonce; requests with a token still get
   * a bound one (specs/issuance-joint-pop.md, "Interoperability switch").
   */
  requireBoundNonce: boolean
  /**
   * Accept the singular `proof` object of OpenID4VCI drafts 13–15 (still sent by deployed wallets) as one
   * `proofs.jwt` entry, with the same checks. Default true.
   */
  acceptLegacyProof: boolean
  /**
   * How SD-JWT VCs name their issuer: `url` (default) `iss` = the Credential Issuer Identifier, keys found through
   * `/.well-known/jwt-vc-issuer`; `did:web`: `iss` = the did:web of that origin and `kid` = a DID URL of
   * `/.well-known/did.json`, for verifiers that resolve issuer keys only from a DID (keys/did-web.ts).
   */
  sdJwtIssuer: 'url' | 'did:web'
  /** Registered public clients and their exact redirect URIs (RFC 9700 §2.1); when empty, the authorization code flow is closed. */
  clients: Record<string, { redirect_uris: string[] }>
  /** Authorization code and PAR lifetime (s). */
  authorizationCodeTtl: number
  parTtl: number
  /**
   * scrypt cost N of new password hashes (default 2^17, OWASP; not settable in the config file). Tests that
   * create many users may lower it; stored hashes with a smaller N are rehashed at the next login.
   */
  passwordScryptN: number
  /**
   * Reverse proxies (addresses or CIDR ranges) whose `Forwarded` / `X-Forwarded-For` is believed: behind one,
   * rate limits key on the client address it reports (http/client-address.ts). Empty: the TCP peer.
   */
  trustedProxies: string[]
  /** The one forwarding header the trusted proxies write (the other is client-written and never read). */
  trustedProxyHeader: 'x-forwarded-for' | 'forwarded'
  /**
   * Requests per minute: per client address for POST /par, GET /authorize, POST /nonce, POST /credential
   * and /admin/* (per instance, in memory); per user for POST /credential (per instance); failed admin
   * authentications per client address (in the database: shared by all instances).
   */
  rateLimitsPerMinute: {
    par: number
    authorize: number
    nonce: number
    credential: number
    credentialPerAccount: number
    admin: number
    adminFailures: number
  }
}

const DEFAULT_CONFIGURATIONS: Record<string, CredentialConfigurationInput> = {
  mimi_identity_sd_cwt: {
    format: SD_CWT_FORMAT,
    scope: 'mimi_identity_sd_cwt',
    selectively_disclosable: ['email', 'phone_number', 'name', 'handle'],
    decoys: 2,
    display: [{ name: 'MIMI identity (SD-CWT)', locale: 'en-US' }],
  },
  mimi_identity_sd_jwt: {
    format: SD_JWT_VC_FORMAT,
    scope: 'mimi_identity_sd_jwt',
    selectively_disclosable: ['email', 'phone_number', 'name', 'handle'],
    decoys: 2,
    display: [{ name: 'MIMI identity (SD-JWT VC)', locale: 'en-US' }],
  },
}

/** Resolves a (possibly partial) config file into the full configuration; ERR_ISSUER_CONFIG_INVALID if it is not valid. */
export function resolveIssuerConfig(file: IssuerConfigFile = {}): IssuerConfig {
  const f = parseWith(zIssuerConfigFile, file, 'ERR_ISSUER_CONFIG_INVALID', 'issuer config')
  const rawConfigs = f.credential_configurations ?? DEFAULT_CONFIGURATIONS
  const credentialConfigurations: Record<string, CredentialConfiguration> = {}
  // An SD-JWT VC configuration without vct gets this issuer's /vct/<id> (oauth/metadata.ts vctOf).
  for (const [id, c] of Object.entries(rawConfigs)) credentialConfigurations[id] = zCredentialConfiguration.parse(c)
  return {
    walletOrigins: (f.wallet_origins ?? []).map((o) => new URL(o).origin),
    credentialConfigurations,
    accessTokenTtl: f.access_token_ttl ?? 300,
    cNonceTtl: f.c_nonce_ttl ?? 120,
    preAuthorizedCodeTtl: f.pre_authorized_code_ttl ?? 24 * 3600,
    maxTxCodeFailures: f.max_tx_code_failures ?? 3,
    txCodeLength: f.tx_code_length ?? 6,
    batchSize: f.batch_size ?? 5,
    offerUriTtl: f.offer_uri_ttl ?? 600,
    maxCredentialsPerGrant: f.max_credentials_per_grant ?? f.batch_size ?? 5,
    bodyLimitBytes: f.body_limit_bytes ?? 64 * 1024,
    tokenRateLimitPerMinute: f.token_rate_limit_per_minute ?? 60,
    statusListTtl: f.status_list_ttl ?? 300,
    statusListTokenLifetime: f.status_list_token_lifetime ?? 24 * 3600,
    signingAlg: f.signing_alg ?? 'ES256',
    requireDpop: f.require_dpop ?? true,
    requireBoundNonce: f.require_bound_nonce ?? false,
    acceptLegacyProof: f.accept_legacy_proof ?? true,
    sdJwtIssuer: f.sd_jwt_issuer ?? 'url',
    clients: f.clients ?? {},
    proofMaxAge: 300,
    authorizationCodeTtl: 60,
    parTtl: 90,
    passwordScryptN: DEFAULT_SCRYPT_N,
    trustedProxies: checkTrustedProxies(f.trusted_proxies ?? []),
    trustedProxyHeader: f.trusted_proxy_header ?? 'x-forwarded-for',
    rateLimitsPerMinute: {
      par: f.rate_limits_per_minute?.par ?? 60,
      authorize: f.rate_limits_per_minute?.authorize ?? 60,
      nonce: f.rate_limits_per_minute?.nonce ?? 300,
      credential: f.rate_limits_per_minute?.credential ?? 300,
      credentialPerAccount: f.rate_limits_per_minute?.credential_per_account ?? 60,
      admin: f.rate_limits_per_minute?.admin ?? 600,
      adminFailures: f.rate_limits_per_minute?.admin_failures ?? 10,
    },
  }
}

/** Default issuer configuration (two configurations: SD-CWT and SD-JWT VC). */
export function defaultIssuerConfig(): IssuerConfig {
  return resolveIssuerConfig({})
}
