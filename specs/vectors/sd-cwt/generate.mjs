#!/usr/bin/env node
// Regenerates the golden vectors in this folder from claims.json, params.json, salts.json and keys/ (test-only).
// Run from the repository root after `npx tsc -b`:  node specs/vectors/sd-cwt/generate.mjs
// The same generation runs in cli/src/commands/sd-cwt/golden.test.ts, which compares it with these files.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { generateGoldenVectors, readGoldenInputs } from '../../../cli/dist/commands/sd-cwt/golden.js'

const dir = dirname(fileURLToPath(import.meta.url))
const files = await generateGoldenVectors(await readGoldenInputs(dir), createNodeCryptoProvider())
await mkdir(join(dir, 'negative'), { recursive: true })
for (const [name, content] of files) {
  await writeFile(join(dir, name), content)
  console.log(`wrote ${join('specs/vectors/sd-cwt', name)}`)
}
