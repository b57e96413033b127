#!/usr/bin/env node
// Entry point for `npx e2eid`: runs the compiled CLI (built by `npm install`/`npm ci` through the root `prepare` script).
import { main } from '../dist/main.js'

process.exitCode = await main(process.argv.slice(2))
