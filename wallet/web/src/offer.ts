/**
 * Reads a credential offer for display before receiving it (OpenID4VCI 1.0 §4.1): who issues what,
 * and whether a Transaction Code is needed (§4.1.1 `tx_code`). The wallet library does the real,
 * checked resolution when the credential is received; this is only the preview.
 */
import { E2eidError } from '@e2eid/shared'

const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'

export interface OfferSummary {
  issuer: string
  configurationIds: string[]
  byReference: boolean
  /** Present when the pre-authorized code grant asks for a Transaction Code. */
  txCode?: { length?: number; inputMode?: string; description?: string }
  preAuthorized: boolean
  /**
   * The offer as a by-value URI (`…?credential_offer=…`), to receive from after the preview: an issuer may serve
   * an offer by reference only once, so the page never fetches the reference twice.
   */
  byValueUri: string
}

function fail(message: string): never {
  throw new E2eidError('ERR_WALLET_OFFER_INVALID', message)
}

/** Parses `openid-credential-offer://?credential_offer=…` or `…?credential_offer_uri=…` (fetched). */
export async function summarizeOffer(uri: string, fetchFn: typeof fetch): Promise<OfferSummary> {
  const q = uri.indexOf('?')
  if (q < 0) fail('this is not a credential offer (no parameters)')
  const params = new URLSearchParams(uri.slice(q + 1))
  let offer: unknown
  const byValue = params.get('credential_offer')
  const byReference = params.get('credential_offer_uri')
  if (byValue !== null) {
    try {
      offer = JSON.parse(byValue)
    } catch {
      fail('credential_offer is not JSON')
    }
  } else if (byReference !== null) {
    const res = await fetchFn(byReference, { headers: { accept: 'application/json' } })
    if (!res.ok) fail(`the offer could not be fetched (HTTP ${res.status})`)
    offer = await res.json()
  } else fail('this is not a credential offer (no credential_offer or credential_offer_uri)')
  if (typeof offer !== 'object' || offer === null) fail('the offer is not a JSON object')
  const o = offer as { credential_issuer?: unknown; credential_configuration_ids?: unknown; grants?: Record<string, { tx_code?: Record<string, unknown> } | undefined> }
  if (typeof o.credential_issuer !== 'string' || !Array.isArray(o.credential_configuration_ids)) fail('the offer lacks credential_issuer or credential_configuration_ids')
  const pre = o.grants?.[PRE_AUTH]
  const tx = pre?.tx_code
  return {
    issuer: o.credential_issuer,
    configurationIds: o.credential_configuration_ids.filter((x): x is string => typeof x === 'string'),
    byReference: byValue === null,
    preAuthorized: pre !== undefined,
    byValueUri: byValue !== null ? uri : `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
    ...(tx === undefined
      ? {}
      : {
          txCode: {
            ...(typeof tx.length === 'number' ? { length: tx.length } : {}),
            ...(typeof tx.input_mode === 'string' ? { inputMode: tx.input_mode } : {}),
            ...(typeof tx.description === 'string' ? { description: tx.description } : {}),
          },
        }),
  }
}
