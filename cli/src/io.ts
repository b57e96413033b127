/**
 * @module io
 * Where CLI commands write. Tests pass their own to capture output in-process.
 */
export interface CliIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
}

export const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
}
