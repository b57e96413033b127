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
}

/**
 * The error every e2eid decoder, verifier and endpoint throws for bad input.
 * `code` is an upper-snake-case string such as `ERR_CBOR_DUPLICATE_KEY`, one per rejection path.
 */
export class E2eidError extends Error {
  override readonly name = 'E2eidError'
  readonly code: string
  readonly status: number | undefined

  constructor(code: string, message: string, options: E2eidErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status
  }

  /** JSON shape used by the CLI and HTTP APIs: `{"error":{"code","message"}}`. */
  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } }
  }
}

/** True when `e` is an {@link E2eidError}, optionally with the given code. */
export function isE2eidError(e: unknown, code?: string): e is E2eidError {
  return e instanceof E2eidError && (code === undefined || e.code === code)
}
