/**
 * @module formats/sd-jwt-vc
 * The `dc+sd-jwt` adapter (OpenID4VCI 1.0 Appendix A.3): an SD-JWT VC minted by
 * `issueSdJwtVc` of @e2eid/shared, `cnf.jwk` = the holder key, `status.status_list` = our list,
 * the configuration's selectively disclosable claims and decoys. Travels as the compact string.
 */
import { issueSdJwtVc } from '@e2eid/shared'
import type { SignatureAlgorithm } from '@e2eid/shared'
import { SD_JWT_VC_FORMAT } from '../config/config.js'
import type { CredentialFormatAdapter, IssueCredentialInput } from './types.js'

/** Creates the SD-JWT VC adapter; `vctOf` resolves a configuration's `vct`. */
export function createSdJwtVcAdapter(): CredentialFormatAdapter {
  return {
    format: SD_JWT_VC_FORMAT,
    recordFormat: SD_JWT_VC_FORMAT,
    statusListForm: 'jwt',
    signingAlgValues: (alg: SignatureAlgorithm) => [alg],
    async issue(i: IssueCredentialInput): Promise<string> {
      const disclosable = i.selectivelyDisclosable.filter((name) => Object.hasOwn(i.claims, name))
      return issueSdJwtVc({
        provider: i.crypto,
        claims: i.claims,
        disclosable,
        decoys: i.decoys,
        issuerKey: i.signingKey.privateJwk,
        alg: i.signingKey.alg,
        kid: i.signingKey.kid,
        iss: i.issuer,
        vct: i.configuration.vct ?? `${i.credentialIssuer ?? i.issuer}/vct/${i.configurationId}`,
        holderKey: i.holderJwk,
        iat: i.iat,
        nbf: i.nbf,
        exp: i.exp,
        status: { uri: i.status.uri, idx: i.status.idx },
      })
    },
  }
}
