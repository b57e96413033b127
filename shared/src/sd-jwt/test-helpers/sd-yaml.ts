/**
 * Test-only: reads the sd-jwt-python test cases with the `yaml` package, keeping their `!sd` tags
 * (a custom tag, on scalars, mappings and sequences): a tagged key is returned with the SD_KEY
 * prefix, a tagged value wrapped in SdTagged. A tagged plain scalar is resolved like an untagged one
 * (`!sd 42` is the number 42, `!sd "42"` the string), as sd-jwt-python's loader does.
 */
import type { CollectionTag, Node, ScalarTag } from 'yaml'
import { isAlias, isMap, isScalar, isSeq, parse, parseDocument } from 'yaml'

const SD_KEY = '\u0000sd:'
class SdTagged {
  constructor(readonly value: unknown) {}
}

const SD = '!sd'
const sdTags: (ScalarTag | CollectionTag)[] = [
  { tag: SD, resolve: (s: string) => s },
  { tag: SD, collection: 'map', resolve: (m) => m },
  { tag: SD, collection: 'seq', resolve: (q) => q },
]

function toTree(node: Node | null): unknown {
  if (node === null) return null
  if (isAlias(node)) throw new Error('sd-yaml: aliases are not used by the test cases')
  const tagged = node.tag === SD
  let v: unknown
  if (isScalar(node)) v = tagged && node.type === 'PLAIN' ? (parse(String(node.value)) as unknown) : node.value
  else if (isSeq(node)) v = node.items.map((x) => toTree(x as Node | null))
  else if (isMap(node)) {
    const out: Record<string, unknown> = {}
    for (const { key, value } of node.items) {
      if (!isScalar(key)) throw new Error('sd-yaml: mapping keys must be scalars')
      out[(key.tag === SD ? SD_KEY : '') + String(key.value)] = toTree(value as Node | null)
    }
    v = out
  } else throw new Error('sd-yaml: unexpected node')
  return tagged ? new SdTagged(v) : v
}

/** Parses one test case (or settings.yml); any YAML error or warning throws. */
export function parseSdYaml(text: string): unknown {
  const doc = parseDocument(text, { customTags: sdTags })
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem !== undefined) throw problem
  return toTree(doc.contents)
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
