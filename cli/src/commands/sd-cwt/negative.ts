/**
 * @module commands/sd-cwt/negative
 * Negative golden vectors (specs/vectors/sd-cwt/negative/): presentations of the golden SD-CWT that a verifier
 * must reject, each broken in exactly one way (draft §9). Holder and issuer
 * signatures are made with the test-only Ed25519 keys, so every file reproduces byte for byte.
 */
import { CWT_CLAIM, CborTag, COSE_SIGN1_TAG, REDACTED_CLAIM_KEYS, SD_CWT_HEADER, TYP_KBT, bytesEqual, decodeCbor, decodeDisclosure, encodeCbor, hexDecode, hexEncode, parseSdCwt, signCoseSign1 } from '@e2eid/shared'
import type { CryptoProvider, PrivateJwk } from '@e2eid/shared'
import type { GoldenParams } from './golden.js'

/** One negative vector: a KBT file and the code `e2eid sd-cwt verify` gives (other implementations: reject). */
export interface NegativeVector {
  file: string
  description: string
  code: string
}

interface Parts {
  protectedBytes: Uint8Array
  unprotected: Map<unknown, unknown>
  payload: Uint8Array
  signature: Uint8Array
}

/** Builds the negative vectors from the golden SD-CWT: the files (name → hex text), their list, and an unbroken control KBT. */
export async function generateNegativeVectors(
  sdCwt: Uint8Array,
  keys: { issuer: PrivateJwk; holder: PrivateJwk },
  params: GoldenParams,
  provider: CryptoProvider,
): Promise<{ files: Map<string, string>; list: NegativeVector[]; control: Uint8Array }> {
  const token = parseSdCwt(sdCwt)
  const all = token.disclosures
  const find = (key: string | number): Uint8Array => {
    const d = all.find((b) => decodeDisclosure(b).key === key)
    if (d === undefined) throw new Error(`the golden SD-CWT has no disclosure for ${key}`)
    return d
  }
  const email = find('email')
  const country = find('country')
  const base: Parts = { protectedBytes: token.sign1.protectedBytes, unprotected: token.sign1.unprotectedHeaders, payload: token.sign1.payload!, signature: token.sign1.signature }
  const { aud, nonce } = params.verify
  const iat = params.present.now
  const kbtClaims = (extra: [number, unknown][] = [], at = iat): Map<unknown, unknown> => {
    const entries: [number, unknown][] = [[CWT_CLAIM.aud, aud], [CWT_CLAIM.iat, at], [CWT_CLAIM.cnonce, hexDecode(nonce)], ...extra]
    return new Map<unknown, unknown>(entries.sort((a, b) => a[0] - b[0]))
  }
  const sdTimes = { iat: token.claims.get(CWT_CLAIM.iat) as number, exp: token.claims.get(CWT_CLAIM.exp) as number }

  const kbt = async (parts: Parts, disclosures: Uint8Array[] | null, opts: { claims?: Map<unknown, unknown>; key?: PrivateJwk; typ?: boolean } = {}): Promise<Uint8Array> => {
    const unprotected = new Map(parts.unprotected)
    unprotected.delete(SD_CWT_HEADER.sdClaims)
    if (disclosures !== null) unprotected.set(SD_CWT_HEADER.sdClaims, disclosures)
    const embedded = new CborTag(COSE_SIGN1_TAG, [parts.protectedBytes, unprotected, parts.payload, parts.signature])
    const ph = new Map<unknown, unknown>([[SD_CWT_HEADER.kcwt, embedded]])
    if (opts.typ !== false) ph.set(SD_CWT_HEADER.typ, TYP_KBT)
    return signCoseSign1({ protectedHeaders: ph, payload: encodeCbor(opts.claims ?? kbtClaims()), key: opts.key ?? keys.holder, provider })
  }

  // The SD-CWT re-signed by the issuer with the email digest computed over the bare disclosure (no bstr head):
  // the digest form of the draft's Figures 8-9, which its signed examples contradict.
  const claims = decodeCbor(base.payload) as Map<unknown, unknown>
  const wrappedEmail = provider.digest('SHA-256', encodeCbor(email))
  const list = (claims.get(REDACTED_CLAIM_KEYS) as Uint8Array[]).map((d) => (bytesEqual(d, wrappedEmail) ? provider.digest('SHA-256', email) : d))
  claims.set(REDACTED_CLAIM_KEYS, list)
  const headerless = decodeCbor(
    await signCoseSign1({ protectedHeaders: token.sign1.protectedHeaders, unprotectedHeaders: base.unprotected, payload: encodeCbor(claims, { canonical: true }), key: keys.issuer, provider }),
  ) as CborTag
  const [hp, hu, hpl, hs] = headerless.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array]

  const tamperedEmail = (() => {
    const d = decodeDisclosure(email)
    return encodeCbor([d.salt, 'mallory@example.com', 'email'])
  })()
  const flipped = Uint8Array.from(base.signature)
  flipped[0] = flipped[0]! ^ 0x01

  const cases: [string, string, string, Promise<Uint8Array>][] = [
    ['tampered-disclosure', 'the email disclosure with its value changed (same salt): its digest is listed nowhere', 'ERR_SDCWT_UNUSED_DISCLOSURE', kbt(base, [tamperedEmail])],
    ['extra-disclosure', 'a well-formed disclosure the issuer never made ("name": "Mallory")', 'ERR_SDCWT_UNUSED_DISCLOSURE', kbt(base, [email, encodeCbor([new Uint8Array(16).fill(7), 'Mallory', 'name'])])],
    ['orphan-disclosure', 'address.country disclosed without the address disclosure that lists its digest', 'ERR_SDCWT_UNUSED_DISCLOSURE', kbt(base, [country])],
    ['duplicate-disclosure', 'the email disclosure twice', 'ERR_SDCWT_DUPLICATE_DISCLOSURE', kbt(base, [email, email])],
    ['empty-sd-claims', 'sd_claims (17) present but empty (it must be omitted instead)', 'ERR_SDCWT_EMPTY_SD_CLAIMS', kbt(base, [])],
    ['header-less-digest', 'an SD-CWT whose email digest is SHA-256 over the bare disclosure, without its bstr head (draft Figures 8-9); the disclosure matches no digest', 'ERR_SDCWT_UNUSED_DISCLOSURE', kbt({ protectedBytes: hp, unprotected: hu, payload: hpl, signature: hs }, [email])],
    ['issuer-signature-tampered', 'one bit of the issuer signature flipped', 'ERR_SDCWT_ISSUER_SIGNATURE_INVALID', kbt({ ...base, signature: flipped }, [email])],
    ['kbt-not-signed-by-cnf-key', 'the KBT signed with the issuer key instead of the holder key in cnf', 'ERR_SDCWT_KBT_SIGNATURE_INVALID', kbt(base, [email], { key: keys.issuer })],
    ['kbt-typ-missing', 'the KBT protected header without typ (16)', 'ERR_SDCWT_KBT_TYP_INVALID', kbt(base, [email], { typ: false })],
    ['kbt-with-sub', 'the KBT payload carries sub (2), which a KBT must not', 'ERR_SDCWT_KBT_FORBIDDEN_CLAIM', kbt(base, [email], { claims: kbtClaims([[CWT_CLAIM.sub, 'https://holder.example']]) })],
    ['kbt-iat-before-sd-cwt', 'KBT iat one second before the SD-CWT iat', 'ERR_SDCWT_KBT_BEFORE_SD_CWT', kbt(base, [email], { claims: kbtClaims([], sdTimes.iat - 1) })],
    ['kbt-outlives-sd-cwt', 'KBT exp one second after the SD-CWT exp', 'ERR_SDCWT_KBT_OUTLIVES_SD_CWT', kbt(base, [email], { claims: kbtClaims([[CWT_CLAIM.exp, sdTimes.exp + 1]]) })],
  ]
  const files = new Map<string, string>()
  const out: NegativeVector[] = []
  for (const [name, description, code, bytes] of cases) {
    const file = `negative/${name}.hex`
    files.set(file, hexEncode(await bytes) + '\n')
    out.push({ file, description, code })
  }
  // The same construction with nothing broken, for tests: it must verify, so each vector fails for its one reason.
  return { files, list: out, control: await kbt(base, [email]) }
}
