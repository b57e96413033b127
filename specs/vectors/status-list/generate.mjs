#!/usr/bin/env node
// Regenerates the golden Token Status List vectors in this folder from params.json, the STORED compressed list
// list.zlib and the test-only issuer key of ../sd-cwt/keys. Run from the repository root after `npx tsc -b`:
//   node specs/vectors/status-list/generate.mjs               # signs over the stored list.zlib (reproducible)
//   node specs/vectors/status-list/generate.mjs --recompress  # remakes list.zlib with this Node's zlib (level 9)
// Compressed bytes depend on the zlib build, so only --recompress depends on it. cli/src/vectors/status-list.test.ts
// runs the same generation (without --recompress) and compares it with these files.
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { generateStatusListGoldenVectors, readStatusListGoldenInputs } from '../../../cli/dist/vectors/status-list.js'

const dir = dirname(fileURLToPath(import.meta.url))
const recompress = process.argv.includes('--recompress')
const files = await generateStatusListGoldenVectors(await readStatusListGoldenInputs(dir), createNodeCryptoProvider(), { recompress })
for (const [name, content] of files) {
  await writeFile(join(dir, name), content)
  console.log(`wrote ${join('specs/vectors/status-list', name)}`)
}
