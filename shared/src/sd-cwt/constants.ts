/**
 * @module sd-cwt/constants
 * Code points of draft-ietf-spice-sd-cwt-08. Early-assigned header labels
 * 17/170/171/172, typ 293/294, simple(59), tags 58/60/62.
 */
import { CborSimple } from '../cbor/types.js'

/** COSE header labels used by SD-CWT and KBT. */
export const SD_CWT_HEADER = {
  alg: 1,
  kid: 4,
  kcwt: 13,
  cwtClaims: 15,
  typ: 16,
  /** Unprotected: `[+bstr]`, the Salted Disclosed Claims. */
  sdClaims: 17,
  /** Protected: hash algorithm of Redacted Claim Hashes (COSE alg id, default SHA-256 -16). */
  sdAlg: 170,
  /** Unprotected: `[+[nonce, ciphertext, tag, ?key-context]]`, AEAD-encrypted disclosures. */
  sdAeadEncryptedClaims: 171,
  /** Protected: AEAD algorithm (IANA AEAD id, default 1 = AEAD_AES_128_GCM). */
  sdAead: 172,
} as const

/** CWT claim keys (RFC 8392, RFC 8747, RFC 9200) used by SD-CWT and KBT. */
export const CWT_CLAIM = { iss: 1, sub: 2, aud: 3, exp: 4, nbf: 5, iat: 6, cti: 7, cnf: 8, vct: 11, cnonce: 39 } as const

/** `cnf` confirmation methods (RFC 8747 §3.1, RFC 9679). */
export const CNF_METHOD = { coseKey: 1, encryptedCoseKey: 2, kid: 3, ckt: 5 } as const

/** `typ` of an SD-CWT (CoAP content format of application/sd-cwt) and of a KBT (application/kb+cwt). */
export const TYP_SD_CWT = 293
export const TYP_KBT = 294
export { SD_CWT_FORMAT as MEDIA_TYPE_SD_CWT, KBT_MEDIA_TYPE as MEDIA_TYPE_KBT } from '../format-ids.js'

/** `redacted_claim_keys`: the map key whose value lists the Redacted Claim Hashes of that map. */
export const REDACTED_CLAIM_KEYS = new CborSimple(59)
/** Redacted Claim Element: `60(digest)` replaces an array element. */
export const TAG_REDACTED_ELEMENT = 60
/** To Be Redacted (pre-issuance only): `58(label)` as a map key, `58(value)` as an array element. */
export const TAG_TO_BE_REDACTED = 58
/** To Be Decoy (pre-issuance only): `62(n)` as a map key (value null) or an array element. */
export const TAG_TO_BE_DECOY = 62

/**
 * Claims that are never redacted: §6's iss, aud, exp, nbf, iat, cti, cnf, cnonce, and (e2eid profile, as SD-JWT VC
 * §3.2.2.2 does for its `vct` and `status`) vct (11) and status (65535). A redactable status reference lets the holder
 * hide it, and a verifier with the default `if-present` status policy then never checks revocation.
 * Issuance refuses 58(label) for them (ERR_SDCWT_REDACTION_FORBIDDEN), verification a disclosure of them
 * (ERR_SDCWT_REDACTED_MANDATORY).
 */
export const NEVER_REDACTED: ReadonlySet<number> = new Set([1, 3, 4, 5, 6, 7, 8, 11, 39, 65535])

/** Length of a disclosure salt (§3: `bstr .size 16`). */
export const SALT_LENGTH = 16
