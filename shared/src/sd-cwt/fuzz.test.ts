/**
 * Property tests: issue → receive → present → verify round trips over random claim sets and redaction
 * choices, and mutations of valid tokens that must only ever give E2eidError.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { E2eidError } from '../errors.js'
import { createNodeCryptoProvider } from '../crypto/node.js'
import type { KeyPair } from '../crypto/jwk.js'
import { hexEncode } from '../encoding/hex.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { readVectorBytes, vectorDir } from '../test-helpers/vectors.js'
import { formatClaimPath } from './path.js'
import { issueSdCwt } from './issue.js'
import { createKbt } from './kbt.js'
import { checkSdCwtReceipt } from './receipt.js'
import { draftIssuerPublic, verificationParams } from './test-helpers/sd-cwt-vectors.js'
import { verifySdCwtPresentation } from './verify.js'
import { parseSdCwt } from './token.js'
import { REDACTED_CLAIM_KEYS } from './constants.js'
import { signCoseSign1Parts } from '../cose/sign1.js'

const FUZZ_RUNS = Number(process.env.E2EID_FUZZ_RUNS ?? 2000)
const node = createNodeCryptoProvider()
let issuer: KeyPair
let holder: KeyPair
beforeAll(async () => {
  issuer = await node.generateKeyPair('EdDSA')
  holder = await node.generateKeyPair('EdDSA')
})

const canon = (v: unknown) => hexEncode(encodeCbor(v, { canonical: true }))
const isTag = (v: unknown, t: number): v is CborTag => v instanceof CborTag && v.tag === t

/** The claims as the holder sees them: markers removed, everything shown, decoys gone. */
function unwrap(v: unknown): unknown {
  if (v instanceof Map) return new Map([...v].filter(([k]) => !isTag(k, 62)).map(([k, x]) => [isTag(k, 58) ? k.value : k, unwrap(x)]))
  if (Array.isArray(v)) return v.filter((x) => !isTag(x, 62)).map((x) => unwrap(isTag(x, 58) ? x.value : x))
  return v
}
/** The claims a verifier sees when nothing is disclosed. */
function strip(v: unknown): unknown {
  if (v instanceof Map) return new Map([...v].filter(([k]) => !isTag(k, 58) && !isTag(k, 62)).map(([k, x]) => [k, strip(x)]))
  if (Array.isArray(v)) return v.filter((x) => !isTag(x, 58) && !isTag(x, 62)).map(strip)
  return v
}
/** Numbers the decoy placeholders 62(0) uniquely across the claim set. */
function numberDecoys(v: unknown, next = { n: 1 }): unknown {
  if (isTag(v, 62)) return new CborTag(62, next.n++)
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [numberDecoys(k, next), numberDecoys(x, next)]))
  if (Array.isArray(v)) return v.map((x) => numberDecoys(x, next))
  if (isTag(v, 58)) return new CborTag(58, numberDecoys(v.value, next))
  return v
}

// Top-level labels never redacted (iss, aud, exp, nbf, iat, cti, cnf, vct, cnonce, status) are kept out: issuance refuses them (tested in issue.test.ts).
const label = fc.oneof(fc.integer({ min: 10, max: 1000 }).filter((n) => n !== 39 && n !== 11), fc.string({ minLength: 1, maxLength: 6 }))
const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.boolean(), fc.uint8Array({ maxLength: 8 }), fc.constant(null))
const claimValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('map'), tie('array')),
  map: fc
    .tuple(fc.uniqueArray(fc.tuple(label, tie('value'), fc.boolean()), { maxLength: 4, selector: (e) => (typeof e[0] === 'number' ? 'n' : 's') + String(e[0]) }), fc.nat({ max: 2 }))
    .map(([entries, decoys]) => {
      const m = new Map<unknown, unknown>(entries.map(([k, v, redact]) => [redact ? new CborTag(58, k) : k, v]))
      for (let i = 0; i < decoys; i++) m.set(new CborTag(62, 0), null)
      return m
    }),
  array: fc
    .array(fc.oneof(fc.tuple(tie('value'), fc.boolean()).map(([v, r]) => (r ? new CborTag(58, v) : v)), fc.constant(new CborTag(62, 0))), { maxLength: 4 })
    .map((a) => a),
})).map

const claimSet = claimValue.map((m) => {
  const claims = numberDecoys(m as Map<unknown, unknown>) as Map<unknown, unknown>
  return new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'https://holder.example'], ...claims])
})

describe('round trips', () => {
  it(`fuzz: issue → receipt shows every claim; KBT with nothing disclosed shows only the unredacted skeleton; disclosing every top-level claim shows everything (${FUZZ_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(claimSet, fc.nat({ max: 2 }), fc.constantFrom('SHA-256' as const, 'SHA-384' as const, 'SHA-512' as const), async (pre, decoys, sdAlg) => {
        const sdCwt = await issueSdCwt({ claims: pre, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node, decoys, sdAlg, now: 1000 })
        const withoutCnf = (m: Map<unknown, unknown>) => new Map([...m].filter(([k]) => k !== 8 && k !== 6))
        const full = await checkSdCwtReceipt(sdCwt, { issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, provider: node, now: 1001 })
        expect(canon(withoutCnf(full.claims))).toBe(canon(unwrap(pre)))
        const vOpts = { issuerKeys: [issuer.publicJwk], provider: node, aud: 'v', now: 1002 }
        const none = await verifySdCwtPresentation(await createKbt({ sdCwt, disclose: [], holderKey: holder.privateJwk, aud: 'v', now: 1001, provider: node }), vOpts)
        expect(canon(withoutCnf(none.claims))).toBe(canon(strip(pre)))
        const everything = [...(unwrap(pre) as Map<unknown, unknown>).keys()].map((k) => formatClaimPath([k as string | number]))
        const all = await verifySdCwtPresentation(await createKbt({ sdCwt, disclose: everything, holderKey: holder.privateJwk, aud: 'v', now: 1001, provider: node }), vOpts)
        expect(canon(withoutCnf(all.claims))).toBe(canon(unwrap(pre)))
        expect(all.disclosures.every((d) => d.disclosure.kind !== 'decoy')).toBe(true)
      }),
      { numRuns: FUZZ_RUNS },
    )
  }, 600_000)
})

describe('CWT Claims (15): claims moved from the payload into the protected header', () => {
  it(`fuzz: an issued claim set split at random between the payload and header 15 (digests too), re-signed, reads the same (${FUZZ_RUNS} runs)`, async () => {
    const S59 = REDACTED_CLAIM_KEYS
    await fc.assert(
      fc.asyncProperty(claimSet, fc.nat({ max: 1 }), fc.infiniteStream(fc.boolean()), async (pre, decoys, coin) => {
        const issued = parseSdCwt(await issueSdCwt({ claims: pre, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node, decoys, now: 1000 }))
        const payload = new Map<unknown, unknown>()
        const header = new Map<unknown, unknown>()
        const flips = coin[Symbol.iterator]()
        for (const [k, v] of issued.claims) {
          if (k === S59) {
            const digests = v as unknown[]
            const toHeader = digests.filter(() => flips.next().value === true)
            const stay = digests.filter((d) => !toHeader.includes(d))
            if (toHeader.length > 0) header.set(S59, toHeader)
            if (stay.length > 0) payload.set(S59, stay)
          } else if (k !== 1 && flips.next().value === true) header.set(k, v)
          else payload.set(k, v)
        }
        const protectedHeaders = new Map(issued.sign1.protectedHeaders)
        protectedHeaders.set(15, header)
        const parts = await signCoseSign1Parts({ protectedHeaders, unprotectedHeaders: issued.sign1.unprotectedHeaders, payload: encodeCbor(payload), key: issuer.privateJwk, provider: node })
        const moved = encodeCbor(new CborTag(18, parts))
        const withoutCnf = (m: Map<unknown, unknown>) => new Map([...m].filter(([k]) => k !== 8 && k !== 6))
        const full = await checkSdCwtReceipt(moved, { issuerKeys: [issuer.publicJwk], holderKey: holder.publicJwk, provider: node, now: 1001 })
        expect(canon(withoutCnf(full.claims))).toBe(canon(unwrap(pre)))
        const vOpts = { issuerKeys: [issuer.publicJwk], provider: node, aud: 'v', now: 1002 }
        const everything = [...(unwrap(pre) as Map<unknown, unknown>).keys()].map((k) => formatClaimPath([k as string | number]))
        const all = await verifySdCwtPresentation(await createKbt({ sdCwt: moved, disclose: everything, holderKey: holder.privateJwk, aud: 'v', now: 1001, provider: node }), vOpts)
        expect(canon(withoutCnf(all.claims))).toBe(canon(unwrap(pre)))
      }),
      { numRuns: FUZZ_RUNS },
    )
  }, 600_000)
})

describe('mutations of valid tokens only ever give E2eidError', () => {
  async function onlyE2eidErrors(bytes: Uint8Array, verify: (b: Uint8Array) => Promise<unknown>): Promise<void> {
    const byteMutation = fc.oneof(
      fc.tuple(fc.constant('flip' as const), fc.nat(), fc.integer({ min: 1, max: 255 })),
      fc.tuple(fc.constant('set' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
      fc.tuple(fc.constant('insert' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
      fc.tuple(fc.constant('delete' as const), fc.nat(), fc.constant(0)),
      fc.tuple(fc.constant('truncate' as const), fc.nat(), fc.constant(0)),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(byteMutation, { minLength: 1, maxLength: 3 }), async (muts) => {
        let b = bytes.slice()
        for (const [op, pos, val] of muts) {
          const i = pos % (b.length + 1)
          if (op === 'flip' && i < b.length) b[i]! ^= val
          else if (op === 'set' && i < b.length) b[i] = val
          else if (op === 'insert') b = new Uint8Array([...b.subarray(0, i), val, ...b.subarray(i)])
          else if (op === 'delete') b = new Uint8Array([...b.subarray(0, i), ...b.subarray(i + 1)])
          else if (op === 'truncate') b = b.slice(0, i)
        }
        let changed = b.length !== bytes.length || b.some((x, j) => x !== bytes[j])
        try {
          await verify(b)
        } catch (e) {
          if (!(e instanceof E2eidError)) throw new Error(`non-E2eidError for mutation ${JSON.stringify(muts)}: ${String(e)}`)
          changed = false
        }
        // Every byte of a KBT is covered by a signature or is structure, so a changed token must not verify.
        expect(changed).toBe(false)
      }),
      { numRuns: FUZZ_RUNS },
    )
  }

  it.skipIf(vectorDir('sd-cwt') === undefined)(`fuzz: byte mutations of the draft-08 KBT (${FUZZ_RUNS} runs)`, async () => {
    const p = verificationParams()
    const opts = { issuerKeys: [draftIssuerPublic()], provider: node, aud: p.expected_kbt_aud, now: p.suggested_verifier_now }
    const kbt = readVectorBytes('sd-cwt/draft-08/kbt.cbor')
    await verifySdCwtPresentation(kbt, opts)
    await onlyE2eidErrors(kbt, (b) => verifySdCwtPresentation(b, opts))
  }, 600_000)

  it(`fuzz: byte mutations of a generated nested KBT with decoys (${FUZZ_RUNS} runs)`, async () => {
    const T58 = (v: unknown) => new CborTag(58, v)
    const claims = new Map<unknown, unknown>([
      [1, 'i'],
      [T58('a'), new Map<unknown, unknown>([[T58('b'), [T58(1), new CborTag(62, 1), 2]], ['c', 1.5]])],
      ['l', [T58(new Map([[T58(5), 'x']])), 'y']],
    ])
    const sdCwt = await issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node, decoys: 1, now: 1000 })
    const kbt = await createKbt({ sdCwt, disclose: ['a.b.0', 'l.0.5'], holderKey: holder.privateJwk, aud: 'v', cnonce: new Uint8Array(8), now: 1001, provider: node })
    const opts = { issuerKeys: [issuer.publicJwk], provider: node, aud: 'v', cnonce: new Uint8Array(8), now: 1002 }
    expect((await verifySdCwtPresentation(kbt, opts)).claims.get('l')).toEqual([new Map([[5, 'x']]), 'y'])
    await onlyE2eidErrors(kbt, (b) => verifySdCwtPresentation(b, opts))
  }, 600_000)

  it(`fuzz: structural mutations (a random sub-value replaced, then re-signed by nobody) give E2eidError (${FUZZ_RUNS} runs)`, async () => {
    const sdCwt = await issueSdCwt({ claims: new Map<unknown, unknown>([[1, 'i'], [new CborTag(58, 'a'), [1, 2]]]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node, now: 1000 })
    const kbt = await createKbt({ sdCwt, disclose: ['a'], holderKey: holder.privateJwk, aud: 'v', now: 1001, provider: node })
    const tree = decodeCbor(kbt)
    const replacement = fc.oneof(fc.integer(), fc.string(), fc.uint8Array({ maxLength: 4 }), fc.constant(null), fc.constant(new Map()), fc.constant([]), fc.constant(new CborTag(60, new Uint8Array(32))))
    await fc.assert(
      fc.asyncProperty(fc.nat(), replacement, async (which, value) => {
        let count = 0
        const swap = (v: unknown): unknown => {
          if (count++ === which) return value
          if (v instanceof CborTag) return new CborTag(v.tag, swap(v.value))
          if (Array.isArray(v)) return v.map(swap)
          if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, swap(x)]))
          return v
        }
        const mutated = encodeCbor(swap(tree))
        if (count <= which) return
        try {
          await verifySdCwtPresentation(mutated, { issuerKeys: [issuer.publicJwk], provider: node, aud: 'v', now: 1002 })
          expect(canon(decodeCbor(mutated))).toBe(canon(tree))
        } catch (e) {
          expect(e).toBeInstanceOf(E2eidError)
        }
      }),
      { numRuns: FUZZ_RUNS },
    )
  }, 600_000)
})
