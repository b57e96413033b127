/**
 * Test-only: a YAML subset reader for the sd-jwt-python test cases (block maps and sequences,
 * flow `[...]`/`{...}`, quoted and plain scalars, comments) that keeps the `!sd` tags: a tagged
 * key is returned with the SD_KEY prefix, a tagged value wrapped in SdTagged. No YAML package is
 * installed and the cases use only this subset; anything else throws.
 */
const SD_KEY = '\u0000sd:'
class SdTagged {
  constructor(readonly value: unknown) {}
}

interface Line {
  indent: number
  text: string
}

function stripComment(s: string): string {
  let q: string | undefined
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (q !== undefined) {
      if (c === q) q = undefined
    } else if (c === '"' || c === "'") q = c
    else if (c === '#' && (i === 0 || s[i - 1] === ' ')) return s.slice(0, i)
  }
  return s
}

function scalar(raw: string): unknown {
  const t = raw.trim()
  if (t.startsWith('"')) return JSON.parse(t) as unknown
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'")
  if (t === '' || t === 'null' || t === 'None' || t === '~') return null
  if (/^(true|True)$/.test(t)) return true
  if (/^(false|False)$/.test(t)) return false
  if (/^[-+]?[0-9]+$/.test(t)) return Number(t)
  if (/^[-+]?[0-9]*\.[0-9]+$/.test(t)) return Number(t)
  return t
}

/** Parses a flow value (`[...]`, `{...}`, a scalar), tags included. */
function flow(src: string): unknown {
  let i = 0
  const ws = () => {
    while (src[i] === ' ') i++
  }
  const tag = (): boolean => {
    ws()
    if (src.startsWith('!sd', i) && (src[i + 3] === ' ' || src[i + 3] === undefined)) {
      i += 3
      ws()
      return true
    }
    return false
  }
  const value = (stop: string): unknown => {
    const tagged = tag()
    let v: unknown
    if (src[i] === '[') {
      i++
      const arr: unknown[] = []
      ws()
      if (src[i] === ']') i++
      else
        for (;;) {
          arr.push(value(',]'))
          ws()
          if (src[i++] === ']') break
        }
      v = arr
    } else if (src[i] === '{') {
      i++
      const obj: Record<string, unknown> = {}
      ws()
      if (src[i] === '}') i++
      else
        for (;;) {
          const kTagged = tag()
          const k = value(':') as string
          i++ // ':'
          obj[(kTagged ? SD_KEY : '') + k] = value(',}')
          ws()
          if (src[i++] === '}') break
        }
      v = obj
    } else if (src[i] === '"' || src[i] === "'") {
      const q = src[i]!
      let j = i + 1
      while (src[j] !== q || (q === '"' && src[j - 1] === '\\')) j++
      v = scalar(src.slice(i, j + 1))
      i = j + 1
    } else {
      let j = i
      while (j < src.length && !stop.includes(src[j]!)) j++
      v = scalar(src.slice(i, j))
      i = j
    }
    return tagged ? new SdTagged(v) : v
  }
  const v = value('')
  ws()
  if (i !== src.length) throw new Error(`mini-yaml: trailing text in ${JSON.stringify(src)}`)
  return v
}

const KEY = /^(!sd\s+)?("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'[{!-][^:]*|-[^\s:][^:]*):(?:\s+(.*))?$/

/** Parses the YAML subset. */
export function parseMiniYaml(text: string): unknown {
  const lines: Line[] = []
  for (const raw of text.split('\n')) {
    const s = stripComment(raw).replace(/\s+$/, '')
    if (s.trim() === '') continue
    lines.push({ indent: s.length - s.trimStart().length, text: s.trimStart() })
  }
  let pos = 0

  function block(indent: number): unknown {
    const l = lines[pos]
    if (l === undefined || l.indent < indent) return null
    return l.text === '-' || l.text.startsWith('- ') ? seq(l.indent) : map(l.indent)
  }

  function valueAfter(rest: string | undefined, indent: number): unknown {
    if (rest === undefined || rest === '') return block(indent + 1)
    if (rest === '!sd') return new SdTagged(block(indent + 1))
    return flow(rest)
  }

  function map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    while (pos < lines.length && lines[pos]!.indent === indent && !lines[pos]!.text.startsWith('- ')) {
      const m = KEY.exec(lines[pos]!.text)
      if (m === null) throw new Error(`mini-yaml: cannot parse ${JSON.stringify(lines[pos]!.text)}`)
      pos++
      const key = String(scalar(m[2]!))
      out[(m[1] ? SD_KEY : '') + key] = valueAfter(m[3], indent)
    }
    return out
  }

  function seq(indent: number): unknown[] {
    const out: unknown[] = []
    while (pos < lines.length && lines[pos]!.indent === indent && (lines[pos]!.text === '-' || lines[pos]!.text.startsWith('- '))) {
      let item = lines[pos]!.text.slice(1).trimStart()
      let tagged = false
      if (item === '!sd' || item.startsWith('!sd ')) {
        const after = item.slice(3).trimStart()
        // `- !sd key: v` tags the key of a mapping item, `- !sd value` tags the item
        if (!KEY.test(item) || after.startsWith('{') || after.startsWith('[')) {
          tagged = true
          item = after
        }
      }
      let v: unknown
      if (item === '') {
        pos++
        v = block(indent + 1)
      } else if (KEY.test(item) && !item.startsWith('[') && !item.startsWith('{')) {
        // a mapping that starts on the dash line: re-read the line at the item's column
        const col = lines[pos]!.text.length - item.length + indent
        lines[pos] = { indent: col, text: item }
        v = map(col)
      } else {
        pos++
        v = flow(item)
      }
      out.push(tagged ? new SdTagged(v) : v)
    }
    return out
  }

  const v = block(0)
  if (pos !== lines.length) throw new Error(`mini-yaml: unparsed line ${JSON.stringify(lines[pos])}`)
  return v
}

/** Splits a parsed `user_claims` tree into plain claims and the paths marked `!sd`. */
export function claimsAndSdPaths(tree: unknown): { claims: Record<string, unknown>; disclosable: (string | number)[][] } {
  const disclosable: (string | number)[][] = []
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (v instanceof SdTagged) {
      disclosable.push(path)
      return walk(v.value, path)
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]))
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) {
        const sd = k.startsWith(SD_KEY)
        const name = sd ? k.slice(SD_KEY.length) : k
        if (sd) disclosable.push([...path, name])
        out[name] = walk(x, [...path, name])
      }
      return out
    }
    return v
  }
  return { claims: walk(tree, []) as Record<string, unknown>, disclosable }
}

/** sd-jwt-python `holder_disclosed_claims` → claim paths (true discloses, false/None does not). */
export function holderPaths(spec: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = []
  const visit = (v: unknown, p: (string | number)[]): void => {
    if (v === true) out.push(p)
    else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...p, i]))
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) visit(x, [...p, k])
  }
  if (typeof spec === 'object' && spec !== null) for (const [k, x] of Object.entries(spec)) visit(x, [...path, k])
  return out
}
