/**
 * @module credential/issue-credentials
 * The Credential Endpoint (OpenID4VCI 1.0 §8) and the joint proof of possession
 * (specs/issuance-joint-pop.md): the access token names the user; every proof must verify with its
 * own `jwk` and sign a c_nonce that was issued for THIS access token, is unexpired and unused. Only
 * then is one credential minted per proof key, with cnf = that key and the attributes of the
 * token's user, nothing from the request.
 */
import type { IssuerContext } from '../context.js'
import { oauthError } from '../http/oauth-error.js'
import type { AuthenticatedRequest } from '../oauth/access-token.js'
import { activeSigningKey } from '../keys/signing-keys.js'
import { hashSecret, randomSecret } from '../util/secrets.js'
import { parseCredentialRequest } from './credential-request.js'
import { verifyJwtProof } from './verify-proof.js'
import type { VerifiedProof } from './verify-proof.js'
import { statusListUri } from '../status/status-list-uri.js'
import { availableConfiguration } from './configurations.js'
import { signerIdentity } from '../keys/did-web.js'

/** The Credential Response (§8.3). */
export interface CredentialResponse {
  credentials: Array<{ credential: string }>
  notification_id: string
}

/** Handles an authenticated credential request. */
export async function handleCredentialRequest(ctx: IssuerContext, auth: AuthenticatedRequest, body: unknown): Promise<CredentialResponse> {
  const req = parseCredentialRequest(body, ctx.config.batchSize, { acceptLegacyProof: ctx.config.acceptLegacyProof })
  const found = availableConfiguration(ctx, req.configurationId)
  if (found === undefined) {
    throw req.by === 'credential_identifier'
      ? oauthError('unknown_credential_identifier', `unknown credential identifier ${req.configurationId}`)
      : oauthError('unknown_credential_configuration', `unknown credential configuration ${req.configurationId}`)
  }
  const { configuration, adapter } = found
  if (!auth.record.credentialConfigurationIds.includes(req.configurationId)) {
    throw oauthError('invalid_credential_request', 'the access token was not granted for this credential configuration', 'ERR_ISSUER_NOT_GRANTED')
  }

  // 1. Every proof verifies with its own key (F.4), keys distinct (one credential per key, §8.3).
  const proofs: VerifiedProof[] = []
  for (const jwt of req.jwtProofs) {
    const p = await verifyJwtProof(ctx, jwt, { algs: configuration.proof_signing_alg_values_supported, clientId: auth.record.clientId })
    if (proofs.some((q) => q.thumbprint === p.thumbprint)) throw oauthError('invalid_proof', 'two proofs use the same key', 'ERR_ISSUER_PROOF_DUPLICATE_KEY')
    proofs.push(p)
  }
  // 2. One c_nonce per request, consumed atomically and only if it was issued to this access token.
  const nonce = proofs[0]!.nonce
  if (proofs.some((p) => p.nonce !== nonce)) throw oauthError('invalid_nonce', 'all proofs of a request must sign the same c_nonce', 'ERR_ISSUER_NONCE_MISMATCH')
  // With require_bound_nonce an unbound nonce (another instance's, or one made before the option was set) is refused.
  const fresh = await ctx.repo.consumeNonce(hashSecret(ctx.crypto, nonce), auth.record.tokenHash, ctx.now(), ctx.config.requireBoundNonce)
  if (!fresh) throw oauthError('invalid_nonce', 'c_nonce unknown, expired, already used or issued to another access token', 'ERR_ISSUER_NONCE_INVALID')
  // 2b. One grant (one access token) mints at most maxCredentialsPerGrant credentials in all,
  //     counted atomically in the database (not just batch_size per request, over as many nonces as fit its life).
  const counted = await ctx.repo.countCredentialsIssued(auth.record.tokenHash, proofs.length, ctx.config.maxCredentialsPerGrant, ctx.now())
  if (!counted) {
    throw oauthError('credential_request_denied', `this grant may mint at most ${ctx.config.maxCredentialsPerGrant} credentials; start a new issuance`, 'ERR_ISSUER_GRANT_CREDENTIAL_LIMIT')
  }

  // 3. The attributes come only from the user the token was granted for.
  const user = await ctx.repo.getUser(auth.record.userId)
  if (user === null) throw oauthError('credential_request_denied', 'the user of this access token no longer exists', 'ERR_ISSUER_USER_GONE')
  const signer = signerIdentity(ctx, adapter.format, await activeSigningKey(ctx))
  const now = ctx.now()
  const exp = now + configuration.validity_seconds
  const credentials: Array<{ credential: string }> = []
  let firstId: string | null = null
  for (const p of proofs) {
    const record = await ctx.repo.recordIssuance({
      id: randomSecret(ctx.crypto, 16),
      userId: user.id,
      format: adapter.recordFormat,
      credentialConfigurationId: req.configurationId,
      holderKeyThumbprint: p.thumbprint,
      listForm: adapter.statusListForm,
      issuedAt: now,
      expiresAt: exp,
    })
    firstId ??= record.id
    let credential: string
    try {
      credential = await adapter.issue({
        issuer: signer.issuer,
        credentialIssuer: ctx.issuerUrl,
        configurationId: req.configurationId,
        configuration,
        signingKey: signer.signingKey,
        holderJwk: p.jwk,
        userId: user.id,
        claims: user.claims,
        selectivelyDisclosable: configuration.selectively_disclosable,
        decoys: configuration.decoys,
        iat: now,
        nbf: now,
        exp,
        status: { uri: statusListUri(ctx, record.statusListId), idx: record.statusIdx },
        crypto: ctx.crypto,
      })
    } catch (e) {
      // The index stays allocated; mark it invalid so a half-made credential can never be valid.
      await ctx.repo.setCredentialStatus(record.id, 1, ctx.now())
      throw oauthError('credential_request_denied', 'the credential could not be issued for these attributes', 'ERR_ISSUER_ISSUANCE_FAILED', { cause: e })
    }
    credentials.push({ credential })
  }
  const notificationId = randomSecret(ctx.crypto, 16)
  await ctx.repo.saveNotification({ notificationId, credentialId: firstId!, event: null, description: null, receivedAt: null })
  return { credentials, notification_id: notificationId }
}
