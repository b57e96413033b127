/**
 * @module mls/credential-types
 * MLS CredentialType code points for the credentials of draft-mahy-mls-sd-cwt-credential-02 §6.
 * Nothing is IANA-registered yet: the draft only *suggests* 0x0005 (sd_cwt) and 0x0006 (sd_jwt),
 * so every function takes the numbers from one {@link MlsCredentialTypes} value that a deployment
 * may point at a private-use value (RFC 9420 §17.1: 0xF000–0xFFFF).
 */
import { E2eidError } from '../errors.js'

/** RFC 9420 §5.3 `basic` credential type. */
export const MLS_CREDENTIAL_TYPE_BASIC = 0x0001
/** RFC 9420 §5.3 `x509` credential type. */
export const MLS_CREDENTIAL_TYPE_X509 = 0x0002
/** draft-mahy-mls-sd-cwt-credential-02 §6 suggested value for `sd_cwt` (not registered). */
export const MLS_CREDENTIAL_TYPE_SD_CWT = 0x0005
/** draft-mahy-mls-sd-cwt-credential-02 §6 suggested value for `sd_jwt` (not registered). */
export const MLS_CREDENTIAL_TYPE_SD_JWT = 0x0006

/** The two credential type numbers in use by a deployment. */
export interface MlsCredentialTypes {
  readonly sdCwt: number
  readonly sdJwt: number
}

/** The draft's suggested numbers (0x0005 / 0x0006), our default. */
export const DEFAULT_MLS_CREDENTIAL_TYPES: MlsCredentialTypes = Object.freeze({
  sdCwt: MLS_CREDENTIAL_TYPE_SD_CWT,
  sdJwt: MLS_CREDENTIAL_TYPE_SD_JWT,
})

/** Which of our two credentials a type number denotes. */
export type MlsCredentialKind = 'sd-cwt' | 'sd-jwt'

/**
 * Checks a deployment's type numbers: uint16, distinct, and not one of RFC 9420's own
 * types (basic, x509) nor 0 (reserved). Throws ERR_MLS_CREDENTIAL_TYPES_INVALID.
 */
export function parseMlsCredentialTypes(value: Partial<MlsCredentialTypes> | undefined): MlsCredentialTypes {
  const sdCwt = value?.sdCwt ?? MLS_CREDENTIAL_TYPE_SD_CWT
  const sdJwt = value?.sdJwt ?? MLS_CREDENTIAL_TYPE_SD_JWT
  for (const t of [sdCwt, sdJwt]) {
    if (!Number.isInteger(t) || t <= 0 || t > 0xffff || t === MLS_CREDENTIAL_TYPE_BASIC || t === MLS_CREDENTIAL_TYPE_X509) {
      throw new E2eidError('ERR_MLS_CREDENTIAL_TYPES_INVALID', `credential type ${String(t)} is not a usable uint16 code point`)
    }
  }
  if (sdCwt === sdJwt) throw new E2eidError('ERR_MLS_CREDENTIAL_TYPES_INVALID', 'sd_cwt and sd_jwt need distinct type numbers')
  return Object.freeze({ sdCwt, sdJwt })
}

/** The kind of credential a type number denotes under `types`, or undefined when it is not ours. */
export function mlsCredentialKindOf(credentialType: number, types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES): MlsCredentialKind | undefined {
  if (credentialType === types.sdCwt) return 'sd-cwt'
  if (credentialType === types.sdJwt) return 'sd-jwt'
  return undefined
}

/** The type number of a kind under `types`. */
export function mlsCredentialTypeOf(kind: MlsCredentialKind, types: MlsCredentialTypes = DEFAULT_MLS_CREDENTIAL_TYPES): number {
  return kind === 'sd-cwt' ? types.sdCwt : types.sdJwt
}
