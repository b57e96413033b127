/**
 * @module format-ids
 * The credential format identifiers and token media types on the wire, in one place; every package
 * names them through these constants.
 */

/**
 * SD-JWT VC: the OpenID4VCI 1.0 App. A.3 / OpenID4VP 1.0 App. B.3 format identifier, which is also the
 * SD-JWT VC `typ` (draft-ietf-oauth-sd-jwt-vc §2.2.1).
 */
export const SD_JWT_VC_FORMAT = 'dc+sd-jwt'
/** The pre-November-2024 SD-JWT VC `typ`; accepted on input only with `acceptLegacyTyp`. Never emitted. */
export const SD_JWT_VC_LEGACY_TYP = 'vc+sd-jwt'
/** The `typ` of a KB-JWT (RFC 9901 §4.3). */
export const KB_JWT_TYP = 'kb+jwt'
/**
 * SD-CWT: the SPICE draft's media type, which is also the project-defined OpenID4VCI/OpenID4VP format
 * identifier (specs/openid4vci-sd-cwt-format.md; neither OpenID4VCI 1.0 nor OpenID4VP 1.0 defines one).
 */
export const SD_CWT_FORMAT = 'application/sd-cwt'
/** The media type of an SD-CWT Key Binding Token. */
export const KBT_MEDIA_TYPE = 'application/kb+cwt'

/** A credential format identifier of this project. */
export type CredentialFormatIdentifier = typeof SD_JWT_VC_FORMAT | typeof SD_CWT_FORMAT
