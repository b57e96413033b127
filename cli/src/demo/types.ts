/**
 * @module demo/types
 * The structured result of `e2eid demo`: every expectation the story checks, as a verdict with
 * what was expected and what happened. `--json` prints this; the text account is rendered from it.
 */

/** One checked expectation of the story. */
export interface Verdict {
  /** Stable id, e.g. `issuance:alice`, `verify:bob->carol`, `attack:impersonation`. */
  id: string
  /** The story section it belongs to (1-based). */
  step: number
  /** One line for a newcomer: who proved what to whom, or what was refused. */
  summary: string
  /** What the demo expected, in words or as a code. */
  expected: string
  /** What actually happened. */
  actual: string
  /** True when `actual` is what was expected. */
  ok: boolean
  /** Facts behind the verdict (disclosed claims, error codes, status values…). */
  details?: Record<string, unknown>
}

/** One HTTP request the demo's participants made (the verifier's requests are what the story audits). */
export interface LoggedRequest {
  /** Who sent it: `wallet:alice`, `verifier:bob`, `authority-admin`. */
  who: string
  method: string
  /** e.g. http://127.0.0.1:8080 */
  origin: string
  path: string
  status: number
}

/** The whole story's outcome. */
export interface DemoResult {
  /** True only when every verdict is ok. */
  ok: boolean
  verdicts: Verdict[]
  /** Requests the members' verifiers made to the issuer, counted per path. */
  verifierRequests: Record<string, number>
  /** Every request, in order. */
  requests: LoggedRequest[]
  issuerUrl: string
  /** The messaging service URI that names the KBT / KB-JWT audiences. */
  service: string
  elapsedMs: number
  /** The temp folder, when kept (`--keep`). */
  keptDir?: string
  /** Set when the story stopped early on an unexpected error. */
  error?: { code: string; message: string }
}

/** Where the story reports progress (the text renderer, or nothing for --json). */
export interface DemoReporter {
  /** A new numbered section, with why it matters for the MIMI architecture. */
  section(step: number, title: string, why: string): void
  /** A line of narration (what is happening). */
  note(text: string): void
  /** A verdict as soon as it is known. */
  verdict(v: Verdict): void
}
