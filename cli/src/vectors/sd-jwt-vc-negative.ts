/**
 * @module vectors/sd-jwt-vc-negative
 * Negative golden vectors (specs/vectors/sd-jwt-vc/negative/): presentations of the golden SD-JWT VC that a
 * verifier must reject (RFC 9901 §7.1–§7.3, SD-JWT VC §2.4), each broken in exactly one way. Every signature is
 * real (test-only Ed25519 keys, deterministic), so only the named defect makes a file invalid; the unbroken
 * construction ({@link SdJwtVcNegativeVectors.control}) verifies.
 */
import { KB_JWT_TYP, base64urlEncode, signJwt, utf8Encode } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk } from '@e2eid/shared'
import type { SdJwtVcGoldenParams } from './sd-jwt-vc.js'

/** One negative vector: a presentation file and the code our verifier gives (other implementations: reject). */
interface SdJwtVcNegativeVector {
  file: string
  description: string
  code: string
}

/** The files (name → text), their list, and an unbroken control presentation made the same way. */
export interface SdJwtVcNegativeVectors {
  files: [string, string][]
  list: SdJwtVcNegativeVector[]
  control: string
}

/** The golden credential split into the parts a presentation is made of. */
interface Credential {
  jwt: string
  /** Encoded disclosures by claim name. */
  byName: Map<string, string>
}

function parse(compact: string, names: readonly (string | undefined)[]): Credential {
  const parts = compact.split('~')
  const byName = new Map<string, string>()
  parts.slice(1, -1).forEach((d, i) => byName.set(names[i] ?? `#${i}`, d))
  return { jwt: parts[0]!, byName }
}

/**
 * Builds the negative vectors from the golden credential `compact` (its disclosures named in issue order by
 * `names`), with the keys and parameters of the golden presentation.
 */
export async function generateSdJwtVcNegativeVectors(
  compact: string,
  names: readonly (string | undefined)[],
  keys: { issuer: PrivateJwk; holder: PrivateJwk },
  params: SdJwtVcGoldenParams,
  provider: CryptoProvider,
): Promise<SdJwtVcNegativeVectors> {
  const cred = parse(compact, names)
  const email = cred.byName.get('email')!
  const handle = cred.byName.get('handle')!
  const pr = params.present

  /** `<jwt>~<d…>~` then a KB-JWT over it (RFC 9901 §4.3), with the given changes. */
  async function present(
    disclosures: readonly string[],
    o: { jwt?: string; header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: PrivateJwk; hashOver?: string; omit?: string } = {},
  ): Promise<string> {
    const sdJwt = `${o.jwt ?? cred.jwt}~${disclosures.map((d) => d + '~').join('')}`
    const sdHash = base64urlEncode(provider.digest('SHA-256', utf8Encode(o.hashOver ?? sdJwt)))
    const payload: Record<string, unknown> = { nonce: pr.nonce, aud: pr.aud, iat: pr.now, sd_hash: sdHash, ...o.payload }
    if (o.omit !== undefined) delete payload[o.omit]
    const kb = await signJwt({ header: { alg: 'EdDSA', typ: KB_JWT_TYP, ...o.header }, payload, key: o.key ?? keys.holder, provider })
    return sdJwt + kb
  }

  const disclosureOf = (salt: string, name: string, value: unknown): string => base64urlEncode(utf8Encode(JSON.stringify([salt, name, value])))
  const saltOf = (encoded: string): string => (JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as [string])[0]
  const [h, p, s] = cred.jwt.split('.') as [string, string, string]
  const sig = Buffer.from(s, 'base64url')
  sig[0]! ^= 0x01
  const tamperedJwt = `${h}.${p}.${base64urlEncode(new Uint8Array(sig))}`

  const cases: [string, string, string, Promise<string>][] = [
    ['tampered-disclosure.txt', 'the email disclosure with another value, same salt: its digest is not in the credential', 'ERR_SDJWT_DISCLOSURE_UNREFERENCED', present([disclosureOf(saltOf(email), 'email', 'mallory@example.com'), handle])],
    ['extra-disclosure.txt', 'a well-formed disclosure the issuer never made (role = admin)', 'ERR_SDJWT_DISCLOSURE_UNREFERENCED', present([email, handle, disclosureOf('AAAAAAAAAAAAAAAAAAAAAA', 'role', 'admin')])],
    ['duplicate-disclosure.txt', 'the email disclosure twice', 'ERR_SDJWT_DISCLOSURE_DUPLICATE', present([email, email, handle])],
    ['issuer-signature-tampered.txt', 'one bit of the issuer JWT signature flipped', 'ERR_SDJWT_SIGNATURE_INVALID', present([email, handle], { jwt: tamperedJwt })],
    ['kb-jwt-missing.txt', 'no KB-JWT (ends in ~): key binding is required', 'ERR_SDJWT_KB_MISSING', Promise.resolve(`${cred.jwt}~${email}~${handle}~`)],
    ['kb-jwt-not-signed-by-cnf-key.txt', 'the KB-JWT signed with the issuer key, not the cnf key', 'ERR_SDJWT_KB_SIGNATURE_INVALID', present([email, handle], { key: keys.issuer })],
    ['kb-jwt-typ-wrong.txt', 'KB-JWT typ "JWT" instead of "kb+jwt"', 'ERR_SDJWT_KB_TYP_INVALID', present([email, handle], { header: { typ: 'JWT' } })],
    ['kb-jwt-sd-hash-mismatch.txt', 'sd_hash over the presentation without the handle disclosure, which is sent', 'ERR_SDJWT_KB_SD_HASH_MISMATCH', present([email, handle], { hashOver: `${cred.jwt}~${email}~` })],
    ['kb-jwt-sd-hash-missing.txt', 'no sd_hash in the KB-JWT', 'ERR_SDJWT_KB_MALFORMED', present([email, handle], { omit: 'sd_hash' })],
    ['kb-jwt-aud-wrong.txt', 'KB-JWT aud https://other.example', 'ERR_SDJWT_KB_AUD_MISMATCH', present([email, handle], { payload: { aud: 'https://other.example' } })],
    ['kb-jwt-nonce-wrong.txt', 'KB-JWT nonce of another request', 'ERR_SDJWT_KB_NONCE_MISMATCH', present([email, handle], { payload: { nonce: '00000000000000000000000000000000' } })],
    ['kb-jwt-iat-in-future.txt', 'KB-JWT iat one hour after the verification time', 'ERR_SDJWT_KB_IAT_INVALID', present([email, handle], { payload: { iat: params.verify.now + 3600 } })],
  ]
  const files: [string, string][] = []
  const list: SdJwtVcNegativeVector[] = []
  for (const [file, description, code, text] of cases) {
    files.push([`negative/${file}`, (await text) + '\n'])
    list.push({ file: `negative/${file}`, description, code })
  }
  return { files, list, control: await present([email, handle]) }
}
