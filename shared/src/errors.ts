/**
 * @module errors
 * One error class for every rejection in e2eid. `code` is stable and is what
 * callers (and tests) branch on; `message` is for people. Never map messages to codes.
 */

/** Options for {@link E2eidError}. */
export interface E2eidErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown
  /** HTTP status when the error crosses an HTTP boundary (always 4xx for bad input). */
  status?: number
  /** What the person can do about it (e.g. the flag to change), shown by the CLI next to the message. */
  hint?: string
}

/**
 * The error every e2eid decoder, verifier and endpoint throws for bad input.
 * `code` is an upper-snake-case string such as `ERR_CBOR_DUPLICATE_KEY`, one per rejection path.
 */
export class E2eidError extends Error {
  override readonly name = 'E2eidError'
  readonly code: string
  readonly status: number | undefined
  readonly hint: string | undefined

  constructor(code: string, message: string, options: E2eidErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status
    this.hint = options.hint
  }

  /** JSON shape used by the CLI and HTTP APIs: `{"error":{"code","message","hint"?}}` (hint only when set). */
  toJSON(): { error: { code: string; message: string; hint?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.hint === undefined ? {} : { hint: this.hint }) } }
  }
}

/** True when `e` is an {@link E2eidError}, optionally with the given code. */
export function isE2eidError(e: unknown, code?: string): e is E2eidError {
  return e instanceof E2eidError && (code === undefined || e.code === code)
}
