/**
 * @module oid4vci/receive
 * OpenID4VCI 1.0 wallet side with `@openid4vc/openid4vci` (Openid4vciClient): offer by value or
 * by reference (§4.1), issuer and AS metadata (§12), pre-authorized code with tx_code (§3.5,
 * §6.1) or authorization code with PKCE and PAR (§3.4, §5), DPoP (§13.2, RFC 9449), Nonce
 * Endpoint (§7), `jwt` proofs signed by fresh holder keys (App. F.1), batch requests (§8.2).
 * Every credential passes the format's holder checks BEFORE it is stored; a refused credential
 * leaves nothing behind (neither the credential nor its key).
 *
 * The steps: oid4vci/resolve-offer.ts (offer, issuer trust, metadata), oid4vci/obtain-token.ts
 * (grant, DPoP, token), oid4vci/request-credentials.ts (proofs, credential request, holder checks,
 * storage, notification). The https:// policy is passed to them explicitly (oid4vci/https-only.ts).
 */
import type { CryptoProvider } from '@e2eid/shared'
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2'
import type { CredentialFormatHandler } from '../formats/types.js'
import type { HolderKeyAlgorithm, KeyStore } from '../keys/keystore.js'
import type { StoredCredential, WalletDb } from '../storage/schema.js'
import { SignerRegistry, createCallbacks } from './callbacks.js'
import { allowLibraryHttpUrls, httpsOnlyFetch } from './https-only.js'
import type { ConfirmIssuer } from './issuer-trust.js'
import { obtainToken } from './obtain-token.js'
import { requestCredentials } from './request-credentials.js'
import { resolveOffer } from './resolve-offer.js'

/** How the user gets through the authorization endpoint in the authorization code flow. */
export interface AuthorizationCodeOptions {
  clientId: string
  redirectUri: string
  /**
   * Takes the user to `authorizationRequestUrl` and resolves with the URL the AS redirected
   * back to (carrying `code` and `state`, or an error).
   */
  authorize: (authorizationRequestUrl: string) => Promise<string>
  /** OAuth scope; default: the `scope` of each offered configuration. */
  scope?: string
}

/** Options of {@link receiveCredentialOffer}. */
export interface ReceiveOptions {
  /** Transaction code for a pre-authorized offer that asks for one. */
  txCode?: string
  /** Holder key algorithm (default EdDSA, the MLS ciphersuite 1 key). */
  keyAlg?: HolderKeyAlgorithm
  /** Credentials per configuration (batch issuance, one key each), capped by `batch_size`. Default 1. */
  batch?: number
  /** Only these of the offered configurations (default: all). */
  credentialConfigurationIds?: readonly string[]
  /** Needed when the offer has only the authorization code grant, or when preferred. */
  authorization?: AuthorizationCodeOptions
  /** Use the authorization code grant even when a pre-authorized code is offered. */
  preferAuthorizationCode?: boolean
  /** Allow http:// issuer URLs (loopback development only). */
  allowInsecureUrls?: boolean
  /**
   * Asked before any secret (pre-authorized code, tx_code, authorization request) goes to an issuer that
   * is not trusted yet; show the user `origin`. Resolving true trusts the issuer from now on. Without it an
   * unknown issuer is refused (ERR_WALLET_ISSUER_UNTRUSTED). See oid4vci/issuer-trust.ts.
   */
  confirmIssuer?: ConfirmIssuer
}

/** What {@link receiveCredentialOffer} needs from the wallet. */
export interface ReceiveContext {
  db: WalletDb
  keys: KeyStore
  provider: CryptoProvider
  fetch: typeof fetch
  /** Unix milliseconds. */
  now: () => number
  handlers: readonly CredentialFormatHandler[]
  /** Configured trusted Credential Issuer Identifiers (in addition to the list persisted in `db`). */
  trustedIssuers?: readonly string[]
}

/**
 * Receives the credentials of an offer (`openid-credential-offer://?credential_offer=…` or
 * `…?credential_offer_uri=…`). Returns the stored credentials. Throws E2eidError:
 * ERR_WALLET_OFFER_INVALID, ERR_WALLET_ISSUER_UNTRUSTED, ERR_WALLET_ISSUER_INVALID, ERR_WALLET_METADATA_INVALID,
 * ERR_WALLET_TX_CODE_REQUIRED,
 * ERR_WALLET_GRANT_UNSUPPORTED, ERR_WALLET_AUTHORIZATION_FAILED, ERR_WALLET_TOKEN_FAILED,
 * ERR_WALLET_NONCE_FAILED, ERR_WALLET_CREDENTIAL_FAILED, ERR_WALLET_FORMAT_UNSUPPORTED, or the
 * holder-check code of the format when a credential is refused.
 */
export async function receiveCredentialOffer(
  ctx: ReceiveContext,
  offerUri: string,
  options: ReceiveOptions = {},
): Promise<StoredCredential[]> {
  const allowHttp = options.allowInsecureUrls === true
  if (allowHttp) allowLibraryHttpUrls()
  const fetch = httpsOnlyFetch(ctx.fetch, allowHttp)
  const signers = new SignerRegistry()
  const anonymous = createCallbacks({
    provider: ctx.provider,
    fetch,
    signers,
    clientAuthentication: clientAuthenticationAnonymous(),
  })
  const resolved = await resolveOffer({ ctx, offerUri, options, callbacks: anonymous })
  const session = await obtainToken({ ctx, resolved, options, signers, fetch })
  const stored: StoredCredential[] = []
  for (const configurationId of resolved.configurationIds) {
    const { metadata } = resolved
    const result = await requestCredentials({ ctx, session, signers, metadata, configurationId, options })
    session.dpop = result.dpop
    stored.push(...result.stored)
  }
  return stored
}
