/**
 * @module parse-args
 * node:util `parseArgs` as every e2eid command uses it, with one difference: a string option takes the next
 * argument as its value even when that value starts with `-`, as getopt does. Credential ids, key ids and tokens
 * are base64url and begin with `-` one time in 64; strict `parseArgs` refuses `--credential -Xy…` as ambiguous.
 * A next argument that is itself one of the command's options (`--url --json`) is not taken, so a forgotten
 * value is still a usage error.
 */
import type { ParseArgsConfig } from 'node:util'
import { parseArgs } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>

/** `parseArgs(config)` after {@link attachDashValues} on `config.args`. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  // Same config but the args: the result type is that of `config` (the cast only forgets the args rewrite).
  return parseArgs({ ...config, args: attachDashValues(config.args ?? [], config.options ?? {}) } as T)
}

/** Rewrites `--opt -value` as `--opt=-value` and `-o -value` as `-o-value` for the string options in `options`. */
export function attachDashValues(args: readonly string[], options: Options): string[] {
  const byShort = new Map<string, string>()
  for (const [name, o] of Object.entries(options)) if (o.short !== undefined) byShort.set(o.short, name)
  const isOption = (arg: string): boolean =>
    arg === '--' || (arg.startsWith('--') ? Object.hasOwn(options, arg.slice(2).split('=')[0]!) : byShort.has(arg.slice(1, 2)))
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      out.push(...args.slice(i))
      break
    }
    const long = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined
    const name = long ?? (/^-[^-]$/.test(arg) ? byShort.get(arg.slice(1)) : undefined)
    const next = args[i + 1]
    if (name !== undefined && Object.hasOwn(options, name) && options[name]!.type === 'string' && next !== undefined && next.startsWith('-') && next.length > 1 && !isOption(next)) {
      out.push(long !== undefined ? `${arg}=${next}` : `${arg}${next}`)
      i++
      continue
    }
    out.push(arg)
  }
  return out
}
