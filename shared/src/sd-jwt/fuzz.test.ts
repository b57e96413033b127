/**
 * fuzz: mutated presentations, arbitrary payloads and arbitrary holder input give only
 * E2eidError (never a TypeError, RangeError or a silent accept). Runs: E2EID_FUZZ_RUNS (default 2000).
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { base64urlEncode } from '../encoding/base64url.js'
import { utf8Encode } from '../encoding/bytes.js'
import { isE2eidError } from '../errors.js'
import type { Disclosure } from './disclosure.js'
import { decodeDisclosure } from './disclosure.js'
import { presentSdJwt } from './present.js'
import { processSdJwtPayload } from './process.js'
import { AUD, createForge, NONCE, NOW } from './test-helpers/forge.js'
import type { Forge } from './test-helpers/forge.js'
import { checkSdJwtVcReceipt, presentSdJwtVc } from './vc-holder.js'
import { issueSdJwtVc } from './vc-issue.js'
import { verifySdJwtVcPresentation } from './vc-verify.js'

const RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const provider = createNodeCryptoProvider()
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const b64json = (v: unknown): string => base64urlEncode(utf8Encode(JSON.stringify(v) ?? 'null'))

let f: Forge
let vc: string
let presentation: string
beforeAll(async () => {
  f = await createForge(provider)
  vc = await issueSdJwtVc({
    provider,
    claims: { email: 'a@example.com', address: { locality: 'X', country: 'DE' }, nationalities: ['DE', 'FR'] },
    disclosable: ['email', 'address', 'address.country', 'nationalities.0', 'nationalities.1'],
    decoys: 2,
    issuerKey: f.issuer.privateJwk,
    iss: 'https://issuer.example',
    vct: 'https://e2eid.example/identity',
    holderKey: f.holder.publicJwk,
    iat: NOW - 10,
    exp: NOW + 3600,
    status: { idx: 3, uri: 'https://issuer.example/status/1' },
  })
  presentation = await presentSdJwtVc({ provider, sdJwtVc: vc, disclose: ['address.country', 'nationalities.1'], holderKey: f.holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW })
})

const policy = () => ({ provider, issuerKeys: [f.issuer.publicJwk], aud: AUD, nonce: NONCE, now: NOW })

async function onlyE2eidErrors(p: Promise<unknown>): Promise<'ok' | 'rejected'> {
  try {
    await p
    return 'ok'
  } catch (e) {
    if (!isE2eidError(e)) throw e
    expect(e.code).toMatch(/^ERR_[A-Z0-9_]+$/)
    return 'rejected'
  }
}

/** One mutation of a compact SD-JWT+KB. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('char' as const), pos: fc.nat(), ch: fc.constantFrom(...B64, '~', '.', '=', ' ', 'é') }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), a: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), a: fc.nat() }),
  fc.record({ kind: fc.constant('component' as const), a: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('segment' as const), a: fc.nat(), seg: fc.nat(2), value: fc.jsonValue({ maxDepth: 3 }) }),
)

function mutate(t: string, m: fc.Arbitrary<unknown> extends never ? never : Record<string, unknown> & { kind: string }): string {
  const parts = t.split('~')
  const at = (n: number) => n % parts.length
  switch (m.kind) {
    case 'char': {
      const p = (m.pos as number) % t.length
      return t.slice(0, p) + (m.ch as string) + t.slice(p + 1)
    }
    case 'delete': {
      const p = (m.pos as number) % t.length
      return t.slice(0, p) + t.slice(p + (m.len as number))
    }
    case 'insert': {
      const p = (m.pos as number) % (t.length + 1)
      return t.slice(0, p) + (m.text as string) + t.slice(p)
    }
    case 'swap': {
      const a = at(m.a as number)
      const b = at(m.b as number)
      ;[parts[a], parts[b]] = [parts[b]!, parts[a]!]
      return parts.join('~')
    }
    case 'drop':
      parts.splice(at(m.a as number), 1)
      return parts.join('~')
    case 'dup': {
      const a = at(m.a as number)
      parts.splice(a, 0, parts[a]!)
      return parts.join('~')
    }
    case 'component':
      parts[at(m.a as number)] = b64json(m.value)
      return parts.join('~')
    default: {
      const a = at(m.a as number)
      const segs = parts[a]!.split('.')
      segs[(m.seg as number) % segs.length] = b64json(m.value)
      parts[a] = segs.join('.')
      return parts.join('~')
    }
  }
}

describe('fuzz', () => {
  it('fuzz: mutated SD-JWT+KB presentations are rejected with E2eidError only', async () => {
    expect((await verifySdJwtVcPresentation(presentation, policy())).status).toEqual({ idx: 3, uri: 'https://issuer.example/status/1' })
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        let t = presentation
        for (const m of ms) t = mutate(t, m as Record<string, unknown> & { kind: string })
        const outcome = await onlyE2eidErrors(verifySdJwtVcPresentation(t, policy()))
        if (t !== presentation) expect(outcome).toBe('rejected')
      }),
      { numRuns: RUNS },
    )
  })

  it('fuzz: mutated issued credentials give only E2eidError on receipt and on presentation', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const t = mutate(vc, m as Record<string, unknown> & { kind: string })
        const outcome = await onlyE2eidErrors(checkSdJwtVcReceipt(t, { provider, issuerKeys: [f.issuer.publicJwk], holderKey: f.holder.publicJwk, now: NOW }))
        if (t !== vc && outcome === 'ok') {
          // only re-ordered or withheld disclosures may pass on receipt (nothing binds the set yet)
          const original = new Set(vc.split('~'))
          const got = t.split('~')
          expect(got[0]).toBe(vc.split('~')[0])
          for (const part of got) expect(original.has(part)).toBe(true)
          expect(new Set(got).size).toBe(got.length)
        }
        await onlyE2eidErrors(presentSdJwt({ provider, sdJwt: t, disclose: ['address.country'], holderKey: f.holder.privateJwk, aud: AUD, nonce: NONCE, iat: NOW }))
      }),
      { numRuns: RUNS },
    )
  })

  it('fuzz: arbitrary payloads and disclosures processed give a result or E2eidError', () => {
    const disclosureArb = fc.oneof(
      fc.tuple(fc.string(), fc.string(), fc.jsonValue({ maxDepth: 3 })).map((a) => a as unknown),
      fc.tuple(fc.string(), fc.jsonValue({ maxDepth: 3 })).map((a) => a as unknown),
      fc.jsonValue({ maxDepth: 2 }),
    )
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), fc.array(disclosureArb, { maxLength: 4 }), fc.boolean(), (payload, raw, link) => {
        const ds: Disclosure[] = []
        try {
          for (const r of raw) ds.push(decodeDisclosure(provider, 'SHA-256', b64json(r)))
          // link the disclosures into the payload some of the time so the processing paths are reached
          const p: Record<string, unknown> = link ? { ...payload, _sd: ds.map((d) => d.digest), arr: ds.map((d) => ({ '...': d.digest })) } : payload
          processSdJwtPayload(p, ds)
        } catch (e) {
          if (!isE2eidError(e)) throw e
        }
      }),
      { numRuns: RUNS },
    )
  })
})
