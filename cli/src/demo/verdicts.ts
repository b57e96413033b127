/**
 * @module demo/verdicts
 * Collects the story's verdicts. Every expectation is checked explicitly: a verdict is ok only when
 * what happened equals what was expected, and an unexpected outcome is recorded, not hidden.
 */
import { E2eidError } from '@e2eid/shared'
import type { DemoReporter, Verdict } from './types.js'

/** The verdict list of one run, reporting each verdict as it is made. */
export class VerdictBook {
  readonly verdicts: Verdict[] = []
  constructor(private readonly reporter: DemoReporter) {}

  /** Records that `actual` was expected to equal `expected` (compared as JSON). */
  check(v: Omit<Verdict, 'ok' | 'expected' | 'actual'> & { expected: unknown; actual: unknown }): Verdict {
    const expected = typeof v.expected === 'string' ? v.expected : JSON.stringify(v.expected)
    const actual = typeof v.actual === 'string' ? v.actual : JSON.stringify(v.actual)
    const verdict: Verdict = { ...v, expected, actual, ok: expected === actual }
    this.verdicts.push(verdict)
    this.reporter.verdict(verdict)
    return verdict
  }

  get ok(): boolean {
    return this.verdicts.length > 0 && this.verdicts.every((v) => v.ok)
  }
}

/** The outcome of an operation that should be refused: its error code, or `accepted`. */
export async function outcomeCode(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
    return { code: 'accepted', message: 'the operation was accepted' }
  } catch (e) {
    if (e instanceof E2eidError) return { code: e.code, message: e.message }
    return { code: 'unexpected-exception', message: e instanceof Error ? e.message : String(e) }
  }
}
