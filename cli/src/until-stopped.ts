/**
 * @module until-stopped
 * How the long-running commands (`issuer serve`, `verifier serve`, `up`) wait: until Ctrl-C (SIGINT), SIGTERM,
 * or `signal` (tests). The listeners are removed once it resolves, so nothing is left on `process`.
 */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      signal?.removeEventListener('abort', stop)
      resolve()
    }
    if (signal?.aborted === true) return stop()
    signal?.addEventListener('abort', stop, { once: true })
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
