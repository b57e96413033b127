/**
 * OpenID4VP 1.0 from the page with claims the person chose: the request (by value, as the project's
 * verifier service hands it out) is parsed by the wallet library; its DCQL query tells which
 * Credential Query this credential answers and which claims it asks for; the person may disclose
 * more or fewer claims; the presentation goes to the Response URI by direct_post (§8.2).
 */
import { E2eidError } from '@e2eid/shared'
import { matchDcql, parseOpenid4vpRequest, postOpenid4vpResponse } from '@e2eid/wallet'
import type { ClaimPath, Openid4vpRequest, Presentation, StoredCredential, Wallet } from '@e2eid/wallet'

export interface RequestFit {
  request: Openid4vpRequest
  /** The Credential Query this credential answers. */
  queryId: string
  /** The claims the verifier asks for. */
  requested: ClaimPath[]
}

/** Parses the request and checks that `credential` answers one of its Credential Queries. */
export function fitRequest(uri: string, credential: StoredCredential): RequestFit {
  const request = parseOpenid4vpRequest(uri.trim())
  const match = matchDcql(request.dcql_query, [credential])[0]
  if (match === undefined) throw new E2eidError('ERR_WALLET_DCQL_UNSATISFIED', 'this credential does not answer the verifier\u2019s request')
  return { request, queryId: match.queryId, requested: match.paths }
}

export interface SentPresentation {
  presentation: Presentation
  /** HTTP status of the Response URI. */
  status: number
  body: unknown
  /**
   * §8.2: where the verifier wants the person's browser next (its page with the verdict, opened with the
   * fresh response_code); only an http(s) URL is kept.
   */
  redirectUri: string | undefined
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const u = new URL(value)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Signs a presentation disclosing `paths` (aud = client_id, nonce = the request's, App. B.3.6) and
 * posts it. Throws ERR_WALLET_OPENID4VP_REJECTED with the verifier's error when refused, and
 * ERR_WALLET_OPENID4VP_POST_FAILED when the verifier cannot be reached or its answer cannot be read
 * (a verifier that does not admit this page's origin by CORS).
 */
export async function sendPresentation(wallet: Wallet, fit: RequestFit, credentialId: string, paths: ClaimPath[], fetchFn: typeof fetch): Promise<SentPresentation> {
  const { request } = fit
  const presentation = await wallet.present(credentialId, { paths, aud: request.client_id, nonce: request.nonce })
  // A verifier that does not admit this page's origin by CORS looks unreachable from here.
  const { status, body } = await postOpenid4vpResponse(request, { [fit.queryId]: [presentation.presentation] }, fetchFn, ' (is the verifier up, and does it admit this page\'s origin by CORS?)')
  const redirectUri = typeof body === 'object' && body !== null ? httpUrl((body as Record<string, unknown>).redirect_uri) : undefined
  return { presentation, status, body, redirectUri }
}
