import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { hexDecode, hexEncode } from '../encoding/hex.js'
import { decodeCbor } from '../cbor/decode.js'
import { encodeCbor } from '../cbor/encode.js'
import { CborTag } from '../cbor/types.js'
import { decodeCoseSign1 } from '../cose/sign1.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { issueSdCwt } from './issue.js'
import type { SaltContext } from './redact.js'
import { draftHolderPublic, draftIssuerPrivate, draftIssuerPublic, verificationParams } from './test-helpers/sd-cwt-vectors.js'
import { verifyIssuedSdCwt } from './verify.js'
import { errorCode as code } from '../test-helpers/error-code.js'

const node = createNodeCryptoProvider()
const dir = vectorDir('sd-cwt')
const T58 = (v: unknown) => new CborTag(58, v)
const T62 = (n: number) => new CborTag(62, n)
const canon = (v: unknown) => hexEncode(encodeCbor(v, { canonical: true }))

interface DisclosureVector {
  kind: 'claim' | 'element' | 'decoy'
  salt: string
  content_hex: string
  redacted_claim_hash: string
  sha256_of_content_only_WRONG: string
}

/** The draft's salts: claims/elements by (label, value) from the draft's own disclosures; decoys from decoy_list.csv. */
function draftSalts(token: string): (ctx: SaltContext) => Uint8Array {
  const list = (JSON.parse(readVectorText('sd-cwt/disclosures.json')) as { vectors: Record<string, DisclosureVector[]> }).vectors[token]!
  const decoys = new Map(readVectorText('sd-cwt/draft-07/decoy_list.csv').trim().split('\n').map((l) => l.split(',') as [string, string]))
  return (ctx) => {
    if (ctx.kind === 'decoy') return hexDecode(decoys.get(String(ctx.decoy))!)
    const hit = list.find((d) => {
      if (d.kind !== ctx.kind) return false
      const arr = decodeCbor(hexDecode(d.content_hex)) as unknown[]
      return canon(arr[1]) === canon(ctx.value) && (ctx.kind === 'element' || arr[2] === ctx.key)
    })
    if (hit === undefined) throw new Error(`no draft salt for ${JSON.stringify(ctx)}`)
    return hexDecode(hit.salt)
  }
}

const base = () => new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'https://holder.example'], [4, 1725330600], [5, 1725243900], [6, 1725244200]])

const preIssuance: Record<string, () => Map<unknown, unknown>> = {
  issuer_cwt: () =>
    new Map<unknown, unknown>([
      ...base(),
      [500, true],
      [T58(501), 'ABCD-123456'],
      [502, [T58(1549560720), T58(1612560720), 1674004740]],
      [503, new Map<unknown, unknown>([['country', 'us'], [T58('region'), 'ca'], [T58('postal_code'), '94188']])],
    ]),
  decoy: () => new Map<unknown, unknown>([...base(), [98, [T58('fr'), T62(1)]], [T58(500), true], [T62(2), null]]),
  nested_issuer_cwt: () => {
    const inspection = (lic: string, date: number, region: string, code: string) =>
      T58(new Map<unknown, unknown>([[500, true], [T58(501), lic], [502, date], [T58(503), new Map<unknown, unknown>([[1, 'us'], [T58(2), region], [T58(3), code]])]]))
    return new Map<unknown, unknown>([
      ...base(),
      [504, [inspection('DCBA-101777', 1549560720, 'co', '80302'), inspection('EFGH-789012', 1612560720, 'nv', '89155'), inspection('ABCD-123456', 1674004740, 'ca', '94188')]],
    ])
  },
}

describe.skipIf(dir === undefined)('§6, §11: issuing the draft examples with the draft keys and salts', () => {
  for (const name of Object.keys(preIssuance)) {
    it(`${name}: same digests, same disclosures, same protected header and payload bytes as draft-08/${name}.cbor`, async () => {
      const draft = readVectorBytes(`sd-cwt/draft-08/${name}.cbor`)
      const token = `draft-08/${name}.cbor`
      const ours = await issueSdCwt({
        claims: preIssuance[name]!(),
        issuerKey: draftIssuerPrivate(),
        holderKey: draftHolderPublic(),
        kid: 'https://issuer.example/cose-key3',
        provider: node,
        salt: draftSalts(token),
      })
      const a = decodeCoseSign1(ours)
      const b = decodeCoseSign1(draft)
      // Byte-exact: protected header, payload (all digests) and every disclosure, in the draft's order.
      expect(hexEncode(a.protectedBytes)).toBe(hexEncode(b.protectedBytes))
      expect(hexEncode(a.payload!)).toBe(hexEncode(b.payload!))
      expect(canon(a.unprotectedHeaders)).toBe(canon(b.unprotectedHeaders))
      // Only the signature differs: ECDSA (pycose) signatures are randomized, so the draft's signature bytes
      // cannot be reproduced. Putting the draft's signature on our token gives the draft's token exactly.
      const arr = (decodeCbor(ours) as CborTag).value as unknown[]
      expect(hexEncode(encodeCbor(new CborTag(18, [arr[0], arr[1], arr[2], b.signature])))).toBe(hexEncode(draft))
      const v = await verifyIssuedSdCwt(ours, { issuerKeys: [draftIssuerPublic()], provider: node, now: verificationParams().suggested_verifier_now, mode: 'holder' })
      expect(v.undisclosed.length).toBe(0)
    })
  }

  it('salt_list.csv keys are sha256(cbor([label, value])): the one row still in use is the salt of claim 500 in decoy.cbor', () => {
    // The other rows were generated by earlier revisions of the example generator; the salts of the other
    // disclosures are therefore taken from the draft's disclosures (disclosures.json) above.
    const rows = new Map(readVectorText('sd-cwt/draft-07/salt_list.csv').trim().split('\n').map((l) => l.split(',') as [string, string]))
    const key = createHash('sha256').update(encodeCbor([500, true])).digest('hex')
    expect(rows.get(key)).toBe('b0392772caefd08178218f86f3e2b3a9')
    expect(draftSalts('draft-08/decoy.cbor')({ kind: 'claim', key: 500, value: true })).toEqual(hexDecode(rows.get(key)!))
  })
})

describe('issuance rules', () => {
  const keys = async () => ({ issuer: await node.generateKeyPair('ES256'), holder: await node.generateKeyPair('EdDSA') })

  it('attack (issue 14): refuses to make status (65535) or vct (11) redactable (ERR_SDCWT_REDACTION_FORBIDDEN): a holder could hide its status reference', async () => {
    const { issuer, holder } = await keys()
    const status = new Map<unknown, unknown>([['status_list', new Map<unknown, unknown>([['idx', 3], ['uri', 'https://issuer.example/status-lists/1']])]])
    for (const [label, value] of [[65535, status], [11, 'https://issuer.example/vct/x']] as const) {
      const claims = new Map<unknown, unknown>([[1, 'https://issuer.example'], [2, 'sub'], [T58(label), value]])
      expect(await code(issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_REDACTION_FORBIDDEN')
    }
  })

  it('refuses to redact iss, aud, exp, nbf, iat, cti, cnf, cnonce (ERR_SDCWT_REDACTION_FORBIDDEN); sub may be redacted', async () => {
    const { issuer, holder } = await keys()
    for (const label of [1, 3, 4, 5, 6, 7, 39]) {
      const claims = new Map<unknown, unknown>([[T58(label), label === 7 || label === 39 ? new Uint8Array(4) : 'x']])
      expect(await code(issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_REDACTION_FORBIDDEN')
    }
    expect(await code(issueSdCwt({ claims: new Map([[8, new Map()]]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_INVALID_CLAIMS')
    const ok = await issueSdCwt({ claims: new Map<unknown, unknown>([[1, 'i'], [T58(2), 'sub']]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node })
    const v = await verifyIssuedSdCwt(ok, { issuerKeys: [issuer.publicJwk], provider: node, mode: 'holder' })
    expect(v.claims.get(2)).toBe('sub')
  })

  it('refuses duplicate keys: k and 58(k) are the same key (ERR_SDCWT_DUPLICATE_CLAIM), also nested', async () => {
    const { issuer, holder } = await keys()
    const dup = new Map<unknown, unknown>([[1, 'i'], ['email', 'a'], [T58('email'), 'b']])
    expect(await code(issueSdCwt({ claims: dup, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_DUPLICATE_CLAIM')
    const nested = new Map<unknown, unknown>([[1, 'i'], [T58('a'), new Map<unknown, unknown>([[T58(5), 1], [5, 2]])]])
    expect(await code(issueSdCwt({ claims: nested, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_DUPLICATE_CLAIM')
  })

  it('rejects misplaced pre-issuance tags and bad decoy numbers (ERR_SDCWT_INVALID_PREISSUANCE)', async () => {
    const { issuer, holder } = await keys()
    const bad: Map<unknown, unknown>[] = [
      new Map<unknown, unknown>([['a', T58('x')]]), // 58 around a map value
      new Map<unknown, unknown>([[T62(0), null]]), // decoy number 0
      new Map<unknown, unknown>([[T62(1), null], ['a', [T62(1)]]]), // decoy number reused
      new Map<unknown, unknown>([[T62(1), 'x']]), // decoy key with a value
      new Map<unknown, unknown>([[new CborTag(99, 'a'), 1]]), // other tag on a key
      new Map<unknown, unknown>([['a', [new CborTag(60, new Uint8Array(32))]]]), // already redacted
    ]
    for (const claims of bad) {
      expect(await code(issueSdCwt({ claims, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node }))).toBe('ERR_SDCWT_INVALID_PREISSUANCE')
    }
    const badSalt = () => new Uint8Array(8)
    expect(await code(issueSdCwt({ claims: new Map([[T58('a'), 1]]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node, salt: badSalt }))).toBe('ERR_SDCWT_SALT_INVALID')
  })

  it('decoys: each gets a disclosure (-07 §10); salts are independent 16-byte values; sd_alg SHA-384/512; ckt cnf', async () => {
    const { issuer, holder } = await keys()
    for (const sdAlg of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const bytes = await issueSdCwt({ claims: new Map<unknown, unknown>([[1, 'i'], [T58('a'), 1], ['l', [T58(1), T62(7), 2]]]), decoys: 3, sdAlg, cnf: 'ckt', now: 1700000000.7, issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node })
      const v = await verifyIssuedSdCwt(bytes, { issuerKeys: [issuer.publicJwk], provider: node, holderKeys: [holder.publicJwk], mode: 'holder', now: 1700000001 })
      expect(v.disclosures.length).toBe(6)
      expect(v.disclosures.filter((d) => d.disclosure.kind === 'decoy').length).toBe(4)
      expect(new Set(v.disclosures.map((d) => hexEncode(d.disclosure.salt))).size).toBe(6)
      expect(v.disclosures[0]!.digest.length).toBe({ 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[sdAlg])
      expect(v.token.sign1.protectedHeaders.get(170)).toBe({ 'SHA-256': -16, 'SHA-384': -43, 'SHA-512': -44 }[sdAlg])
      expect(v.claims.get(6)).toBe(1700000000)
      expect(v.claims.get('l')).toEqual([1, 2])
      expect(v.holderKey).toEqual(holder.publicJwk)
    }
  })

  it('no disclosures: sd_claims (17) is omitted, never an empty array', async () => {
    const { issuer, holder } = await keys()
    const bytes = await issueSdCwt({ claims: new Map([[1, 'i']]), issuerKey: issuer.privateJwk, holderKey: holder.publicJwk, provider: node })
    expect(decodeCoseSign1(bytes).unprotectedHeaders.size).toBe(0)
  })
})
