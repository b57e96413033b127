/**
 * @module credential/credential-request
 * The Credential Request body (OpenID4VCI 1.0 §8.2): exactly one of `credential_identifier` /
 * `credential_configuration_id`, and `proofs` with exactly one member, `jwt`, a non-empty array of at
 * most `batch_size` proofs. Unknown parameters are ignored.
 *
 * The singular `proof` object of OpenID4VCI drafts 13–15 (`{ proof_type: "jwt", jwt }`, still sent by
 * @sphereon/oid4vci-client 0.20.1 and other deployed wallets) is read as one `proofs.jwt` entry when
 * `acceptLegacyProof` is on, and goes through the same checks; `proof` and `proofs` together are
 * invalid_credential_request (both drafts and 1.0 forbid sending both).
 */
import { oauthError } from '../http/oauth-error.js'

// Checked by hand rather than with a zod schema: this runs on every credential request, and zod's shared
// parse code, megamorphic once the issuer's other schemas have run, took ~50 us per request here
// (1.7 us when warmed on this schema alone). The checks are those of the former schema:
// a plain object; identifiers absent or strings of 1..128; proofs absent or a plain object.
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}
function isIdentifier(v: unknown): boolean {
  return v === undefined || (typeof v === 'string' && v.length >= 1 && v.length <= 128)
}

/** A parsed credential request. */
export interface CredentialRequest {
  /** The requested configuration (from either identifier). */
  configurationId: string
  /** Which parameter named it. */
  by: 'credential_identifier' | 'credential_configuration_id'
  jwtProofs: string[]
}

/** Options of {@link parseCredentialRequest}. */
export interface CredentialRequestOptions {
  /** Accept the singular `proof` object (drafts 13–15) as one `proofs.jwt` entry. Default true (the config's default). */
  acceptLegacyProof?: boolean
}

// Draft 13–15 §7.2.1: `proof` is an object with `proof_type` and, for "jwt", the `jwt` string.
function legacyJwtProof(proof: unknown): string {
  if (!isPlainObject(proof)) throw oauthError('invalid_proof', 'proof must be a JSON object', 'ERR_ISSUER_PROOF_MALFORMED')
  if (proof.proof_type !== 'jwt') {
    const t = typeof proof.proof_type === 'string' ? proof.proof_type.slice(0, 32) : String(typeof proof.proof_type)
    throw oauthError('invalid_proof', `proof type ${t} is not supported`, 'ERR_ISSUER_PROOF_TYPE')
  }
  if (typeof proof.jwt !== 'string' || proof.jwt.length === 0) throw oauthError('invalid_proof', 'proof.jwt must be a JWT', 'ERR_ISSUER_PROOF_MISSING')
  return proof.jwt
}

/** Parses and validates the JSON body; throws invalid_credential_request / invalid_proof / invalid_encryption_parameters. */
export function parseCredentialRequest(body: unknown, batchSize: number, options: CredentialRequestOptions = {}): CredentialRequest {
  if (
    !isPlainObject(body) ||
    !isIdentifier(body.credential_identifier) ||
    !isIdentifier(body.credential_configuration_id) ||
    !(body.proofs === undefined || isPlainObject(body.proofs))
  ) {
    throw oauthError('invalid_credential_request', 'credential request must be a JSON object with string identifiers')
  }
  const b = body as { credential_identifier?: string; credential_configuration_id?: string; proofs?: Record<string, unknown>; proof?: unknown; credential_response_encryption?: unknown }
  if (b.credential_response_encryption !== undefined) {
    throw oauthError('invalid_encryption_parameters', 'credential response encryption is not supported', 'ERR_ISSUER_ENCRYPTION_UNSUPPORTED')
  }
  if (b.proof !== undefined) {
    if (b.proofs !== undefined) throw oauthError('invalid_credential_request', 'proof and proofs must not both be present', 'ERR_ISSUER_PROOF_AND_PROOFS')
    if (options.acceptLegacyProof === false) {
      throw oauthError('invalid_credential_request', 'the singular "proof" parameter is not part of OpenID4VCI 1.0: use "proofs"', 'ERR_ISSUER_SINGULAR_PROOF')
    }
  }
  const hasId = b.credential_identifier !== undefined
  const hasConf = b.credential_configuration_id !== undefined
  if (hasId === hasConf) {
    throw oauthError('invalid_credential_request', 'exactly one of credential_identifier and credential_configuration_id is required', 'ERR_ISSUER_REQUEST_IDENTIFIER')
  }
  if (b.proof !== undefined) {
    const jwt = legacyJwtProof(b.proof)
    return { configurationId: hasId ? b.credential_identifier! : b.credential_configuration_id!, by: hasId ? 'credential_identifier' : 'credential_configuration_id', jwtProofs: [jwt] }
  }
  if (b.proofs === undefined) throw oauthError('invalid_proof', 'proofs is required (key binding)', 'ERR_ISSUER_PROOF_MISSING')
  const types = Object.keys(b.proofs)
  if (types.length !== 1) throw oauthError('invalid_credential_request', 'proofs must have exactly one proof type', 'ERR_ISSUER_PROOF_TYPES')
  if (types[0] !== 'jwt') throw oauthError('invalid_proof', `proof type ${types[0]!.slice(0, 32)} is not supported`, 'ERR_ISSUER_PROOF_TYPE')
  const list = b.proofs.jwt
  if (!Array.isArray(list) || list.length === 0 || !list.every((p): p is string => typeof p === 'string')) {
    throw oauthError('invalid_proof', 'proofs.jwt must be a non-empty array of JWTs', 'ERR_ISSUER_PROOF_MISSING')
  }
  if (list.length > batchSize) throw oauthError('invalid_credential_request', `at most ${batchSize} proofs per request`, 'ERR_ISSUER_BATCH_TOO_LARGE')
  return hasId
    ? { configurationId: b.credential_identifier!, by: 'credential_identifier', jwtProofs: list }
    : { configurationId: b.credential_configuration_id!, by: 'credential_configuration_id', jwtProofs: list }
}
