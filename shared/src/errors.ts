/**
 * @module errors
 * One error class for every rejection in e2eid. `code` is stable and is what
 * callers (and tests) branch on; `message` is for people. Never map messages to codes.
 *
 * Every code is listed once, with its meaning and HTTP status, in an `as const` list of the area that throws it
 * (`<area>/error-codes.ts`; issuer, wallet, verifier and cli have one each). {@link ErrorCodeRegistry} is the union
 * of their keys: shared's lists are in it here, each other package adds its own by declaration merging, so
 * `new E2eidError('ERR_TYPO', …)` does not compile anywhere. specs/errors.md is generated from the lists.
 */
import type { SharedErrorCode } from './error-codes.js'

/** One entry of an area's error list: what the code means and, when it crosses HTTP, its status. */
export interface ErrorInfo {
  readonly meaning: string
  readonly status?: number
}

/**
 * The known codes (keys; values are `true`). Packages add theirs:
 * `declare module '@e2eid/shared' { interface ErrorCodeRegistry extends Record<IssuerErrorCode, true> {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodeRegistry extends Record<SharedErrorCode, true> {}

/** Every code an {@link E2eidError} can carry. */
export type ErrorCode = keyof ErrorCodeRegistry & string

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
  readonly code: ErrorCode
  readonly status: number | undefined
  readonly hint: string | undefined

  constructor(code: ErrorCode, message: string, options: E2eidErrorOptions = {}) {
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
export function isE2eidError(e: unknown, code?: ErrorCode): e is E2eidError {
  return e instanceof E2eidError && (code === undefined || e.code === code)
}

/** One problem a schema found: where (`path`) and what. */
export interface SchemaIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/** Anything with zod's `safeParse` shape (typed structurally so that shared needn't depend on a schema library). */
export interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<SchemaIssue> } }
}

/** Builds the error {@link parseWith} throws (the issuer's OAuthError, for instance); an E2eidError by default. */
export type ErrorFactory = (code: ErrorCode, message: string) => Error

/**
 * Parses untrusted `value` with `schema`, or throws `code`. The message is `describe(first issue)`, or, for a
 * string `describe`, `describe: path: issue message`. The one place input meets a schema: no hand-written
 * safeParse-and-throw elsewhere.
 */
export function parseWith<T>(
  schema: SafeParser<T>,
  value: unknown,
  code: ErrorCode,
  describe: string | ((issue: SchemaIssue | undefined) => string) = 'invalid input',
  toError: ErrorFactory = (c, m) => new E2eidError(c, m),
): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const message = typeof describe === 'function' ? describe(issue) : `${describe}: ${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`
  throw toError(code, message)
}
