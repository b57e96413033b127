/**
 * @module commands/sd-cwt/view
 * The text of `e2eid sd-cwt inspect`: the structured inspection of `inspectSdCwt` (headers, redactions, each
 * disclosure and its digest), laid out for people, with claims sets printed as indented diagnostic notation
 * (RFC 8949 §8). Nothing here is verified.
 */
import { SD_CWT_HEADER, decodeCoseSign1, isKbtTyp, parseSdCwt, revealClaims, toDiagnostic } from '@e2eid/shared'
import type { CryptoProvider, SdCwtInspection } from '@e2eid/shared'
import { decodeCbor, hexEncode } from '@e2eid/shared'

const SD_ALG_ID: Record<string, number> = { 'SHA-256': -16, 'SHA-384': -43, 'SHA-512': -44 }

function block(value: unknown, pad: string): string {
  return pad + toDiagnostic(value, { indent: 2 }).replace(/\n/g, '\n' + pad)
}

/** "payload (top)" → "the payload (top level)"; "disclosure 6 (top)" → "disclosure 6 (inside claim "address")". */
function where(listedAt: string, s: SdCwtInspection['sdCwt']): string {
  const p = /^payload (.+)$/.exec(listedAt)
  if (p !== null) return p[1] === '(top)' ? 'the payload (top level)' : `the payload at ${p[1]!}`
  const m = /^disclosure (\d+) (.+)$/.exec(listedAt)
  if (m === null) return listedAt
  const owner = s.disclosures[Number(m[1])]
  const what = owner?.kind === 'claim' ? `claim ${toDiagnostic(owner.key)}` : owner?.kind === 'element' ? 'an array element' : 'a disclosure'
  return `disclosure ${m[1]!} (inside ${what}${m[2] === '(top)' ? '' : `, at ${m[2]!}`})`
}

/** Renders `inspection` (of `bytes`) as the multi-line text `inspect` prints. */
export function renderInspection(bytes: Uint8Array, inspection: SdCwtInspection, provider: Pick<CryptoProvider, 'digest'>): string {
  const outer = decodeCoseSign1(bytes)
  const isKbt = isKbtTyp(outer.protectedHeaders.get(SD_CWT_HEADER.typ))
  const token = parseSdCwt(isKbt ? outer.protectedHeaders.get(SD_CWT_HEADER.kcwt) : bytes)
  const lines: string[] = []
  if (isKbt && inspection.kbt !== undefined) {
    lines.push('KBT (Key Binding Token, typ 294), signed by the holder key in the SD-CWT cnf')
    lines.push(`  protected:   ${inspection.kbt.protectedHeaders}`)
    lines.push(`  unprotected: ${inspection.kbt.unprotectedHeaders}`)
    lines.push('  claims:')
    let kbtClaims: string
    try {
      kbtClaims = outer.payload === null ? '    nil' : block(decodeCbor(outer.payload), '    ')
    } catch {
      kbtClaims = '    ' + inspection.kbt.claims
    }
    lines.push(kbtClaims, `  signature:   h'${inspection.kbt.signature}'`, '')
  }
  const s = inspection.sdCwt
  lines.push(`SD-CWT (typ 293), signed by the issuer${isKbt ? ', embedded in the KBT protected header (13)' : ''}`)
  lines.push(`  protected:   ${s.protectedHeaders}`)
  lines.push(`  unprotected: ${s.unprotectedHeaders}`)
  lines.push('  claims as signed (simple(59): redacted map entries, 60(...): redacted array elements):')
  lines.push(block(token.claims, '    '))
  lines.push(`  signature:   h'${s.signature}'`)
  lines.push(`  sd_alg:      ${s.sdAlg} (${SD_ALG_ID[s.sdAlg] ?? '?'})${token.sdAlg === undefined ? ', by default' : ''}`)
  const hidden = s.redactions.filter((r) => r.disclosure === undefined).length
  lines.push(`  redactions:  ${s.redactions.length} digests, ${s.redactions.length - hidden} with a disclosure here, ${hidden} without`)
  lines.push(`  disclosures: ${s.disclosures.length} in sd_claims (17); digest = ${s.sdAlg} over the bstr-wrapped disclosure`)
  for (const d of s.disclosures) {
    const what = d.problem ?? (d.kind === 'decoy' ? 'decoy' : d.kind === 'claim' ? `claim ${toDiagnostic(d.key)}: ${d.value ?? ''}` : `array element ${d.value ?? ''}`)
    lines.push(`    [${d.index}] ${what}`)
    if (d.salt !== undefined) lines.push(`        salt   h'${d.salt}'`)
    const raw = token.disclosures[d.index]
    if (raw !== undefined) lines.push(`        bytes  h'${hexEncode(raw)}'`)
    lines.push(`        digest h'${d.digest}'${d.listedAt === undefined ? ' (not listed anywhere: an extra disclosure)' : `, listed in ${where(d.listedAt, s)}`}`)
  }
  if (s.encryptedDisclosures > 0) lines.push(`  encrypted disclosures (171): ${s.encryptedDisclosures} (not decrypted here)`)
  if (s.problem === undefined) {
    lines.push('  revealed (claims with these disclosures applied, remaining redactions removed; nothing verified):')
    lines.push(block(revealClaims(token.claims, token.disclosures, { hash: token.hash, provider, mode: 'verifier' }).claims, '    '))
  } else {
    lines.push(`  the disclosures do not apply: ${s.problem.code}: ${s.problem.message}`)
  }
  return lines.join('\n')
}
