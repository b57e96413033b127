/**
 * @module command-help
 * One table per subcommand, the single source of both its parser options (node:util parseArgs) and its `--help`
 * text: an option cannot be parsed without a description, and the help cannot name an option the parser refuses.
 */

/** One option: what parseArgs needs (type, short, multiple) plus its help (value placeholder, description, default). */
export interface OptionHelp {
  readonly type: 'string' | 'boolean'
  readonly short?: string
  readonly multiple?: boolean
  /** The value's placeholder in the help (`N`, `FILE`); string options only. */
  readonly arg?: string
  /** One sentence: what the option means. */
  readonly desc: string
  /** The default when the option is absent, as the help shows it (not applied by the parser). */
  readonly defaultIs?: string
}

export type OptionTable = Readonly<Record<string, OptionHelp>>

/** A subcommand's help: its synopsis (after `usage: `), what it does, its options, optional closing notes. */
export interface CommandHelp<T extends OptionTable = OptionTable> {
  readonly usage: string
  readonly summary: string
  readonly options: T
  readonly notes?: string
}

/** `-h, --help`, accepted by every subcommand. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h', desc: 'Print this help and exit 0.' } } as const satisfies OptionTable

/** Keeps the literal types of a table (so parseArgs types its values) while checking it is one. */
export function defineCommand<const T extends OptionTable>(c: CommandHelp<T>): CommandHelp<T> {
  return c
}

/**
 * The parseArgs `options` of a table: only type, short and multiple reach the parser (the help fields, and in
 * particular `defaultIs`, must not: parseArgs would apply a `default`). Typed as the table so values stay typed.
 */
export function parserOptions<T extends OptionTable>(table: T): T {
  const out: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {}
  for (const [name, o] of Object.entries(table)) {
    out[name] = { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.multiple === undefined ? {} : { multiple: o.multiple }) }
  }
  return out as unknown as T
}

/** The union of several tables (a parser shared by sibling subcommands, e.g. `issuer user add|list|…`). */
export function mergeOptions<T extends OptionTable>(...tables: readonly OptionTable[]): T {
  return Object.assign({}, ...tables) as T
}

/** True when the arguments ask for help (`--help` or `-h` before any `--`). */
export function asksForHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false
    if (a === '--help' || a === '-h') return true
  }
  return false
}

/** The left column of an option line: `-h, --help`, `--port N`, `--set IDX=VAL (repeatable)`. */
export function optionLabel(name: string, o: OptionHelp): string {
  const long = `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`
  return `${o.short === undefined ? '' : `-${o.short}, `}${long}${o.multiple === true ? ' (repeatable)' : ''}`
}

const WIDTH = 100
const COLUMN = 30

function wrap(text: string, indent: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(line)
  return lines
}

/** The `--help` text of a subcommand: usage line, summary, one line (or more) per option, notes. */
export function helpText(c: CommandHelp, withHelpOption = true): string {
  const table: OptionTable = withHelpOption ? { ...c.options, ...HELP_OPTION } : c.options
  const out = [`usage: ${c.usage}`, '', ...wrap(c.summary, 0), '', 'options:']
  for (const [name, o] of Object.entries(table)) {
    const label = `  ${optionLabel(name, o)}`
    const text = wrap(`${o.desc}${o.defaultIs === undefined ? '' : ` Default: ${o.defaultIs}.`}`, COLUMN)
    const pad = ' '.repeat(COLUMN)
    if (label.length < COLUMN - 1) out.push(label.padEnd(COLUMN) + (text[0] ?? ''), ...text.slice(1).map((l) => pad + l))
    else out.push(label, ...text.map((l) => pad + l))
  }
  if (c.notes !== undefined) out.push('', c.notes.trimEnd())
  return `${out.join('\n')}\n`
}

/** `--log-level`, for the serve commands (see logging.ts). */
export const LOG_LEVEL_OPTION = {
  'log-level': {
    type: 'string',
    arg: 'LEVEL',
    desc: 'How much the server logs: fatal, error, warn, info, debug, trace or silent.',
    defaultIs: '$E2EID_LOG_LEVEL, else info',
  },
} as const satisfies OptionTable
