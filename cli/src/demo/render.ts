/**
 * @module demo/render
 * The readable account of the story: numbered sections with why each step matters, a ✓ or ✗ per
 * verdict, and a closing summary with the verifiers' requests per path and the elapsed time.
 */
import type { DemoReporter, DemoResult, Verdict } from './types.js'

const RULE = '─'.repeat(78)

/** Wraps `text` at `width` columns: the first line starts with `first`, the others with `rest` (default: same). */
export function wrap(text: string, first: string, rest: string = first, width = 78): string {
  const lines: string[] = []
  let line = ''
  const prefix = (): string => (lines.length === 0 ? first : rest)
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && prefix().length + line.length + 1 + word.length > width) {
      lines.push(prefix() + line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(prefix() + line)
  return lines.join('\n')
}

/** A reporter that writes the account as the story runs. */
export function textReporter(write: (s: string) => void, clock: () => number = () => performance.now()): DemoReporter {
  const t0 = clock()
  return {
    section(step, title, why) {
      write(`\n${step}. ${title}   [${((clock() - t0) / 1000).toFixed(1)} s]\n${wrap(why, '   │ ')}\n`)
    },
    note(text) {
      write(wrap(text, '   · ', '     '))
    },
    verdict(v: Verdict) {
      write(wrap(v.summary, `   ${v.ok ? '✓' : '✗'} `, '     '))
      if (!v.ok) write(`     expected: ${v.expected}\n     actual:   ${v.actual}`)
    },
  }
}

/** The header printed before the story starts. */
export function renderHeader(): string {
  return [
    RULE,
    ' e2eid demo: end-to-end identity in an MLS group (IETF MIMI architecture)',
    RULE,
    wrap('An identity authority issues credentials; three people form an end-to-end encrypted MLS group in which each one verifies the others\' credentials and sees only what they chose to disclose. The messaging provider in the middle is treated as an attacker.', ' '),
    '',
    ' Legend:  │ why the step matters   · what happens   ✓ verdict as expected   ✗ not',
  ].join('\n')
}

/** The closing summary: verdict count, what the verifiers fetched, time, and the failure reason if any. */
export function renderSummary(r: DemoResult): string {
  const good = r.verdicts.filter((v) => v.ok).length
  const lines = ['', RULE]
  lines.push(' Verifier requests to the issuer, per path:')
  for (const [path, n] of Object.entries(r.verifierRequests)) lines.push(`   ${String(n).padStart(4)}  GET ${path}`)
  if (Object.keys(r.verifierRequests).length === 0) lines.push('   (none)')
  if (r.keptDir !== undefined) lines.push('', ` Kept for inspection: ${r.keptDir} (issuer/issuer.sqlite, wallets/<name>/wallet.json)`)
  if (r.error !== undefined) lines.push('', ` ✗ The story stopped early: ${r.error.code}: ${r.error.message}`)
  const failed = r.verdicts.filter((v) => !v.ok)
  for (const v of failed) lines.push(` ✗ unexpected verdict ${v.id}: expected ${v.expected}, got ${v.actual}`)
  lines.push('')
  lines.push(r.ok ? ` ✓ All ${good} verdicts as expected, in ${(r.elapsedMs / 1000).toFixed(1)} s.` : ` ✗ ${good} of ${r.verdicts.length} verdicts as expected; the demo FAILED (${(r.elapsedMs / 1000).toFixed(1)} s).`)
  lines.push(RULE)
  return lines.join('\n')
}

/** The `--json` document: the verdict list and the request counts. */
export function jsonResult(r: DemoResult): Record<string, unknown> {
  return {
    ok: r.ok,
    elapsed_ms: r.elapsedMs,
    issuer_url: r.issuerUrl,
    service: r.service,
    verdicts: r.verdicts,
    verifier_requests: r.verifierRequests,
    requests: r.requests,
    ...(r.error !== undefined
      ? { error: r.error }
      : r.ok
        ? {}
        : { error: { code: 'ERR_DEMO_UNEXPECTED_VERDICT', message: r.verdicts.filter((v) => !v.ok).map((v) => `${v.id}: expected ${v.expected}, got ${v.actual}`).join('; ') } }),
  }
}
