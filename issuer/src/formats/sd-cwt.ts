/**
 * @module formats/sd-cwt
 * The SD-CWT adapter (format `application/sd-cwt`, specs/openid4vci-sd-cwt-format.md): an SD-CWT
 * (draft-ietf-spice-sd-cwt-08) minted by `issueSdCwt` of @e2eid/shared. Claims: iss (1), sub (2: the
 * user's `sub` attribute, else the user id, since §6 requires sub), exp (4), nbf (5), iat (6), cnf (8, COSE_Key of the holder's proof key), vct (11), status
 * (65535, draft-ietf-oauth-status-list §6.3) and the user's attributes under text labels; the
 * configuration's selectively disclosable attributes are wrapped in tag 58, plus its decoys. The
 * credential travels as base64url of the tagged COSE_Sign1 (OpenID4VCI §8.3: binary → base64url).
 */
import { CWT_CLAIM, CborTag, TAG_TO_BE_REDACTED, base64urlEncode, cwtStatusClaim, issueSdCwt } from '@e2eid/shared'
import type { SignatureAlgorithm } from '@e2eid/shared'
import { SD_CWT_FORMAT } from '../config/config.js'
import type { CredentialFormatAdapter, IssueCredentialInput } from './types.js'

/** Claim 65535 of draft-ietf-oauth-status-list §6.3. */
const STATUS_CLAIM = 65535

/** JSON value → CBOR data model value (objects become Maps with text keys; encodeCbor refuses plain objects). */
function jsonToCbor(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonToCbor)
  if (v !== null && typeof v === 'object') return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonToCbor(x)]))
  return v
}

/** Creates the SD-CWT adapter. */
export function createSdCwtAdapter(): CredentialFormatAdapter {
  return {
    format: SD_CWT_FORMAT,
    recordFormat: 'sd-cwt',
    statusListForm: 'cwt',
    // COSE algorithm ids, as OpenID4VCI does for its CBOR format (mso_mdoc, App. A.2).
    signingAlgValues: (alg: SignatureAlgorithm) => [alg === 'EdDSA' ? -8 : alg === 'ES256' ? -7 : -35],
    async issue(i: IssueCredentialInput): Promise<string> {
      const claims = new Map<unknown, unknown>()
      claims.set(CWT_CLAIM.iss, i.issuer)
      const disclosable = new Set(i.selectivelyDisclosable)
      const label = (name: string): unknown => (name === 'sub' ? CWT_CLAIM.sub : name)
      for (const [name, value] of Object.entries(i.claims)) {
        claims.set(disclosable.has(name) ? new CborTag(TAG_TO_BE_REDACTED, label(name)) : label(name), jsonToCbor(value))
      }
      // draft-ietf-spice-sd-cwt-08 §6: sub MUST be present (it may be redacted). A user without a `sub`
      // attribute is named by this authority's user id.
      if (!('sub' in i.claims)) {
        claims.set(disclosable.has('sub') ? new CborTag(TAG_TO_BE_REDACTED, CWT_CLAIM.sub) : CWT_CLAIM.sub, i.userId)
      }
      claims.set(CWT_CLAIM.exp, i.exp)
      claims.set(CWT_CLAIM.nbf, i.nbf)
      claims.set(CWT_CLAIM.iat, i.iat)
      claims.set(CWT_CLAIM.vct, i.configuration.vct ?? `${i.credentialIssuer ?? i.issuer}/vct/${i.configurationId}`)
      claims.set(STATUS_CLAIM, cwtStatusClaim(i.status))
      const bytes = await issueSdCwt({
        claims,
        issuerKey: i.signingKey.privateJwk,
        holderKey: i.holderJwk,
        alg: i.signingKey.alg,
        kid: i.signingKey.kid,
        decoys: i.decoys,
        provider: i.crypto,
      })
      return base64urlEncode(bytes)
    },
  }
}
