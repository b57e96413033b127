import { describe, expect, it } from 'vitest'
import { createNodeCryptoProvider } from '../crypto/node.js'
import { readVectorBytes, readVectorText, vectorDir } from '../test-helpers/vectors.js'
import { inspectSdCwt } from './inspect.js'

const node = createNodeCryptoProvider()

describe.skipIf(vectorDir('sd-cwt') === undefined)('inspect (diagnostic view, nothing verified)', () => {
  it('draft-08 issuer_cwt: every disclosure with its digest from disclosures.json and where it is listed', () => {
    const i = inspectSdCwt(readVectorBytes('sd-cwt/draft-08/issuer_cwt.cbor'), { provider: node })
    const vectors = (JSON.parse(readVectorText('sd-cwt/disclosures.json')) as { vectors: Record<string, { redacted_claim_hash: string }[]> }).vectors['draft-08/issuer_cwt.cbor']!
    expect(i.kind).toBe('sd-cwt')
    expect(i.sdCwt.disclosures.map((d) => d.digest)).toEqual(vectors.map((v) => v.redacted_claim_hash))
    expect(i.sdCwt.disclosures.map((d) => d.listedAt)).toEqual(['payload (top)', 'payload 502', 'payload 502', 'payload 503', 'payload 503'])
    expect(i.sdCwt.redactions.every((r) => r.disclosure !== undefined)).toBe(true)
    expect(i.sdCwt.protectedHeaders).toBe("{1: -35, 4: h'68747470733a2f2f6973737565722e6578616d706c652f636f73652d6b657933', 16: 293, 170: -16}")
    expect(i.sdCwt.revealed).toContain('501: "ABCD-123456"')
    expect(i.text).toContain('disclosure 0: 501: "ABCD-123456"')
  })

  it('draft-07 nested_kbt: KBT view, nested digests listed inside disclosures, undisclosed ones counted', () => {
    const i = inspectSdCwt(readVectorBytes('sd-cwt/draft-07/nested_kbt.cbor'), { provider: node })
    expect(i.kind).toBe('kbt')
    expect(i.kbt?.claims).toBe(`{3: "https://verifier.example/app", 6: 1725244237, 39: h'8c0f5f523b95bea44a9a48c649240803'}`)
    expect(i.sdCwt.disclosures.length).toBe(7)
    expect(i.sdCwt.disclosures.some((d) => d.listedAt?.startsWith('disclosure '))).toBe(true)
    expect(i.sdCwt.redactions.filter((r) => r.disclosure === undefined).length).toBeGreaterThan(0)
    expect(i.sdCwt.problem).toBeUndefined()
  })

  it('a decoy shows as a decoy; malformed input is an E2eidError', () => {
    const i = inspectSdCwt(readVectorBytes('sd-cwt/draft-08/decoy.cbor'), { provider: node })
    expect(i.sdCwt.disclosures.filter((d) => d.kind === 'decoy').length).toBe(2)
    expect(() => inspectSdCwt(new Uint8Array([0xd2, 0x80]), { provider: node })).toThrow(expect.objectContaining({ code: 'ERR_COSE_MALFORMED' }))
  })
})
