#!/usr/bin/env node
/**
 * The workspace import graph, checked. For every .ts/.js file of every npm workspace, it reads the
 * import, export-from, import() and require() specifiers (TypeScript's own pre-parser, so comments and strings are
 * not mistaken for imports) and fails on:
 *  - a relative import that leaves the file's workspace (`../../issuer/src/…`): packages meet through their names;
 *  - a forbidden edge, even in tests: @e2eid/wallet or @e2eid/verifier → @e2eid/issuer, @e2eid/verifier →
 *    @e2eid/wallet, @e2eid/shared → any other @e2eid package (cross-package tests live in e2e/);
 *  - an @e2eid package not declared in the importer's package.json (`dependencies`; `devDependencies` too for test
 *    files: *.test.*, test-helpers/, src/testing.ts, and every file of a private workspace such as e2e/);
 *  - a subpath the package does not offer: its package.json `exports`, or `/testing` (the workspace-only test
 *    fixtures in src/testing.ts), which only test files may import.
 * Usage: node scripts/check-imports.mjs [repo-root]. Exit 0 when clean; 1 with `file:line: message` lines.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/
const SKIP_DIRS = new Set(['node_modules', 'dist', 'web-dist', 'test-artifacts', 'coverage'])
const SCOPE = '@e2eid/'

/** Edges no file may have, tests included (importer → imported). `*` means any other @e2eid package. */
const FORBIDDEN = {
  '@e2eid/wallet': ['@e2eid/issuer'],
  '@e2eid/verifier': ['@e2eid/issuer', '@e2eid/wallet'],
  '@e2eid/shared': ['*'],
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, out)
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/** The workspaces of the repository at `root`: folder, package name, manifest. */
function workspaces(root) {
  const globs = readJson(join(root, 'package.json')).workspaces ?? []
  return globs
    .map((w) => resolve(root, w))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJson(join(dir, 'package.json')) }))
    .map((w) => ({ ...w, name: w.manifest.name }))
}

function isTestFile(ws, file) {
  const rel = relative(ws.dir, file).split(sep).join('/')
  return ws.manifest.private === true || /\.test\.[^/]+$/.test(rel) || rel.includes('test-helpers/') || rel === 'src/testing.ts'
}

/** The subpaths a package offers: its `exports` keys, plus `./testing` when it has src/testing.ts. */
function subpaths(ws) {
  const exp = ws.manifest.exports
  const keys = exp === undefined ? ['.'] : typeof exp === 'string' || !Object.keys(exp).some((k) => k.startsWith('.')) ? ['.'] : Object.keys(exp)
  const out = new Set(keys)
  if (existsSync(join(ws.dir, 'src', 'testing.ts'))) out.add('./testing')
  return out
}

/** Violations in the repository at `root`, as `{ file, line, message }` (file relative to root). */
export function checkImports(root) {
  const all = workspaces(root)
  const byName = new Map(all.map((w) => [w.name, w]))
  const violations = []
  for (const ws of all) {
    const declared = { ...ws.manifest.dependencies, ...ws.manifest.peerDependencies, ...ws.manifest.optionalDependencies }
    const declaredForTests = { ...declared, ...ws.manifest.devDependencies }
    for (const file of walk(ws.dir)) {
      const text = readFileSync(file, 'utf8')
      const test = isTestFile(ws, file)
      const report = (pos, message) => {
        const line = text.slice(0, pos).split('\n').length
        violations.push({ file: relative(root, file).split(sep).join('/'), line, message })
      }
      for (const { fileName: spec, pos } of ts.preProcessFile(text, true, true).importedFiles) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec)
          if (target !== ws.dir && !target.startsWith(ws.dir + sep)) {
            const into = all.find((w) => target === w.dir || target.startsWith(w.dir + sep))
            report(pos, into === undefined
              ? `relative import '${spec}' leaves ${ws.name}`
              : `relative import '${spec}' reaches into ${into.name}; import '${into.name}' (or '${into.name}/testing' from tests)`)
          }
          continue
        }
        if (!spec.startsWith(SCOPE)) continue
        const [scope, bare, ...rest] = spec.split('/')
        const name = `${scope}/${bare}`
        const sub = rest.length === 0 ? '.' : `./${rest.join('/')}`
        if (name === ws.name) continue
        const banned = FORBIDDEN[ws.name] ?? []
        if (banned.includes(name) || banned.includes('*')) {
          report(pos, `${ws.name} must not import ${name}, not even in tests (cross-package tests live in e2e/)`)
          continue
        }
        if (!(name in (test ? declaredForTests : declared))) {
          report(pos, `${name} is not declared in ${relative(root, join(ws.dir, 'package.json')).split(sep).join('/')} ${test ? '(dependencies or devDependencies)' : '(dependencies)'}`)
          continue
        }
        const target = byName.get(name)
        if (target === undefined) continue
        if (!subpaths(target).has(sub)) report(pos, `'${spec}': ${name} offers no subpath '${sub}'`)
        else if (sub === './testing' && !test) report(pos, `'${spec}' is for tests only (this file is built)`)
      }
    }
  }
  return violations
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'))
  const violations = checkImports(root)
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`)
  if (violations.length > 0) {
    console.error(`check-imports: ${violations.length} violation(s)`)
    process.exit(1)
  }
  console.log('check-imports: the workspace import graph is clean')
}
