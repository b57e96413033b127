#!/usr/bin/env node
// Regenerates the golden SD-JWT VC vectors in this folder from claims.json, params.json, salts.json and the
// test-only keys of ../sd-cwt/keys. Run from the repository root after `npx tsc -b`:
//   node specs/vectors/sd-jwt-vc/generate.mjs
// The same generation runs in cli/src/vectors/sd-jwt-vc.test.ts, which compares it with these files.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { generateSdJwtVcGoldenVectors, readSdJwtVcGoldenInputs } from '../../../cli/dist/vectors/sd-jwt-vc.js'

const dir = dirname(fileURLToPath(import.meta.url))
const files = await generateSdJwtVcGoldenVectors(await readSdJwtVcGoldenInputs(dir), createNodeCryptoProvider())
await mkdir(join(dir, 'negative'), { recursive: true })
for (const [name, content] of files) {
  await writeFile(join(dir, name), content)
  console.log(`wrote ${join('specs/vectors/sd-jwt-vc', name)}`)
}
