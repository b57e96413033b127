import { isE2eidError } from '../errors.js'

/**
 * The `code` of the E2eidError that `p` rejects with (or that `p()` throws), `'no error'` when it succeeds, and
 * `non-E2eid <error>` for any other error, which equals no expected code (tests assert exact codes).
 */
export async function errorCode(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    if (typeof p === 'function') p()
    else await p
  } catch (e) {
    return isE2eidError(e) ? e.code : `non-E2eid ${String(e)}`
  }
  return 'no error'
}
