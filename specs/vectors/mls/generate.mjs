#!/usr/bin/env node
// Regenerates the golden MLS Credential vectors in this folder from ../sd-cwt/kbt.cbor and
// ../sd-jwt-vc/presentation.txt (regenerate those first if their inputs changed). Run from the repository root
// after `npx tsc -b`:  node specs/vectors/mls/generate.mjs
// The same generation runs in cli/src/vectors/mls.test.ts, which compares it with these files.
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateMlsGoldenVectors, readMlsGoldenInputs } from '../../../cli/dist/vectors/mls.js'

const dir = dirname(fileURLToPath(import.meta.url))
const files = generateMlsGoldenVectors(await readMlsGoldenInputs(dir))
for (const [name, content] of files) {
  await writeFile(join(dir, name), content)
  console.log(`wrote ${join('specs/vectors/mls', name)}`)
}
