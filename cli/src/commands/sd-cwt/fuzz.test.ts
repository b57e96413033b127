/**
 * fuzz: bad input to `e2eid sd-cwt` never crashes. Claims files, PATH lists, token and key files, and byte
 * mutations of the golden KBT end in a result or an E2eidError (exit 1 with {"error":{code,message}}), never in
 * another exception. `npm run fuzz` runs 100,000 cases each (E2EID_FUZZ_RUNS).
 */
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { E2eidError, hexDecode, hexEncode, parsePrivateJwk, verifySdCwtPresentation } from '@e2eid/shared'
import { createNodeCryptoProvider } from '@e2eid/shared/node'
import { describe, expect, it } from 'vitest'
import { parseClaimsFile } from './claims-json.js'
import { parsePrivateKeyFile, parsePublicKeyFile, parseTokenFile } from './files.js'
import { issueFromClaimsFile, splitPaths, verifyKbt } from './ops.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 300)
const TIMEOUT = Math.max(30_000, RUNS * 20)
const DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../../..'), 'specs/vectors/sd-cwt')
const provider = createNodeCryptoProvider()

function onlyE2eidError(f: () => unknown): void {
  try {
    f()
  } catch (e) {
    if (!(e instanceof E2eidError)) throw e
  }
}

async function onlyE2eidErrorAsync(f: () => Promise<unknown>): Promise<void> {
  try {
    await f()
  } catch (e) {
    if (!(e instanceof E2eidError)) throw e
  }
}

const label = fc.oneof(fc.integer({ min: -70000, max: 70000 }).map(String), fc.string({ maxLength: 8 }), fc.constantFrom('"1"', '"a.b"', 'bstr', 'tag', 'value'))
const claimValue = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.record({ bstr: fc.oneof(fc.base64String(), fc.string()) }),
    fc.record({ tag: fc.oneof(fc.nat(100), fc.constant(58), fc.constant(-1)), value: fc.jsonValue({ maxDepth: 1 }) }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(label, tie('v'), { maxKeys: 4 }),
  ),
})).v
const path = fc.oneof(fc.string({ maxLength: 12 }), fc.array(label, { minLength: 1, maxLength: 3 }).map((s) => s.join('.')))

describe('fuzz: e2eid sd-cwt input parsing never throws anything but E2eidError', () => {
  it('fuzz: arbitrary text as a claims file', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (t) => onlyE2eidError(() => parseClaimsFile(t))), { numRuns: RUNS })
  }, TIMEOUT)

  it('fuzz: structured claims files (random claims, redact PATHs, decoys, validFor) parse and issue or give an E2eidError', async () => {
    const keys = {
      issuer: parsePrivateJwk(JSON.parse(await readFile(join(DIR, 'keys/issuer.private.jwk.json'), 'utf8'))),
      holder: parsePrivateJwk(JSON.parse(await readFile(join(DIR, 'keys/holder.private.jwk.json'), 'utf8'))),
    }
    const file = fc.record(
      {
        claims: fc.dictionary(label, claimValue, { maxKeys: 6 }),
        redact: fc.array(path, { maxLength: 4 }),
        decoys: fc.dictionary(path, fc.integer({ min: -1, max: 3 }), { maxKeys: 2 }),
        validFor: fc.oneof(fc.integer({ min: -5, max: 100000 }), fc.constant(1.5)),
      },
      { requiredKeys: ['claims'] },
    )
    await fc.assert(
      fc.asyncProperty(file, fc.nat(3), (f, decoys) =>
        onlyE2eidErrorAsync(() => issueFromClaimsFile({ claimsText: JSON.stringify(f), issuerKey: keys.issuer, holderKey: keys.holder, decoys, now: 1767225600, provider })),
      ),
      { numRuns: Math.ceil(RUNS / 3) },
    )
  }, TIMEOUT)

  it('fuzz: --disclose values', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => onlyE2eidError(() => splitPaths(s))), { numRuns: RUNS })
  }, TIMEOUT)

  it('fuzz: arbitrary bytes as token and key files', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string().map((s) => new TextEncoder().encode(s)), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF \n'), maxLength: 300 }).map((s) => new TextEncoder().encode(s))), (b) => {
        onlyE2eidError(() => parseTokenFile(b))
        onlyE2eidError(() => parsePublicKeyFile(b))
        onlyE2eidError(() => parsePrivateKeyFile(b))
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT)

  it('fuzz: byte mutations of the golden KBT are rejected with an E2eidError (or still verify when only unsigned bytes changed)', async () => {
    const kbt = hexDecode(await readFile(join(DIR, 'kbt.hex'), 'utf8'))
    const issuerKey = JSON.parse(await readFile(join(DIR, 'keys/issuer.public.jwk.json'), 'utf8')) as Parameters<typeof verifyKbt>[0]['issuerKey']
    const params = JSON.parse(await readFile(join(DIR, 'params.json'), 'utf8')) as { verify: { now: number; aud: string; nonce: string } }
    const input = { issuerKey, aud: params.verify.aud, cnonce: hexDecode(params.verify.nonce), now: params.verify.now, provider }
    await fc.assert(
      fc.asyncProperty(fc.nat(kbt.length - 1), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const m = Uint8Array.from(kbt)
        m[i] = m[i]! ^ x
        try {
          await verifyKbt({ kbt: m, ...input })
          // Accepted: then the library agrees, and the change was outside both signatures.
          await verifySdCwtPresentation(m, { issuerKeys: [issuerKey], aud: input.aud, cnonce: input.cnonce, now: input.now, skew: 60, provider })
        } catch (e) {
          if (!(e instanceof E2eidError)) throw new Error(`mutation at ${i} (${hexEncode(m.subarray(i, i + 1))}) threw ${String(e)}`)
        }
      }),
      { numRuns: RUNS },
    )
    expect(RUNS).toBeGreaterThan(0)
  }, TIMEOUT)
})
