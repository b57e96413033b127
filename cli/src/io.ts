/**
 * @module io
 * Where CLI commands write. Tests pass their own to capture output in-process.
 */
export interface CliIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
  /** True when stdout is a terminal (interactive output such as QR codes is printed only then). Default false. */
  isTTY?: boolean
}

export const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
  isTTY: process.stdout.isTTY === true,
}
