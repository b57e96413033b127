/**
 * @module error-codes
 * Every code the dcql area throws (inside an E2eidError), with what it means and, where it reaches HTTP, its status.
 * specs/errors.md is generated from these lists.
 */
import type { ErrorInfo } from '../errors.js'

export const DCQL_ERRORS = {
  ERR_DCQL_INVALID: { meaning: 'the DCQL query is invalid' },
} as const satisfies Record<string, ErrorInfo>

