/**
 * @module logging
 * The servers' logger as the serve commands set it up: `--log-level` (else $E2EID_LOG_LEVEL, else info); JSON lines
 * on stdout, or one readable line per record when stdout is a terminal.
 */
import { LOG_LEVELS, createLogger, isLogLevel } from '@e2eid/shared/node'
import type { Logger } from '@e2eid/shared/node'
import { UsageError } from './errors.js'

/** Test hook: where the serve commands' logs go (default stdout). */
let destination: { write(line: string): void } | undefined
/** Sets where log lines go (tests); returns the previous destination. */
export function setLogDestination(d: { write(line: string): void } | undefined): { write(line: string): void } | undefined {
  const prev = destination
  destination = d
  return prev
}

/** The logger of a serve command: the flag wins over E2EID_LOG_LEVEL; a bad level is a usage error. */
export function serverLogger(flag: string | undefined, env: Record<string, string | undefined>, service?: string): Logger {
  const fromEnv = env.E2EID_LOG_LEVEL === '' ? undefined : env.E2EID_LOG_LEVEL
  const level = flag ?? fromEnv ?? 'info'
  if (!isLogLevel(level)) throw new UsageError(`${flag !== undefined ? '--log-level' : 'E2EID_LOG_LEVEL'} must be one of ${LOG_LEVELS.join(', ')}`)
  return createLogger({ level, ...(service === undefined ? {} : { base: { service } }), ...(destination === undefined ? {} : { destination, pretty: false }) })
}
