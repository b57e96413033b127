/**
 * @module sd-cwt/inspect
 * A diagnostic view of an SD-CWT or a KBT (for `e2eid sd-cwt inspect`): headers, claims with their redactions,
 * each disclosure with its Redacted Claim Hash and where that hash is listed, and the claims the disclosures
 * reveal. Nothing is verified here (no signatures, no times): a view for people, never a trust decision.
 */
import { E2eidError } from '../errors.js'
import type { HashAlgorithm } from '../crypto/algorithms.js'
import type { CryptoProvider } from '../crypto/provider.js'
import { hexEncode } from '../encoding/hex.js'
import type { DecodeCborOptions } from '../cbor/decode.js'
import { decodeCbor } from '../cbor/decode.js'
import { toDiagnostic } from '../cbor/diagnostic.js'
import { CborTag } from '../cbor/types.js'
import { decodeCoseSign1 } from '../cose/sign1.js'
import { REDACTED_CLAIM_KEYS, SD_CWT_HEADER, TAG_REDACTED_ELEMENT } from './constants.js'
import type { Disclosure } from './disclosure.js'
import { decodeDisclosure } from './disclosure.js'
import { redactedClaimHash } from './digest.js'
import { formatClaimPath } from './path.js'
import type { ClaimPathSegment } from './reveal.js'
import { revealClaims } from './reveal.js'
import { isKbtTyp, parseSdCwt } from './token.js'

/** One disclosure in an {@link SdCwtInspection}. */
export interface InspectedDisclosure {
  index: number
  /** Hex of the Redacted Claim Hash (over the bstr-wrapped disclosure). */
  digest: string
  kind?: Disclosure['kind']
  salt?: string
  key?: number | string
  /** Diagnostic notation of the disclosed value. */
  value?: string
  /** Where the digest is listed ("payload" or "disclosure N", and a claim path), if anywhere. */
  listedAt?: string
  /** Why the disclosure could not be decoded. */
  problem?: string
}

/** One redaction (a listed digest) in an {@link SdCwtInspection}. */
export interface InspectedRedaction {
  digest: string
  place: 'map' | 'array'
  /** "payload" or "disclosure N", then the path of the map or array holding the digest. */
  location: string
  /** Index of the disclosure with this digest, if present. */
  disclosure?: number
}

/** The result of {@link inspectSdCwt}. */
export interface SdCwtInspection {
  kind: 'sd-cwt' | 'kbt'
  kbt?: { protectedHeaders: string; unprotectedHeaders: string; claims: string; signature: string }
  sdCwt: {
    protectedHeaders: string
    unprotectedHeaders: string
    /** The payload as signed, redactions in place. */
    claims: string
    signature: string
    sdAlg: HashAlgorithm
    disclosures: InspectedDisclosure[]
    redactions: InspectedRedaction[]
    encryptedDisclosures: number
    /** Claims with the present disclosures applied (verifier rules), or undefined when they do not apply. */
    revealed?: string
    /** Why the disclosures do not apply (code and message), if they do not. */
    problem?: { code: string; message: string }
  }
  /** A readable multi-line text of all of the above. */
  text: string
}

function collect(v: unknown, where: string, path: ClaimPathSegment[], out: Omit<InspectedRedaction, 'disclosure'>[]): void {
  if (v instanceof Map) {
    for (const [k, x] of v) {
      if (k === REDACTED_CLAIM_KEYS && Array.isArray(x)) {
        for (const d of x) if (d instanceof Uint8Array) out.push({ digest: hexEncode(d), place: 'map', location: `${where} ${formatClaimPath(path) || '(top)'}` })
      } else {
        collect(x, where, typeof k === 'number' || typeof k === 'string' ? [...path, k] : path, out)
      }
    }
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (x instanceof CborTag && x.tag === TAG_REDACTED_ELEMENT && x.value instanceof Uint8Array) {
        out.push({ digest: hexEncode(x.value), place: 'array', location: `${where} ${formatClaimPath(path) || '(top)'}` })
      } else collect(x, where, [...path, i], out)
    })
  } else if (v instanceof CborTag) collect(v.value, where, path, out)
}

/** Inspects an SD-CWT or a KBT (detected by `typ`). Throws E2eidError only when the outer structure is unreadable. */
export function inspectSdCwt(bytes: Uint8Array, options: { provider: Pick<CryptoProvider, 'digest'>; limits?: DecodeCborOptions }): SdCwtInspection {
  const outer = decodeCoseSign1(bytes, options.limits)
  const isKbt = isKbtTyp(outer.protectedHeaders.get(SD_CWT_HEADER.typ))
  let kbt: SdCwtInspection['kbt']
  const token = parseSdCwt(isKbt ? outer.protectedHeaders.get(SD_CWT_HEADER.kcwt) : bytes, options.limits)
  if (isKbt) {
    const ph = new Map(outer.protectedHeaders)
    ph.set(SD_CWT_HEADER.kcwt, '<the SD-CWT below>')
    let claims: string
    try {
      claims = outer.payload === null ? 'nil' : toDiagnostic(decodeCbor(outer.payload, options.limits))
    } catch (e) {
      claims = `<unreadable: ${e instanceof Error ? e.message : String(e)}>`
    }
    kbt = { protectedHeaders: toDiagnostic(ph), unprotectedHeaders: toDiagnostic(outer.unprotectedHeaders), claims, signature: hexEncode(outer.signature) }
  }
  const redactionsRaw: Omit<InspectedRedaction, 'disclosure'>[] = []
  if (token.headerClaims === undefined) collect(token.claims, 'payload', [], redactionsRaw)
  else {
    // token.claims merges the two maps; where each redaction sits is told apart here.
    collect(decodeCbor(token.sign1.payload!, options.limits), 'payload', [], redactionsRaw)
    collect(token.headerClaims, 'CWT Claims (15)', [], redactionsRaw)
  }
  const disclosures: InspectedDisclosure[] = token.disclosures.map((b, index) => {
    const d: InspectedDisclosure = { index, digest: hexEncode(redactedClaimHash(b, token.hash, options.provider)) }
    try {
      const dis = decodeDisclosure(b)
      d.kind = dis.kind
      d.salt = hexEncode(dis.salt)
      if (dis.key !== undefined) d.key = dis.key
      if (dis.kind !== 'decoy') d.value = toDiagnostic(dis.value)
      collect(dis.value, `disclosure ${index}`, [], redactionsRaw)
    } catch (e) {
      d.problem = e instanceof E2eidError ? `${e.code}: ${e.message}` : String(e)
    }
    return d
  })
  const byDigest = new Map(disclosures.map((d) => [d.digest, d]))
  const redactions: InspectedRedaction[] = redactionsRaw.map((r) => {
    const d = byDigest.get(r.digest)
    if (d !== undefined) d.listedAt = r.location
    return d === undefined ? r : { ...r, disclosure: d.index }
  })
  const uph = new Map(token.sign1.unprotectedHeaders)
  if (uph.has(SD_CWT_HEADER.sdClaims)) uph.set(SD_CWT_HEADER.sdClaims, `<${token.disclosures.length} disclosures below>`)
  const sdCwt: SdCwtInspection['sdCwt'] = {
    protectedHeaders: toDiagnostic(token.sign1.protectedHeaders),
    unprotectedHeaders: toDiagnostic(uph),
    claims: toDiagnostic(token.claims),
    signature: hexEncode(token.sign1.signature),
    sdAlg: token.hash,
    disclosures,
    redactions,
    encryptedDisclosures: token.aeadEntries.length,
  }
  try {
    sdCwt.revealed = toDiagnostic(revealClaims(token.claims, token.disclosures, { hash: token.hash, provider: options.provider, mode: 'verifier' }).claims)
  } catch (e) {
    sdCwt.problem = e instanceof E2eidError ? { code: e.code, message: e.message } : { code: 'ERR_UNKNOWN', message: String(e) }
  }
  const lines: string[] = []
  if (kbt !== undefined) {
    lines.push('KBT (typ 294)', `  protected:   ${kbt.protectedHeaders}`, `  unprotected: ${kbt.unprotectedHeaders}`, `  claims:      ${kbt.claims}`, `  signature:   h'${kbt.signature}'`, '')
  }
  lines.push('SD-CWT (typ 293)', `  protected:   ${sdCwt.protectedHeaders}`, `  unprotected: ${sdCwt.unprotectedHeaders}`, `  claims:      ${sdCwt.claims}`, `  signature:   h'${sdCwt.signature}'`)
  lines.push(`  sd_alg:      ${sdCwt.sdAlg}`, `  redactions:  ${redactions.length} (${redactions.filter((r) => r.disclosure === undefined).length} without a disclosure here)`)
  for (const d of disclosures) {
    const what = d.problem ?? (d.kind === 'decoy' ? 'decoy' : d.kind === 'claim' ? `${toDiagnostic(d.key)}: ${d.value ?? ''}` : `element ${d.value ?? ''}`)
    lines.push(`  disclosure ${d.index}: ${what}`, `    digest ${d.digest}${d.listedAt === undefined ? ' (not listed anywhere)' : ` listed in ${d.listedAt}`}`)
  }
  if (sdCwt.encryptedDisclosures > 0) lines.push(`  encrypted disclosures (171): ${sdCwt.encryptedDisclosures}`)
  lines.push(sdCwt.revealed !== undefined ? `  revealed:    ${sdCwt.revealed}` : `  disclosures do not apply: ${sdCwt.problem?.code ?? ''} ${sdCwt.problem?.message ?? ''}`)
  return { kind: isKbt ? 'kbt' : 'sd-cwt', ...(kbt === undefined ? {} : { kbt }), sdCwt, text: lines.join('\n') }
}
